// Login and registration limits without Redis on a server with several
// workers (server.mjs): the cluster primary counts for all of them
// (rate-limiter-flexible's RateLimiterClusterMaster), so two workers still
// allow 10 failed logins per account, not 10 each. Kept out of rate-limit.ts
// because the primary loads this file with Node's type stripping.
import cluster from 'node:cluster';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';

const IN_PRIMARY_ENV = 'SOKO_RATE_LIMITS_IN_PRIMARY';

/** For the cluster primary, before it forks: the master must listen before the first worker asks. */
export function countLimitsInPrimary(): void {
  new RateLimiterClusterMaster();
  process.env[IN_PRIMARY_ENV] = '1';
}

/** True in a worker whose primary counts the limits. */
export function limitsCountedInPrimary(): boolean {
  return cluster.isWorker && process.env[IN_PRIMARY_ENV] === '1';
}

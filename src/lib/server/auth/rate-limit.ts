// Brute-force protection for login and registration (rate-limiter-flexible).
// Counters live in memory by default: in this process, or, when server.mjs
// runs several workers, in the cluster primary (cluster-limits.ts), so every
// worker on the host counts together. With REDIS_URL they live in Redis, shared
// by every process and host. Keys are per client IP and per account (the
// normalized email, whether or not the account exists, so the limiter itself
// reveals nothing).
import { Redis } from 'ioredis';
import {
  RateLimiterCluster,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type IRateLimiterOptions,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { AppError } from '../http/errors.ts';
import { getEnv } from '../env.ts';
import { limitsCountedInPrimary } from './cluster-limits.ts';

export interface LimitRule {
  points: number;
  durationSeconds: number;
}

export interface AuthLimitRules {
  /** Failed logins for one account, from anywhere. */
  loginFailuresPerAccount: LimitRule;
  /** Failed logins from one IP, any account (higher: many users share carrier NAT). */
  loginFailuresPerIp: LimitRule;
  /** Registration attempts (valid input) from one IP. */
  registrationsPerIp: LimitRule;
  /** Registration attempts for one email. */
  registrationsPerAccount: LimitRule;
}

export const DEFAULT_AUTH_LIMITS: AuthLimitRules = {
  loginFailuresPerAccount: { points: 10, durationSeconds: 600 },
  loginFailuresPerIp: { points: 50, durationSeconds: 600 },
  registrationsPerIp: { points: 20, durationSeconds: 600 },
  registrationsPerAccount: { points: 10, durationSeconds: 600 },
};

export class AuthRateLimiter {
  private readonly limiters: Record<keyof AuthLimitRules, RateLimiterAbstract>;

  constructor(
    readonly rules: AuthLimitRules = DEFAULT_AUTH_LIMITS,
    opts: { redis?: Redis; keyPrefix?: string; inPrimary?: boolean } = {},
  ) {
    const prefix = opts.keyPrefix ?? 'soko:rl';
    const make = (name: keyof AuthLimitRules) => {
      const base: IRateLimiterOptions = {
        keyPrefix: `${prefix}:${name}`,
        points: rules[name].points,
        duration: rules[name].durationSeconds,
      };
      const local = opts.inPrimary ? new RateLimiterCluster({ ...base, timeoutMs: 3000 }) : new RateLimiterMemory(base);
      if (!opts.redis) return local;
      // If Redis is unreachable, fall back to counting in memory rather than failing logins.
      return new RateLimiterRedis({ ...base, storeClient: opts.redis, insuranceLimiter: local });
    };
    this.limiters = {
      loginFailuresPerAccount: make('loginFailuresPerAccount'),
      loginFailuresPerIp: make('loginFailuresPerIp'),
      registrationsPerIp: make('registrationsPerIp'),
      registrationsPerAccount: make('registrationsPerAccount'),
    };
  }

  /**
   * Takes one attempt from the account's and the IP's allowance before the
   * password is checked (not after a failure: parallel guesses would all pass
   * a check made before the first one failed). 429 once either is used up.
   * A wrong password keeps the point; see recordLoginSuccess and refundLoginAttempt.
   */
  async consumeLoginAttempt(ip: string, account: string): Promise<void> {
    await consumeAll([
      [this.limiters.loginFailuresPerAccount, account],
      [this.limiters.loginFailuresPerIp, ip],
    ]);
  }

  /** The password was right: the account's failures are forgiven (not the IP's), and this attempt given back. */
  async recordLoginSuccess(ip: string, account: string): Promise<void> {
    await Promise.all([
      this.limiters.loginFailuresPerAccount.delete(account),
      this.limiters.loginFailuresPerIp.reward(ip, 1),
    ]);
  }

  /** The attempt ended before the password was judged (bad input, database down): it is not a failure. */
  async refundLoginAttempt(ip: string, account: string): Promise<void> {
    await Promise.all([
      this.limiters.loginFailuresPerAccount.reward(account, 1),
      this.limiters.loginFailuresPerIp.reward(ip, 1),
    ]);
  }

  /** Counts one registration attempt; throws 429 once the IP or email is over its limit. */
  async consumeRegistration(ip: string, account: string): Promise<void> {
    await consumeAll([
      [this.limiters.registrationsPerIp, ip],
      [this.limiters.registrationsPerAccount, account],
    ]);
  }
}

/**
 * Consumes a point from each limiter, or throws 429 if any is used up. The
 * others get their point back then: a refused attempt never reached the
 * password, so it must not count against, say, the IP of a locked account.
 */
async function consumeAll(keys: [RateLimiterAbstract, string][]): Promise<void> {
  const results = await Promise.allSettled(keys.map(([limiter, key]) => limiter.consume(key, 1)));
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (refused.length === 0) return;
  const failure = refused.find((r) => !(r instanceof RateLimiterRes));
  if (failure) throw failure;
  await Promise.all(
    keys.filter((_, i) => results[i]!.status === 'fulfilled').map(([limiter, key]) => limiter.reward(key, 1)),
  );
  throw tooManyAttempts(Math.max(...(refused as RateLimiterRes[]).map((r) => r.msBeforeNext)));
}

function tooManyAttempts(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many attempts; try again in ${seconds} seconds`, undefined, {
    'Retry-After': String(seconds),
  });
}

let shared: AuthRateLimiter | undefined;
let sharedRedis: Redis | undefined;

/** The process-wide limiter: Redis-backed when REDIS_URL is set, else counted in the cluster primary or here. */
export function getAuthRateLimiter(): AuthRateLimiter {
  if (!shared) {
    const url = getEnv().REDIS_URL;
    const redis = url
      ? new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
      : undefined;
    redis?.on('error', (err) => console.error('[rate-limit] redis error', err.message));
    shared = new AuthRateLimiter(DEFAULT_AUTH_LIMITS, { redis, inPrimary: limitsCountedInPrimary() });
    sharedRedis = redis;
  }
  return shared;
}

/** Closes the process-wide limiter's Redis connection, if any (tests, scripts); the next call starts afresh. */
export async function closeAuthRateLimiter(): Promise<void> {
  const redis = sharedRedis;
  shared = undefined;
  sharedRedis = undefined;
  if (redis) await redis.quit().catch(() => redis.disconnect());
}

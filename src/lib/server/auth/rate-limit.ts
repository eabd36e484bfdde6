// Brute-force protection for login and registration (rate-limiter-flexible).
// In memory by default (one process); with REDIS_URL the counters live in
// Redis so every process and host shares them. Keys are per client IP and
// per account (the normalized email, whether or not the account exists, so
// the limiter itself reveals nothing).
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError } from '../http/errors.ts';
import { getEnv } from '../env.ts';

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
    opts: { redis?: Redis; keyPrefix?: string } = {},
  ) {
    const prefix = opts.keyPrefix ?? 'soko:rl';
    const make = (name: keyof AuthLimitRules) => {
      const base = {
        keyPrefix: `${prefix}:${name}`,
        points: rules[name].points,
        duration: rules[name].durationSeconds,
      };
      if (!opts.redis) return new RateLimiterMemory(base);
      // If Redis is unreachable, fall back to per-process counting rather than failing logins.
      return new RateLimiterRedis({ ...base, storeClient: opts.redis, insuranceLimiter: new RateLimiterMemory(base) });
    };
    this.limiters = {
      loginFailuresPerAccount: make('loginFailuresPerAccount'),
      loginFailuresPerIp: make('loginFailuresPerIp'),
      registrationsPerIp: make('registrationsPerIp'),
      registrationsPerAccount: make('registrationsPerAccount'),
    };
  }

  /** Throws 429 when this IP or account has used up its failed logins; call before checking the password. */
  async assertLoginAllowed(ip: string, account: string): Promise<void> {
    const [byAccount, byIp] = await Promise.all([
      this.limiters.loginFailuresPerAccount.get(account),
      this.limiters.loginFailuresPerIp.get(ip),
    ]);
    const blocked = [
      [byAccount, this.rules.loginFailuresPerAccount],
      [byIp, this.rules.loginFailuresPerIp],
    ] as const;
    const waits = blocked
      .filter(([res, rule]) => res && res.consumedPoints >= rule.points)
      .map(([res]) => res!.msBeforeNext);
    if (waits.length > 0) throw tooManyAttempts(Math.max(...waits));
  }

  async recordLoginFailure(ip: string, account: string): Promise<void> {
    await Promise.all([
      this.limiters.loginFailuresPerAccount.penalty(account, 1),
      this.limiters.loginFailuresPerIp.penalty(ip, 1),
    ]);
  }

  /** A successful login forgives the account's failures (not the IP's). */
  async recordLoginSuccess(account: string): Promise<void> {
    await this.limiters.loginFailuresPerAccount.delete(account);
  }

  /** Counts one registration attempt; throws 429 once the IP or email is over its limit. */
  async consumeRegistration(ip: string, account: string): Promise<void> {
    try {
      await Promise.all([
        this.limiters.registrationsPerIp.consume(ip, 1),
        this.limiters.registrationsPerAccount.consume(account, 1),
      ]);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw tooManyAttempts(err.msBeforeNext);
      throw err;
    }
  }
}

function tooManyAttempts(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('RATE_LIMITED', `Too many attempts; try again in ${seconds} seconds`, undefined, {
    'Retry-After': String(seconds),
  });
}

let shared: AuthRateLimiter | undefined;

/** The process-wide limiter: Redis-backed when REDIS_URL is set. */
export function getAuthRateLimiter(): AuthRateLimiter {
  if (!shared) {
    const url = getEnv().REDIS_URL;
    const redis = url
      ? new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
      : undefined;
    redis?.on('error', (err) => console.error('[rate-limit] redis error', err.message));
    shared = new AuthRateLimiter(DEFAULT_AUTH_LIMITS, { redis });
  }
  return shared;
}

// Login and registration limits reach 429 with Retry-After and recover, in
// memory and in the real Redis on 127.0.0.1:6379 (shared across processes);
// the limiter the routes use counts in Redis exactly when REDIS_URL is set.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { AuthRateLimiter, type AuthLimitRules } from '../../src/lib/server/auth/rate-limit.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const rules: AuthLimitRules = {
  loginFailuresPerAccount: { points: 3, durationSeconds: 1 },
  loginFailuresPerIp: { points: 5, durationSeconds: 1 },
  registrationsPerIp: { points: 2, durationSeconds: 1 },
  registrationsPerAccount: { points: 2, durationSeconds: 1 },
};

async function rejection(p: Promise<unknown>): Promise<AppError | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
afterAll(() => redis.quit());

const stores: [string, () => Promise<{ redis?: Redis }>][] = [
  ['memory', async () => ({})],
  [
    'redis',
    async () => {
      if (redis.status !== 'ready') {
        await redis.connect().catch((err: Error) => {
          throw new Error(
            `Redis is required at ${REDIS_URL} for this test (${err.message}); start it or set TEST_REDIS_URL`,
          );
        });
      }
      return { redis };
    },
  ],
];

for (const [store, open] of stores) {
  describe(`auth rate limits [${store}]`, () => {
    const make = async () =>
      new AuthRateLimiter(rules, { ...(await open()), keyPrefix: `test:${randomBytes(6).toString('hex')}` });

    /** One login attempt with a wrong password, as the route makes it. */
    const failLogin = (rl: AuthRateLimiter, ip: string, account: string) => rl.consumeLoginAttempt(ip, account);

    it('blocks an account after its failed logins, with Retry-After, and recovers', async () => {
      const rl = await make();
      for (let i = 0; i < 3; i++) {
        expect(await rejection(failLogin(rl, '10.0.0.1', 'victim@example.com'))).toBeUndefined();
      }
      const err = await rejection(rl.consumeLoginAttempt('10.0.0.2', 'victim@example.com'));
      expect(err?.status).toBe(429);
      expect(Number(err?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
      // Other accounts are unaffected.
      expect(await rejection(rl.consumeLoginAttempt('10.0.0.2', 'other@example.com'))).toBeUndefined();
      await sleep(1100);
      expect(await rejection(rl.consumeLoginAttempt('10.0.0.1', 'victim@example.com'))).toBeUndefined();
    });

    it('lets only the allowance through when guesses arrive in parallel', async () => {
      const rl = await make();
      // Each guess holds its attempt while the password is checked (slow, like bcrypt), as the route does.
      const guess = async () => {
        await rl.consumeLoginAttempt('10.0.0.5', 'parallel@example.com');
        await sleep(50);
        return 'checked';
      };
      const results = await Promise.allSettled(Array.from({ length: 12 }, guess));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect(results.filter((r) => r.status === 'rejected' && (r.reason as AppError).status === 429)).toHaveLength(9);
    });

    it('blocks an IP spraying many accounts', async () => {
      const rl = await make();
      for (let i = 0; i < 5; i++) await failLogin(rl, '10.0.0.9', `user${i}@example.com`);
      expect((await rejection(rl.consumeLoginAttempt('10.0.0.9', 'fresh@example.com')))?.status).toBe(429);
      expect(await rejection(rl.consumeLoginAttempt('10.0.0.10', 'fresh@example.com'))).toBeUndefined();
    });

    it('does not count refused attempts at a locked account against the IP', async () => {
      const rl = await make();
      for (let i = 0; i < 3; i++) await failLogin(rl, '10.0.0.6', 'locked@example.com');
      for (let i = 0; i < 5; i++) await rejection(rl.consumeLoginAttempt('10.0.0.6', 'locked@example.com'));
      // 3 failures so far from this IP, of 5: two more accounts can still be tried.
      expect(await rejection(rl.consumeLoginAttempt('10.0.0.6', 'a@example.com'))).toBeUndefined();
      expect(await rejection(rl.consumeLoginAttempt('10.0.0.6', 'b@example.com'))).toBeUndefined();
      expect((await rejection(rl.consumeLoginAttempt('10.0.0.6', 'c@example.com')))?.status).toBe(429);
    });

    it('forgives an account its failures after a successful login, and gives back attempts that were not guesses', async () => {
      const rl = await make();
      for (let i = 0; i < 2; i++) await failLogin(rl, '10.0.0.3', 'forgetful@example.com');
      await rl.consumeLoginAttempt('10.0.0.3', 'forgetful@example.com');
      await rl.recordLoginSuccess('10.0.0.3', 'forgetful@example.com');
      // Database down, say: the attempt is refunded, so it never adds up to a lockout.
      for (let i = 0; i < 5; i++) {
        await rl.consumeLoginAttempt('10.0.0.3', 'forgetful@example.com');
        await rl.refundLoginAttempt('10.0.0.3', 'forgetful@example.com');
      }
      await failLogin(rl, '10.0.0.3', 'forgetful@example.com');
      await failLogin(rl, '10.0.0.3', 'forgetful@example.com');
      expect(await rejection(rl.consumeLoginAttempt('10.0.0.3', 'forgetful@example.com'))).toBeUndefined();
    });

    it('limits registrations per IP and recovers', async () => {
      const rl = await make();
      await rl.consumeRegistration('10.0.0.4', 'a@example.com');
      await rl.consumeRegistration('10.0.0.4', 'b@example.com');
      const err = await rejection(rl.consumeRegistration('10.0.0.4', 'c@example.com'));
      expect(err?.status).toBe(429);
      expect(err?.headers['Retry-After']).toMatch(/^\d+$/);
      await sleep(1100);
      expect(await rejection(rl.consumeRegistration('10.0.0.4', 'd@example.com'))).toBeUndefined();
    });

    it('limits registrations per email from any IP, gives the refused IP its point back, and recovers', async () => {
      const rl = await make();
      await rl.consumeRegistration('10.0.3.1', 'wanted@example.com');
      await rl.consumeRegistration('10.0.3.2', 'wanted@example.com');
      // A third address does not help: the email's allowance (2 here, 10 in production) is used up.
      const err = await rejection(rl.consumeRegistration('10.0.3.3', 'wanted@example.com'));
      expect(err?.status).toBe(429);
      expect(Number(err?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
      // 10.0.3.3 lost nothing by it: both of its registrations are still there, then it is at its limit.
      expect(await rejection(rl.consumeRegistration('10.0.3.3', 'first@example.com'))).toBeUndefined();
      expect(await rejection(rl.consumeRegistration('10.0.3.3', 'second@example.com'))).toBeUndefined();
      expect((await rejection(rl.consumeRegistration('10.0.3.3', 'third@example.com')))?.status).toBe(429);
      await sleep(1100);
      expect(await rejection(rl.consumeRegistration('10.0.3.4', 'wanted@example.com'))).toBeUndefined();
    });
  });
}

describe('getAuthRateLimiter, the limiter the routes use', () => {
  type RateLimitModule = typeof import('../../src/lib/server/auth/rate-limit.ts');
  const loaded: RateLimitModule[] = [];
  /** A fresh copy of the module and of the environment it validates, as a new server process gets. */
  async function load(redisUrl: string): Promise<RateLimitModule> {
    vi.stubEnv('REDIS_URL', redisUrl);
    vi.resetModules();
    const m = await import('../../src/lib/server/auth/rate-limit.ts');
    loaded.push(m);
    return m;
  }
  afterEach(async () => {
    await Promise.all(loaded.splice(0).map((m) => m.closeAuthRateLimiter()));
    vi.unstubAllEnvs();
  });
  const id = () => randomBytes(6).toString('hex');
  // The production key prefix: these tests use their own emails and addresses, and delete what they wrote.
  const key = (email: string) => `soko:rl:registrationsPerAccount:${email}`;
  const ipKey = (ip: string) => `soko:rl:registrationsPerIp:${ip}`;

  /**
   * Until its connection is ready the client refuses commands (no offline queue) and the
   * limiter counts in memory instead: wait until an attempt lands in Redis.
   */
  async function untilInRedis(m: RateLimitModule, written: string[]): Promise<void> {
    await vi.waitFor(
      async () => {
        const probe = `probe-${id()}@example.com`;
        written.push(key(probe));
        await m.getAuthRateLimiter().consumeRegistration('10.250.0.1', probe);
        expect(await redis.exists(key(probe))).toBe(1);
      },
      { timeout: 5_000, interval: 50 },
    );
  }

  it('counts in the real Redis when REDIS_URL is set, so two processes share one allowance', async () => {
    if (redis.status !== 'ready') await redis.connect();
    const email = `env-${id()}@example.com`;
    const ip = `10.251.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const written = [key(email), ipKey(ip), ipKey('10.250.0.1')];
    const [a, b] = [await load(REDIS_URL), await load(REDIS_URL)];
    try {
      await untilInRedis(a, written);
      await untilInRedis(b, written);
      // Ten attempts for one email (the production allowance), alternating between the two.
      for (let i = 0; i < 10; i++) await (i % 2 ? b : a).getAuthRateLimiter().consumeRegistration(ip, email);
      expect(await redis.get(key(email))).toBe('10');
      await expect(a.getAuthRateLimiter().consumeRegistration(ip, email)).rejects.toMatchObject({ status: 429 });
      await expect(b.getAuthRateLimiter().consumeRegistration(ip, email)).rejects.toMatchObject({ status: 429 });
    } finally {
      await redis.del(...written);
    }
  });

  it('counts in memory when REDIS_URL is unset: nothing reaches Redis', async () => {
    if (redis.status !== 'ready') await redis.connect();
    const email = `memory-${id()}@example.com`;
    const m = await load('');
    for (let i = 0; i < 10; i++) await m.getAuthRateLimiter().consumeRegistration('10.252.0.1', email);
    await expect(m.getAuthRateLimiter().consumeRegistration('10.252.0.1', email)).rejects.toMatchObject({
      status: 429,
    });
    expect(await redis.exists(key(email))).toBe(0);
    // Another process (a fresh module) has its own counters.
    const other = await load('');
    await expect(other.getAuthRateLimiter().consumeRegistration('10.252.0.1', email)).resolves.toBeUndefined();
  });
});

it('shares counters between two limiters (two processes) through Redis', async () => {
  if (redis.status !== 'ready') await redis.connect();
  const other = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}`;
    const a = new AuthRateLimiter(rules, { redis, keyPrefix });
    const b = new AuthRateLimiter(rules, { redis: other, keyPrefix });
    for (let i = 0; i < 3; i++) await a.consumeLoginAttempt('10.0.1.1', 'shared@example.com');
    expect((await rejection(b.consumeLoginAttempt('10.0.1.2', 'shared@example.com')))?.status).toBe(429);
  } finally {
    await other.quit();
  }
});

it('keeps limiting in memory while Redis is unreachable', async () => {
  // Nothing listens on port 1: every Redis command fails and the insurance limiter answers.
  const down = new Redis('redis://127.0.0.1:1', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    lazyConnect: true,
  });
  down.on('error', () => {});
  try {
    const rl = new AuthRateLimiter(rules, { redis: down, keyPrefix: `test:${randomBytes(6).toString('hex')}` });
    for (let i = 0; i < 3; i++)
      expect(await rejection(rl.consumeLoginAttempt('10.0.2.1', 'offline@example.com'))).toBeUndefined();
    expect((await rejection(rl.consumeLoginAttempt('10.0.2.1', 'offline@example.com')))?.status).toBe(429);
  } finally {
    down.disconnect();
  }
});

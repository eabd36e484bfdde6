// Login and registration limits reach 429 with Retry-After and recover, in
// memory and in the real Redis on 127.0.0.1:6379 (shared across processes).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
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

    it('blocks an account after its failed logins, with Retry-After, and recovers', async () => {
      const rl = await make();
      for (let i = 0; i < 3; i++) {
        expect(await rejection(rl.assertLoginAllowed('10.0.0.1', 'victim@example.com'))).toBeUndefined();
        await rl.recordLoginFailure('10.0.0.1', 'victim@example.com');
      }
      const err = await rejection(rl.assertLoginAllowed('10.0.0.2', 'victim@example.com'));
      expect(err?.status).toBe(429);
      expect(Number(err?.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
      // Other accounts are unaffected.
      expect(await rejection(rl.assertLoginAllowed('10.0.0.2', 'other@example.com'))).toBeUndefined();
      await sleep(1100);
      expect(await rejection(rl.assertLoginAllowed('10.0.0.1', 'victim@example.com'))).toBeUndefined();
    });

    it('blocks an IP spraying many accounts', async () => {
      const rl = await make();
      for (let i = 0; i < 5; i++) await rl.recordLoginFailure('10.0.0.9', `user${i}@example.com`);
      expect((await rejection(rl.assertLoginAllowed('10.0.0.9', 'fresh@example.com')))?.status).toBe(429);
      expect(await rejection(rl.assertLoginAllowed('10.0.0.10', 'fresh@example.com'))).toBeUndefined();
    });

    it('forgives an account its failures after a successful login', async () => {
      const rl = await make();
      for (let i = 0; i < 2; i++) await rl.recordLoginFailure('10.0.0.3', 'forgetful@example.com');
      await rl.recordLoginSuccess('forgetful@example.com');
      await rl.recordLoginFailure('10.0.0.3', 'forgetful@example.com');
      expect(await rejection(rl.assertLoginAllowed('10.0.0.3', 'forgetful@example.com'))).toBeUndefined();
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
  });
}

it('shares counters between two limiters (two processes) through Redis', async () => {
  if (redis.status !== 'ready') await redis.connect();
  const other = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keyPrefix = `test:${randomBytes(6).toString('hex')}`;
    const a = new AuthRateLimiter(rules, { redis, keyPrefix });
    const b = new AuthRateLimiter(rules, { redis: other, keyPrefix });
    for (let i = 0; i < 3; i++) await a.recordLoginFailure('10.0.1.1', 'shared@example.com');
    expect((await rejection(b.assertLoginAllowed('10.0.1.2', 'shared@example.com')))?.status).toBe(429);
  } finally {
    await other.quit();
  }
});

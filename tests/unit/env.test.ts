import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV_VARIABLES, EnvError, parseEnv } from '../../src/lib/server/env.ts';

describe('environment validation', () => {
  it('gives working defaults for development', () => {
    const env = parseEnv({});
    expect(env.WHATSAPP_NUMBER).toBe('254756185209');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(Buffer.byteLength(env.JWT_SECRET)).toBeGreaterThanOrEqual(32);
    expect(env.BCRYPT_ROUNDS).toBe(10);
  });

  it('requires a JWT_SECRET of at least 32 bytes in production, naming the variable', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(
      /JWT_SECRET: must be at least 32 bytes/,
    );
    expect(parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).isProduction).toBe(true);
  });

  it('does not need secrets while pre-rendering a build', () => {
    expect(parseEnv({ NODE_ENV: 'production', SOKO_PHASE: 'build' }).isProduction).toBe(false);
  });

  it.each([
    ['DATABASE_URL', 'mysql://x'],
    ['PUBLIC_SITE_URL', 'not a url'],
    ['WHATSAPP_NUMBER', '+254 756 185 209'],
    ['DATABASE_POOL_SIZE', '0'],
    ['BCRYPT_ROUNDS', 'ten'],
    ['PORT', '80a'],
    ['PORT', '70000'],
    ['WEB_CONCURRENCY', '0'],
    ['DATABASE_POOL_BUDGET', 'lots'],
    ['SHUTDOWN_GRACE_MS', '-1'],
    ['REDIS_URL', 'localhost:6379'],
  ])('names the bad variable %s (%j)', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('refuses demo accounts in production', () => {
    expect(() =>
      parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DEMO_PASSWORD: 'whatever-123' }),
    ).toThrow(/DEMO_PASSWORD/);
  });

  it('documents every variable in .env.example', () => {
    const example = readFileSync('.env.example', 'utf8');
    const documented = new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(ENV_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });
});

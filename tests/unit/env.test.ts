import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../src/lib/server/env.ts';

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
  ])('names the bad variable %s', (name, value) => {
    expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
    expect(() => parseEnv({ [name]: value })).toThrow(new RegExp(name));
  });

  it('refuses demo accounts in production', () => {
    expect(() =>
      parseEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DEMO_PASSWORD: 'whatever-123' }),
    ).toThrow(/DEMO_PASSWORD/);
  });
});

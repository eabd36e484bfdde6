import { describe, expect, it } from 'vitest';
import { changePasswordInput, loginInput, registerInput } from '../../src/lib/shared/auth.ts';
import { safeNextPath, signInPath } from '../../src/lib/shared/session-links.ts';
import { commonPasswordCount, isCommonPassword } from '../../src/lib/server/auth/password-policy.ts';
import { clientIp } from '../../src/lib/server/http/client-ip.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { readJson } from '../../src/lib/server/http/request.ts';

const ok = { email: 'a@example.com', password: 'long enough phrase', name: 'A' };

describe('account input', () => {
  it('enforces 8 characters and 72 UTF-8 bytes, counting bytes not characters', () => {
    expect(registerInput.safeParse({ ...ok, password: 'short7!' }).success).toBe(false);
    expect(registerInput.safeParse({ ...ok, password: 'x'.repeat(72) }).success).toBe(true);
    const over = registerInput.safeParse({ ...ok, password: 'x'.repeat(73) });
    expect(over.success).toBe(false);
    expect(over.error?.issues[0]?.message).toBe('must be at most 72 bytes');
    // 25 three-byte characters: 25 characters but 75 bytes, refused rather than truncated by bcrypt.
    expect(registerInput.safeParse({ ...ok, password: 'ñ'.repeat(24) + '€'.repeat(25) }).success).toBe(false);
    expect(registerInput.safeParse({ ...ok, password: '€'.repeat(24) }).success).toBe(true);
    // Emoji count as one character each for the minimum.
    expect(registerInput.safeParse({ ...ok, password: '🦁🦁🦁🦁🦁🦁🦁' }).success).toBe(false);
  });

  it('normalizes emails and never lets a sign-up pick ADMIN or set other fields', () => {
    expect(registerInput.parse({ ...ok, email: '  A@Example.COM ' }).email).toBe('a@example.com');
    expect(registerInput.parse(ok).role).toBe('BUYER');
    expect(registerInput.safeParse({ ...ok, role: 'ADMIN' }).success).toBe(false);
    const extra = registerInput.safeParse({ ...ok, tokenVersion: 0, status: 'ACTIVE' });
    expect(extra.success).toBe(false);
    expect(extra.error?.issues[0]?.code).toBe('unrecognized_keys');
    expect(loginInput.safeParse({ email: 'a@b.c', password: 'x', role: 'ADMIN' }).success).toBe(false);
    expect(changePasswordInput.safeParse({ currentPassword: 'x', newPassword: 'short' }).success).toBe(false);
  });

  it('ships a list of thousands of common passwords and matches case-insensitively', () => {
    expect(commonPasswordCount()).toBeGreaterThan(5000);
    for (const p of ['password', 'Password1', 'iloveyou', 'QWERTYUIOP', '12345678'])
      expect(isCommonPassword(p)).toBe(true);
    expect(isCommonPassword('soko-demo-2026')).toBe(false);
    expect(isCommonPassword('kilimani sunrise 2026')).toBe(false);
  });
});

describe('readJson', () => {
  const post = (body: string, type = 'application/json') =>
    new Request('http://soko.test/api/x', { method: 'POST', headers: { 'Content-Type': type }, body });
  async function error(p: Promise<unknown>): Promise<AppError> {
    try {
      await p;
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('expected an AppError');
  }

  it('parses JSON against a strict schema', async () => {
    expect(
      await readJson(post('{"email":"a@b.c","password":"x"}', 'application/json; charset=utf-8'), loginInput),
    ).toEqual({
      email: 'a@b.c',
      password: 'x',
    });
  });

  it('refuses other content types, malformed JSON, unknown fields and oversize bodies with clear messages', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      const e = await error(readJson(post('{}', type), loginInput));
      expect([e.status, e.message]).toEqual([415, 'Content-Type must be application/json']);
    }
    const bad = await error(readJson(post('{"email":'), loginInput));
    expect([bad.status, bad.message]).toEqual([400, 'Request body is not valid JSON']);
    const unknown = await error(readJson(post('{"email":"a@b.c","password":"x","role":"ADMIN"}'), loginInput));
    expect(unknown.status).toBe(400);
    expect(unknown.message).toMatch(/role/);
    const missing = await error(readJson(post('{"email":"a@b.c"}'), loginInput));
    expect(missing.message).toMatch(/^Invalid body\.password: /);
    const big = await error(readJson(post(JSON.stringify({ email: 'x'.repeat(20_000), password: 'x' })), loginInput));
    expect(big.status).toBe(413);
  });
});

describe('return paths and client IP', () => {
  it('only returns to same-site paths', () => {
    expect(safeNextPath('/sell?tab=orders')).toBe('/sell?tab=orders');
    for (const evil of [
      'https://evil.example/',
      '//evil.example',
      '/\\evil.example',
      'javascript:alert(1)',
      '',
      null,
    ]) {
      expect(safeNextPath(evil)).toBe('/');
    }
    expect(signInPath('/account')).toBe('/signin?next=%2Faccount');
    expect(signInPath('/')).toBe('/signin');
  });

  it('reads X-Forwarded-For only behind a trusted proxy, and then only the hop the proxy added', () => {
    const req = new Request('http://soko.test/', { headers: { 'X-Forwarded-For': '6.6.6.6, 41.90.1.2' } });
    expect(clientIp(req, '127.0.0.1', false)).toBe('127.0.0.1');
    expect(clientIp(req, '127.0.0.1', true)).toBe('41.90.1.2');
    const forged = new Request('http://soko.test/', { headers: { 'X-Forwarded-For': 'not-an-ip' } });
    expect(clientIp(forged, '127.0.0.1', true)).toBe('127.0.0.1');
  });
});

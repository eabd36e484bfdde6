// The JWT attack suite: every forged, foreign, expired or revoked token is
// refused. Stateless checks (sessionFromRequest) refuse what is wrong with
// the token itself; requireActiveUser refuses what the database has revoked.
import { generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { expect, it, vi } from 'vitest';
import { registerInput } from '../../src/lib/shared/auth.ts';
import { changePassword, registerUser } from '../../src/lib/server/auth/accounts.ts';
import { sessionFromRequest, SESSION_COOKIE } from '../../src/lib/server/auth/session.ts';
import {
  signSessionToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  verifySessionToken,
} from '../../src/lib/server/auth/tokens.ts';
import {
  requireActiveUser,
  requireOwnership,
  requireRole,
  requireUser,
  checkPageAccess,
} from '../../src/lib/server/authz/guards.ts';
import { getEnv } from '../../src/lib/server/env.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { systemAdmin } from '../helpers/fixtures.ts';
import { changeRole, setUserStatus } from '../../src/lib/server/admin/users.ts';

const PASSWORD = 'ngong hills at dawn';
const secret = () => new TextEncoder().encode(getEnv().JWT_SECRET);
const noCookies = { get: () => undefined };

const bearer = (token: string) =>
  new Request('http://soko.test/api/auth/me', { headers: { Authorization: `Bearer ${token}` } });
const fromCookie = (token: string) => ({ get: (n: string) => (n === SESSION_COOKIE ? { value: token } : undefined) });

async function statusOf(fn: () => unknown): Promise<number> {
  try {
    await fn();
    return 200;
  } catch (err) {
    if (err instanceof AppError) return err.status;
    throw err;
  }
}

describeEachEngine('JWT sessions and guards', (ctx) => {
  const register = (email: string, role: 'BUYER' | 'SELLER' = 'BUYER') =>
    registerUser(ctx().db, registerInput.parse({ email, password: PASSWORD, name: 'Test User', role }));

  /** The status a protected, state-changing action answers for this token. */
  async function statusFor(token: string): Promise<number> {
    const user = await sessionFromRequest(bearer(token), noCookies);
    return statusOf(() => requireActiveUser(ctx().db, { user }));
  }

  const claimsFor = (u: { id: string; email: string }) => ({
    role: 'BUYER',
    email: u.email,
    name: 'Test User',
    ver: 0,
  });

  /** A well-formed session token for `u`, issued at `iat` and expiring at `exp` (epoch seconds). */
  const signedBetween = (u: { id: string; email: string }, iat: number, exp: number) =>
    new SignJWT(claimsFor(u))
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(u.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(secret());

  it('accepts a valid token from the Bearer header and from the cookie', async () => {
    const u = await register('valid@example.com');
    const token = await signSessionToken({ ...u, tokenVersion: 0 });
    expect(await sessionFromRequest(bearer(token), noCookies)).toEqual({ ...u, tokenVersion: 0 });
    const req = new Request('http://soko.test/');
    expect(await sessionFromRequest(req, fromCookie(token))).toEqual({ ...u, tokenVersion: 0 });
    expect(await statusFor(token)).toBe(200);
  });

  it('refuses alg "none"', async () => {
    const u = await register('none@example.com');
    const token = new UnsecuredJWT(claimsFor(u))
      .setSubject(u.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    expect(await sessionFromRequest(bearer(token), noCookies)).toBeUndefined();
    expect(await statusFor(token)).toBe(401);
  });

  it('refuses a token signed with another secret', async () => {
    const u = await register('other-secret@example.com');
    const token = await signSessionToken(
      { ...u, tokenVersion: 0 },
      { secret: 'another-secret-that-is-at-least-32-bytes-long' },
    );
    expect(await statusFor(token)).toBe(401);
  });

  it('refuses an RS256 token, even one whose claims are perfect', async () => {
    const u = await register('rs256@example.com');
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT(claimsFor(u))
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject(u.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await statusFor(token)).toBe(401);
  });

  it('refuses HS512 with the right secret (the algorithm is pinned)', async () => {
    const u = await register('hs512@example.com');
    const token = await new SignJWT(claimsFor(u))
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(u.id)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret());
    expect(await statusFor(token)).toBe(401);
  });

  it('refuses missing exp, expired, wrong iss, wrong aud, missing iat or sub', async () => {
    const u = await register('claims@example.com');
    const base = () => new SignJWT(claimsFor(u)).setProtectedHeader({ alg: 'HS256' }).setSubject(u.id).setIssuedAt();
    const good = await base()
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setExpirationTime('1h')
      .sign(secret());
    expect(await statusFor(good)).toBe(200); // the control: only the one change below breaks each token
    const cases = {
      missingExp: await base().setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE).sign(secret()),
      // Past the 30 s clock tolerance.
      expired: await base()
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(secret()),
      wrongIss: await base()
        .setIssuer('someone-else')
        .setAudience(TOKEN_AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret()),
      wrongAud: await base().setIssuer(TOKEN_ISSUER).setAudience('another-app').setExpirationTime('1h').sign(secret()),
      missingIat: await new SignJWT(claimsFor(u))
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(u.id)
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret()),
      missingSub: await new SignJWT(claimsFor(u))
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuedAt()
        .setIssuer(TOKEN_ISSUER)
        .setAudience(TOKEN_AUDIENCE)
        .setExpirationTime('1h')
        .sign(secret()),
    };
    for (const [name, token] of Object.entries(cases)) {
      expect({ name, status: await statusFor(token) }).toEqual({ name, status: 401 });
    }
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const u = await register('skew@example.com');
    const now = Math.floor(Date.now() / 1000);
    const token = await signedBetween(u, now - 600, now - 5);
    expect(await statusFor(token)).toBe(200);
  });

  it('remembers a verified token only as it verified: until it expires, under its own secret, byte for byte', async () => {
    const u = await register('remembered@example.com');
    const now = Math.floor(Date.now() / 1000);
    const token = await signedBetween(u, now - 60, now + 120);
    const claims = await verifySessionToken(token);
    expect(claims).toMatchObject({ sub: u.id, role: 'BUYER', ver: 0 });
    // Remembered: the same claims again, without the thread pool's HMAC.
    const subtle = vi.spyOn(crypto.subtle, 'verify');
    try {
      expect(await verifySessionToken(token)).toEqual(claims);
      expect(subtle).not.toHaveBeenCalled();
      // Another secret verifies anew (and refuses), though the token is remembered.
      expect(await verifySessionToken(token, { secret: 'another-secret-0123456789abcdef0123' })).toBeNull();
      expect(subtle).toHaveBeenCalledTimes(1);
    } finally {
      subtle.mockRestore();
    }
    // A twin with one character of the signature changed is checked, and refused.
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    expect(await verifySessionToken(`${token.slice(0, -2)}${last}${token.at(-1)}`)).toBeNull();
    // Past its expiry (and the clock tolerance) it is refused, remembered or not.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime((now + 120 + 31) * 1000);
      expect(await verifySessionToken(token)).toBeNull();
      expect(await statusFor(token)).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a tampered role claim', async () => {
    const u = await register('tamper@example.com');
    const token = await signSessionToken({ ...u, tokenVersion: 0 });
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const forged = [h, Buffer.from(JSON.stringify({ ...payload, role: 'ADMIN' })).toString('base64url'), s].join('.');
    expect(await sessionFromRequest(bearer(forged), noCookies)).toBeUndefined();
    expect(await statusOf(() => requireRole({ user: undefined }, 'ADMIN'))).toBe(401);
    expect(await statusFor(forged)).toBe(401);
  });

  it('refuses garbage and empty bearer values', async () => {
    for (const token of ['', 'abc', 'a.b.c', '...']) expect(await statusFor(token)).toBe(401);
  });

  it('revokes tokens from before a password change, a role change or a suspension', async () => {
    const pw = await register('revoke-pw@example.com');
    const beforePw = await signSessionToken({ ...pw, tokenVersion: 0 });
    const after = await changePassword(ctx().db, pw.id, {
      currentPassword: PASSWORD,
      newPassword: 'a new long phrase',
    });
    expect(await statusFor(beforePw)).toBe(401);
    expect(await statusFor(await signSessionToken(after))).toBe(200);

    const seller = await register('revoke-role@example.com', 'SELLER');
    const asSeller = await signSessionToken({ ...seller, tokenVersion: 0 });
    const user = await sessionFromRequest(bearer(asSeller), noCookies);
    expect(await statusOf(() => requireActiveUser(ctx().db, { user }, 'SELLER'))).toBe(200);
    await changeRole(ctx().db, (await systemAdmin(ctx().db)).id, seller.id, 'BUYER');
    // The token still verifies on its own; requireActiveUser (every private route) refuses it.
    expect(requireRole({ user }, 'SELLER').id).toBe(seller.id);
    expect(await statusOf(() => requireActiveUser(ctx().db, { user }, 'SELLER'))).toBe(401);

    const sus = await register('revoke-suspend@example.com');
    const beforeSuspension = await signSessionToken({ ...sus, tokenVersion: 0 });
    await setUserStatus(ctx().db, (await systemAdmin(ctx().db)).id, sus.id, 'SUSPENDED');
    expect(await statusFor(beforeSuspension)).toBe(401);
    // Even a token minted with the new version is refused while suspended.
    expect(await statusFor(await signSessionToken({ ...sus, tokenVersion: 1 }))).toBe(401);
  });

  it('answers 403 for a current token with the wrong role, using the role in the database', async () => {
    const buyer = await register('guard-buyer@example.com');
    const token = await signSessionToken({ ...buyer, tokenVersion: 0 });
    const user = await sessionFromRequest(bearer(token), noCookies);
    expect(await statusOf(() => requireActiveUser(ctx().db, { user }, 'SELLER', 'ADMIN'))).toBe(403);
    expect(await statusOf(() => requireRole({ user }, 'ADMIN'))).toBe(403);
    expect(await statusOf(() => requireUser({}))).toBe(401);
    expect(requireRole({ user }, 'BUYER').id).toBe(buyer.id);
  });

  it('checks ownership: the owner and admins pass, everyone else gets 403', async () => {
    expect(await statusOf(() => requireOwnership({ id: 'a', role: 'SELLER' }, 'a'))).toBe(200);
    expect(await statusOf(() => requireOwnership({ id: 'b', role: 'SELLER' }, 'a'))).toBe(403);
    expect(await statusOf(() => requireOwnership({ id: 'c', role: 'ADMIN' }, 'a'))).toBe(200);
    expect(await statusOf(() => requireOwnership({ id: 'c', role: 'ADMIN' }, 'a', { allowAdmin: false }))).toBe(403);
  });

  it('sends anonymous and revoked page visitors to sign-in with a way back, the wrong role to 403', async () => {
    const url = new URL('http://soko.test/sell?tab=orders');
    expect(await checkPageAccess(ctx().db, {}, url, 'SELLER')).toEqual({
      kind: 'redirect',
      location: '/signin?next=%2Fsell%3Ftab%3Dorders',
    });
    const buyer = await register('page-buyer@example.com');
    const user = { ...buyer, tokenVersion: 0 };
    expect(await checkPageAccess(ctx().db, { user }, url, 'SELLER')).toEqual({ kind: 'forbidden' });
    expect(await checkPageAccess(ctx().db, { user }, url)).toMatchObject({ kind: 'ok', user: { id: buyer.id } });
    await setUserStatus(ctx().db, (await systemAdmin(ctx().db)).id, buyer.id, 'SUSPENDED');
    expect(await checkPageAccess(ctx().db, { user }, url)).toMatchObject({ kind: 'redirect' });
  });
});

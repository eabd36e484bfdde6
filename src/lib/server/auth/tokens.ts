// Stateless session tokens: HS256 JWTs signed with JWT_SECRET (jose).
// Verification pins the algorithm, requires exp/iat/sub, and checks issuer
// and audience, so a token minted for another service or with another
// algorithm (none, RS256 with a public key as the HMAC secret) is refused.
// A token that verified is remembered until it expires (see `verified`).
import { errors, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { ROLES, type Role } from '../../shared/auth.ts';
import { getEnv } from '../env.ts';

export const TOKEN_ISSUER = 'soko-africa';
export const TOKEN_AUDIENCE = 'soko-africa:session';
/** Session lifetime; the cookie lives exactly as long. */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
/** Tolerated clock skew between hosts that sign and verify. */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_TOKEN_AGE_SECONDS = SESSION_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS;

export interface SessionClaims {
  sub: string;
  role: Role;
  email: string;
  name: string;
  /** The user's tokenVersion when the token was issued. */
  ver: number;
}

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  email: z.string(),
  name: z.string(),
  ver: z.number().int().nonnegative(),
  iat: z.number(),
  exp: z.number(),
});

const keyFor = (secret: string) => new TextEncoder().encode(secret);

export async function signSessionToken(
  user: { id: string; role: Role; email: string; name: string; tokenVersion: number },
  opts: { secret?: string; ttlSeconds?: number } = {},
): Promise<string> {
  return new SignJWT({ role: user.role, email: user.email, name: user.name, ver: user.tokenVersion })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${opts.ttlSeconds ?? SESSION_TTL_SECONDS}s`)
    .sign(keyFor(opts.secret ?? getEnv().JWT_SECRET));
}

/**
 * Tokens this process has verified, until they expire. A signed-in shopper sends the same token
 * with every request, and WebCrypto runs each HMAC check on libuv's thread pool: one more turn
 * of a busy event loop before the request can go on (the checkout under load waits for it).
 * The key is the whole token, signature included, so only the exact string that verified, under
 * the same secret, is answered from here. Revocation is not a property of the token (the
 * database re-read in requireActiveUser and checkout decides it), so nothing else is skipped.
 */
const verified = new LRUCache<string, { secret: string; claims: SessionClaims; until: number }>({ max: 20_000 });

/** The claims of a valid token, or null for anything else (bad signature, algorithm, claims, expiry). */
export async function verifySessionToken(token: string, opts: { secret?: string } = {}): Promise<SessionClaims | null> {
  const secret = opts.secret ?? getEnv().JWT_SECRET;
  const known = verified.get(token);
  if (known && known.secret === secret) {
    if (Date.now() / 1000 < known.until) return known.claims;
    verified.delete(token);
  }
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE_SECONDS,
    });
    const parsed = claimsSchema.safeParse(payload);
    if (!parsed.success) return null;
    const { sub, role, email, name, ver, iat, exp } = parsed.data;
    // Shared by every request that carries this token while it is remembered.
    const claims = Object.freeze({ sub, role, email, name, ver });
    // The moment jwtVerify would start refusing it: expired, or older than the session lifetime.
    const until = Math.min(exp, iat + MAX_TOKEN_AGE_SECONDS) + CLOCK_TOLERANCE_SECONDS;
    verified.set(token, { secret, claims, until });
    return claims;
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}

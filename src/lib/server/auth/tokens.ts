// Stateless session tokens: HS256 JWTs signed with JWT_SECRET (jose).
// Verification pins the algorithm, requires exp/iat/sub, and checks issuer
// and audience, so a token minted for another service or with another
// algorithm (none, RS256 with a public key as the HMAC secret) is refused.
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from '../../shared/auth.ts';
import { getEnv } from '../env.ts';

export const TOKEN_ISSUER = 'soko-africa';
export const TOKEN_AUDIENCE = 'soko-africa:session';
/** Session lifetime; the cookie lives exactly as long. */
export const SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;
/** Tolerated clock skew between hosts that sign and verify. */
const CLOCK_TOLERANCE_SECONDS = 30;

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

/** The claims of a valid token, or null for anything else (bad signature, algorithm, claims, expiry). */
export async function verifySessionToken(token: string, opts: { secret?: string } = {}): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keyFor(opts.secret ?? getEnv().JWT_SECRET), {
      algorithms: ['HS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      requiredClaims: ['sub', 'iat', 'exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: SESSION_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
    });
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) return null;
    const { sub, role, email, name, ver } = claims.data;
    return { sub, role, email, name, ver };
  } catch (err) {
    if (err instanceof errors.JOSEError || err instanceof TypeError) return null;
    throw err;
  }
}

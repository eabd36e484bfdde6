// Where a session comes from (the HttpOnly cookie or an Authorization: Bearer
// header) and how its cookies are set and cleared.
import { SESSION_HINT_COOKIE } from '../../shared/session-links.ts';
import { SESSION_TTL_SECONDS, verifySessionToken } from './tokens.ts';

export const SESSION_COOKIE = 'soko_session';

export interface CookieJar {
  get(name: string): { value: string } | undefined;
  set(name: string, value: string, options: Record<string, unknown>): void;
  delete(name: string, options: Record<string, unknown>): void;
}

/** The signed-in user a request carries, verified statelessly (signature, algorithm, claims, expiry). */
export async function sessionFromRequest(
  request: Request,
  cookies: Pick<CookieJar, 'get'>,
): Promise<App.Locals['user']> {
  const auth = request.headers.get('authorization');
  const bearer = auth?.match(/^Bearer\s+(\S+)$/i)?.[1];
  const token = bearer ?? cookies.get(SESSION_COOKIE)?.value;
  if (!token) return undefined;
  const claims = await verifySessionToken(token);
  if (!claims) return undefined;
  return { id: claims.sub, email: claims.email, name: claims.name, role: claims.role, tokenVersion: claims.ver };
}

export function setSessionCookies(cookies: CookieJar, token: string, production: boolean): void {
  const common = { path: '/', sameSite: 'lax', secure: production, maxAge: SESSION_TTL_SECONDS };
  cookies.set(SESSION_COOKIE, token, { ...common, httpOnly: true });
  // Readable by islands: only says a session exists, so anonymous pages skip /api/auth/me.
  cookies.set(SESSION_HINT_COOKIE, '1', { ...common, httpOnly: false });
}

export function clearSessionCookies(cookies: CookieJar, production: boolean): void {
  const common = { path: '/', sameSite: 'lax', secure: production };
  cookies.delete(SESSION_COOKIE, { ...common, httpOnly: true });
  cookies.delete(SESSION_HINT_COOKIE, common);
}

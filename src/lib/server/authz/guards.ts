// Access guards for API routes and SSR pages. Small and composable:
//   const user = requireUser(locals);                      // 401 when anonymous
//   const user = requireRole(locals, 'SELLER', 'ADMIN');   // 401 anonymous, 403 wrong role
//   const user = await requireActiveUser(db, locals, 'SELLER'); // same, re-checked in the database
//   requireOwnership(user, product.sellerId);              // 403 unless owner (or admin)
// Every route that reads or changes private data (orders, watchlist, store,
// account) uses requireActiveUser, so a demoted, suspended or password-changed
// user loses access at once, reads included (issue 8: a suspended user's
// sessions stop working). Checkout re-reads the account inside its one
// statement instead (isSessionCurrent, orders/checkout.ts).
// requireUser/requireRole trust the token alone.
import type { PublicUser, Role } from '../../shared/auth.ts';
import { findSessionUser } from '../auth/accounts.ts';
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';

export type SessionUser = NonNullable<App.Locals['user']>;
type WithUser = { user?: App.Locals['user'] };

const unauthenticated = () => new AppError('UNAUTHENTICATED', 'Sign in to continue');
const forbidden = () => new AppError('FORBIDDEN', 'Your account does not have access to this');

export function requireUser(locals: WithUser): SessionUser {
  if (!locals.user) throw unauthenticated();
  return locals.user;
}

export function requireRole(locals: WithUser, ...roles: Role[]): SessionUser {
  const user = requireUser(locals);
  if (roles.length > 0 && !roles.includes(user.role)) throw forbidden();
  return user;
}

export const sessionEnded = () => new AppError('UNAUTHENTICATED', 'Your session has ended; sign in again');

/**
 * A token still speaks for its account while the account is active and the token carries its
 * current version: a password, role or status change bumps the version, so an equal version
 * also means the token's role is the account's role. Checkout states the same rule in its SQL
 * (orders/checkout.ts), to check it in the statement that writes the order.
 */
export function isSessionCurrent(
  claimed: { tokenVersion: number },
  current: { status: string; tokenVersion: number },
): boolean {
  return current.status === 'ACTIVE' && current.tokenVersion === claimed.tokenVersion;
}

/**
 * Re-reads the user: gone, suspended, or a token from before the last
 * password/role/status change is a 401; a current role outside `roles` is a 403.
 * Returns the user as the database has it now.
 */
export async function requireActiveUser(db: Db, locals: WithUser, ...roles: Role[]): Promise<SessionUser> {
  const claimed = requireUser(locals);
  const current = await findSessionUser(db, claimed.id);
  if (!current || !isSessionCurrent(claimed, current)) throw sessionEnded();
  if (roles.length > 0 && !roles.includes(current.role)) throw forbidden();
  return {
    id: current.id,
    email: current.email,
    name: current.name,
    role: current.role,
    tokenVersion: current.tokenVersion,
  };
}

/** 403 unless `user` owns the resource; admins pass unless `allowAdmin` is false. */
export function requireOwnership(
  user: Pick<PublicUser, 'id' | 'role'>,
  ownerId: string,
  opts: { allowAdmin?: boolean } = {},
): void {
  if (user.id === ownerId) return;
  if (user.role === 'ADMIN' && opts.allowAdmin !== false) return;
  throw forbidden();
}

export type PageAccess =
  { kind: 'ok'; user: SessionUser } | { kind: 'redirect'; location: string } | { kind: 'forbidden' };

/**
 * For SSR pages: anonymous visitors (or ended sessions) go to sign-in with a
 * way back, the wrong role gets a 403 page. Uses the database like requireActiveUser.
 */
export async function checkPageAccess(db: Db, locals: WithUser, url: URL, ...roles: Role[]): Promise<PageAccess> {
  const signIn = {
    kind: 'redirect',
    location: `/signin?next=${encodeURIComponent(url.pathname + url.search)}`,
  } as const;
  if (!locals.user) return signIn;
  try {
    return { kind: 'ok', user: await requireActiveUser(db, locals, ...roles) };
  } catch (err) {
    if (err instanceof AppError && err.code === 'FORBIDDEN') return { kind: 'forbidden' };
    if (err instanceof AppError && err.code === 'UNAUTHENTICATED') return signIn;
    throw err;
  }
}

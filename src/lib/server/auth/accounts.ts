// Accounts: registration, login, password change, and the state changes that
// revoke sessions (role change, suspension). Every function takes the Db and
// explicit fields: request bodies are never spread into Prisma data.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { ChangePasswordInput, LoginInput, PublicUser, RegisterInput, Role } from '../../shared/auth.ts';
import type { Db } from '../db.ts';
import { recordAudit } from '../admin/audit.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import { assertStrongPassword } from './password-policy.ts';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password.ts';

/** The one message for every failed login, whatever went wrong (no user enumeration). */
export const INVALID_CREDENTIALS = 'Email or password is incorrect';

const publicFields = { id: true, email: true, name: true, role: true } as const;

/** How the audit log names `npm run create-admin` as the source of an entry (`after.via`). */
export const CREATE_ADMIN_COMMAND = 'npm run create-admin';

export interface SessionUser extends PublicUser {
  tokenVersion: number;
}

export async function registerUser(db: Db, input: RegisterInput): Promise<PublicUser> {
  assertStrongPassword(input.password, { email: input.email });
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.user.create({
      data: {
        email: input.email,
        name: input.name,
        role: input.role,
        passwordHash,
        // Every account gets a profile; a seller's store fields stay empty until they fill them in.
        profile: { create: { displayName: input.name } },
      },
      select: publicFields,
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      throw conflict('An account with this email already exists; sign in instead');
    }
    throw err;
  }
}

/** The user for these credentials, or 401 with the same message and similar timing for every failure. */
export async function authenticate(db: Db, input: LoginInput): Promise<SessionUser> {
  const user = await db.user.findUnique({
    where: { email: input.email },
    select: { ...publicFields, passwordHash: true, status: true, tokenVersion: true },
  });
  const ok = user ? await verifyPassword(input.password, user.passwordHash) : await burnPasswordCheck(input.password);
  if (!user || !ok || user.status !== 'ACTIVE') throw new AppError('UNAUTHENTICATED', INVALID_CREDENTIALS);
  return { id: user.id, email: user.email, name: user.name, role: user.role, tokenVersion: user.tokenVersion };
}

const WRONG_CURRENT_PASSWORD = 'Invalid body.currentPassword: the current password is incorrect';

/** True for changePassword's answer to a wrong current password (a guess the rate limiter counts). */
export function isWrongCurrentPassword(err: unknown): boolean {
  return err instanceof AppError && err.message === WRONG_CURRENT_PASSWORD;
}

/** Changes the password after checking the current one; bumps tokenVersion so other sessions end. */
export async function changePassword(db: Db, userId: string, input: ChangePasswordInput): Promise<SessionUser> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
  if (!user) throw new AppError('UNAUTHENTICATED', 'Sign in to continue');
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError('VALIDATION_FAILED', WRONG_CURRENT_PASSWORD, {
      issues: [{ path: 'body.currentPassword', message: 'is incorrect' }],
    });
  }
  assertStrongPassword(input.newPassword, { email: user.email }, 'body.newPassword');
  return db.user.update({
    where: { id: userId },
    data: { passwordHash: await hashPassword(input.newPassword), tokenVersion: { increment: 1 } },
    select: { ...publicFields, tokenVersion: true },
  });
}

/** The current state of a user for re-checking a session, or null when gone. */
export function findSessionUser(db: Db, userId: string) {
  return db.user.findUnique({ where: { id: userId }, select: { ...publicFields, status: true, tokenVersion: true } });
}

/**
 * Creates an admin, or promotes an existing account (its password stays
 * unless one is given). Used by `npm run create-admin`; the only way to an
 * admin besides another admin changing a role. Audited in the same
 * transaction like every admin-making change: no admin acts here, so the
 * entry's actor is the account itself and `after.via` names the command
 * (`user.role` for a promotion, as /admin/users records it; `user.create`
 * for a new account).
 */
export async function createOrPromoteAdmin(
  db: Db,
  input: { email: string; name?: string; password?: string },
): Promise<{ user: PublicUser; created: boolean }> {
  const existing = await db.user.findUnique({
    where: { email: input.email },
    select: { id: true, role: true, status: true },
  });
  // Taking a seller's role closes their store (refused with open orders, products hidden, audited):
  // that is an admin's change in /admin/users, not this script's.
  if (existing?.role === 'SELLER') {
    throw new AppError(
      'CONFLICT',
      `${input.email} is a seller: an admin changes their role in /admin/users, which closes their store`,
    );
  }
  if (input.password !== undefined) assertStrongPassword(input.password, { email: input.email }, 'password');
  const passwordHash = input.password !== undefined ? await hashPassword(input.password) : undefined;
  if (existing) {
    const user = await db.$transaction(async (tx) => {
      const promoted = await tx.user.update({
        where: { id: existing.id },
        data: {
          role: 'ADMIN',
          status: 'ACTIVE',
          tokenVersion: { increment: 1 },
          ...(passwordHash ? { passwordHash } : {}),
          ...(input.name ? { name: input.name } : {}),
        },
        select: publicFields,
      });
      await recordAudit(tx, promoted.id, {
        action: 'user.role',
        targetType: 'user',
        targetId: promoted.id,
        before: { role: existing.role, status: existing.status },
        after: {
          role: 'ADMIN',
          status: 'ACTIVE',
          via: CREATE_ADMIN_COMMAND,
          ...(passwordHash ? { passwordChanged: true } : {}),
        },
      });
      return promoted;
    });
    return { user, created: false };
  }
  if (!passwordHash) throw new AppError('VALIDATION_FAILED', 'A password is required to create a new admin');
  const name = input.name ?? 'Administrator';
  const user = await db.$transaction(async (tx) => {
    const made = await tx.user.create({
      data: { email: input.email, name, role: 'ADMIN', passwordHash, profile: { create: { displayName: name } } },
      select: publicFields,
    });
    await recordAudit(tx, made.id, {
      action: 'user.create',
      targetType: 'user',
      targetId: made.id,
      before: null,
      after: { role: 'ADMIN', status: 'ACTIVE', via: CREATE_ADMIN_COMMAND },
    });
    return made;
  });
  return { user, created: true };
}

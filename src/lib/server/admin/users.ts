// Admin user management: search, role changes, suspension. Role changes and
// suspensions bump the token version, so the user's sessions stop at once.
// An admin cannot demote or suspend themselves, nor remove the last admin.
// Taking a seller's role away closes their store (see changeRole).
import { retriedTransaction, type Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { OPEN_ORDER_STATUSES } from '../orders/lifecycle.ts';
import { recordAudit } from './audit.ts';
import { hideStoreProducts, restoreStoreProducts } from './moderation.ts';

export type Role = 'BUYER' | 'SELLER' | 'ADMIN';
export type UserStatus = 'ACTIVE' | 'SUSPENDED';

export interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: UserStatus;
  createdAt: string;
  storeName: string | null;
}

export interface UserSearch {
  q?: string;
  role?: Role;
  status?: UserStatus;
  page: number;
  perPage: number;
}

export async function searchUsers(db: Db, s: UserSearch): Promise<{ items: AdminUserRow[]; total: number }> {
  const where: Prisma.UserWhereInput = {
    ...(s.role ? { role: s.role } : {}),
    ...(s.status ? { status: s.status } : {}),
    ...(s.q
      ? { OR: [{ email: { contains: s.q.toLowerCase() } }, { name: { contains: s.q, mode: 'insensitive' } }] }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (s.page - 1) * s.perPage,
      take: s.perPage,
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        status: true,
        createdAt: true,
        profile: { select: { storeName: true } },
      },
    }),
    db.user.count({ where }),
  ]);
  return {
    items: rows.map(({ profile, createdAt, ...u }) => ({
      ...u,
      createdAt: createdAt.toISOString(),
      storeName: profile?.storeName ?? null,
    })),
    total,
  };
}

const otherActiveAdmins = (tx: Prisma.TransactionClient, userId: string) =>
  tx.user.count({ where: { role: 'ADMIN', status: 'ACTIVE', id: { not: userId } } });

/**
 * Serializable, so two admins demoting each other cannot both succeed and leave
 * none, and a checkout or restore committing while a store closes is not missed.
 * A serialization failure runs it again, a few times, then answers 409.
 */
function withLastAdminGuard<T>(db: Db, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return retriedTransaction(db, fn, {
    maxWait: 10_000,
    timeout: 15_000,
    isolationLevel: 'Serializable',
    attempts: 4,
    conflict: 'This account or its store changed at the same time; try again',
  });
}

/** "pending, confirmed or shipped", for the refusal. */
const OPEN_STATES = OPEN_ORDER_STATUSES.map((s) => s.toLowerCase())
  .join(', ')
  .replace(/, ([^,]+)$/, ' or $1');

/** A role change and what it did to the user's store. */
export interface RoleChange {
  user: AdminUserRow;
  /** Products taken off sale because the store closed (a seller became a buyer or an admin). */
  productsHidden: number;
  /** Products back on sale because the store reopened (they were hidden when it closed). */
  productsRestored: number;
}

/**
 * Changes a role. A store is open only while its owner is a SELLER: taking
 * that role away is refused while the seller has open orders (nobody could
 * fulfil them), and otherwise hides their products on sale in the same
 * transaction (admin/moderation.ts hideStoreProducts). Making them a seller
 * again puts those products back.
 */
export async function changeRole(db: Db, adminId: string, userId: string, role: Role): Promise<RoleChange> {
  if (userId === adminId) throw new AppError('CONFLICT', 'You cannot change your own role');
  const done = await withLastAdminGuard(db, async (tx) => {
    const user = await tx.user.findUnique({
      where: { id: userId },
      select: { role: true, status: true, name: true, profile: { select: { storeName: true } } },
    });
    if (!user) throw new AppError('NOT_FOUND', 'User not found');
    const effect = { productsHidden: 0, productsRestored: 0 };
    if (user.role === role) return effect;
    if (user.role === 'ADMIN' && (await otherActiveAdmins(tx, userId)) === 0) {
      throw new AppError('CONFLICT', 'This is the last admin; promote someone else first');
    }
    const closing = user.role === 'SELLER';
    if (closing) {
      // A concurrent checkout either committed before this snapshot (counted here) or
      // conflicts with the hide below (serialization failure: retried, then counted).
      const open = await tx.order.count({ where: { sellerId: userId, status: { in: OPEN_ORDER_STATUSES } } });
      if (open > 0) {
        const store = user.profile?.storeName || user.name;
        throw new AppError(
          'CONFLICT',
          `${store} has ${open} open ${open === 1 ? 'order' : 'orders'} (${OPEN_STATES}). ` +
            'Nobody could fulfil them after this change: have them delivered or cancelled first (Orders, filtered by this seller).',
          { openOrders: open },
        );
      }
    }
    await tx.user.update({ where: { id: userId }, data: { role, tokenVersion: { increment: 1 } } });
    if (closing) effect.productsHidden = await hideStoreProducts(tx, adminId, userId);
    if (role === 'SELLER') {
      // A new seller gets an empty store profile to fill in; a returning one gets their products back.
      await tx.profile.upsert({ where: { userId }, create: { userId, displayName: user.name }, update: {} });
      effect.productsRestored = await restoreStoreProducts(tx, adminId, userId);
    }
    await recordAudit(tx, adminId, {
      action: 'user.role',
      targetType: 'user',
      targetId: userId,
      before: { role: user.role },
      after: {
        role,
        ...(effect.productsHidden ? { productsHidden: effect.productsHidden } : {}),
        ...(effect.productsRestored ? { productsRestored: effect.productsRestored } : {}),
      },
    });
    return effect;
  });
  return { user: await getUserRow(db, userId), ...done };
}

export async function setUserStatus(
  db: Db,
  adminId: string,
  userId: string,
  status: UserStatus,
): Promise<AdminUserRow> {
  if (userId === adminId) throw new AppError('CONFLICT', 'You cannot suspend or reactivate yourself');
  await withLastAdminGuard(db, async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { role: true, status: true } });
    if (!user) throw new AppError('NOT_FOUND', 'User not found');
    if (user.status === status) return;
    if (status === 'SUSPENDED' && user.role === 'ADMIN' && (await otherActiveAdmins(tx, userId)) === 0) {
      throw new AppError('CONFLICT', 'This is the last active admin');
    }
    await tx.user.update({ where: { id: userId }, data: { status, tokenVersion: { increment: 1 } } });
    await recordAudit(tx, adminId, {
      action: status === 'SUSPENDED' ? 'user.suspend' : 'user.reactivate',
      targetType: 'user',
      targetId: userId,
      before: { status: user.status },
      after: { status },
    });
  });
  return getUserRow(db, userId);
}

async function getUserRow(db: Db, userId: string): Promise<AdminUserRow> {
  const u = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      role: true,
      status: true,
      createdAt: true,
      profile: { select: { storeName: true } },
    },
  });
  const { profile, createdAt, ...rest } = u;
  return { ...rest, createdAt: createdAt.toISOString(), storeName: profile?.storeName ?? null };
}

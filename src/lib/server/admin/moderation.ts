// Product moderation: an admin hides a product from the storefront with a
// reason the seller sees, and can restore it. Closing a store (its owner's
// SELLER role removed) hides its products the same way.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { z } from 'zod';
import { lockOpenStore } from '../stores/store-open.ts';
import { recordAudit, recordAudits } from './audit.ts';

/** What the product was before it was hidden, from that hide's audit entry. */
const hiddenFrom = z.object({ status: z.enum(['ACTIVE', 'DRAFT', 'ARCHIVED']) });

export async function hideProduct(db: Db, adminId: string, productId: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const p = await tx.product.findUnique({
      where: { id: productId },
      select: { status: true, moderationReason: true },
    });
    if (!p) throw new AppError('NOT_FOUND', 'Product not found');
    if (p.status === 'HIDDEN') throw new AppError('CONFLICT', 'The product is already hidden');
    // Conditional on the status read: a seller's archive or restore meanwhile is a 409, not overwritten.
    const moved = await tx.product.updateMany({
      where: { id: productId, status: p.status },
      data: { status: 'HIDDEN', moderationReason: reason },
    });
    if (moved.count !== 1) throw new AppError('CONFLICT', 'The product changed meanwhile; reload and try again');
    await recordAudit(tx, adminId, {
      action: 'product.hide',
      targetType: 'product',
      targetId: productId,
      before: { status: p.status },
      after: { status: 'HIDDEN', reason },
    });
  });
}

/**
 * Lifts the moderation: the product goes back to the status it had when it
 * was hidden (an archived or draft product must not go on sale because an
 * admin hid and restored it); ACTIVE when no hide was recorded. Returns it.
 * A product whose owner is no longer a seller cannot go back on sale (409).
 */
export async function unhideProduct(
  db: Db,
  adminId: string,
  productId: string,
): Promise<'ACTIVE' | 'DRAFT' | 'ARCHIVED'> {
  return db.$transaction(async (tx) => {
    const p = await tx.product.findUnique({
      where: { id: productId },
      select: { id: true, sellerId: true, status: true, moderationReason: true },
    });
    if (!p) throw new AppError('NOT_FOUND', 'Product not found');
    if (p.status !== 'HIDDEN') throw new AppError('CONFLICT', 'The product is not hidden');
    const restored = await liftHides(tx, adminId, [p]);
    return restored.get(p.id)!;
  });
}

/** The reason a former seller's products show: their store closed when an admin changed their role. */
export const STORE_CLOSED_REASON = 'Store closed: seller role removed';

/**
 * Closes a store in the transaction that takes its owner's SELLER role away:
 * their products on sale are hidden the way an admin hides one (reason
 * STORE_CLOSED_REASON, a product.hide entry each, so a restore knows they
 * were ACTIVE). Drafts, archived and already hidden products stay as they
 * are. Returns how many were hidden.
 */
export async function hideStoreProducts(tx: Prisma.TransactionClient, adminId: string, sellerId: string) {
  const ids = (await tx.product.findMany({ where: { sellerId, status: 'ACTIVE' }, select: { id: true } })).map(
    (p) => p.id,
  );
  if (ids.length === 0) return 0;
  const moved = await tx.product.updateMany({
    where: { id: { in: ids }, status: 'ACTIVE' },
    data: { status: 'HIDDEN', moderationReason: STORE_CLOSED_REASON },
  });
  if (moved.count !== ids.length) throw new AppError('CONFLICT', 'The store changed meanwhile; try again');
  await recordAudits(
    tx,
    adminId,
    ids.map((id) => ({
      action: 'product.hide',
      targetType: 'product' as const,
      targetId: id,
      before: { status: 'ACTIVE' },
      after: { status: 'HIDDEN', reason: STORE_CLOSED_REASON },
    })),
  );
  return ids.length;
}

/**
 * Reopens a store in the transaction that makes its owner a seller again:
 * the products hidden when it closed (still hidden for that reason; not
 * those hidden for another) go back to their status before, audited as
 * restores. Returns how many.
 */
export async function restoreStoreProducts(tx: Prisma.TransactionClient, adminId: string, sellerId: string) {
  const hidden = await tx.product.findMany({
    where: { sellerId, status: 'HIDDEN', moderationReason: STORE_CLOSED_REASON },
    select: { id: true, sellerId: true, moderationReason: true },
  });
  if (hidden.length > 0) await liftHides(tx, adminId, hidden);
  return hidden.length;
}

type Restorable = 'ACTIVE' | 'DRAFT' | 'ARCHIVED';

/** Puts hidden products back to their status before the hide (from its audit entry), audited. */
async function liftHides(
  tx: Prisma.TransactionClient,
  adminId: string,
  products: { id: string; sellerId: string; moderationReason: string | null }[],
): Promise<Map<string, Restorable>> {
  const ids = products.map((p) => p.id);
  const hides = await tx.auditLog.findMany({
    where: { targetType: 'product', targetId: { in: ids }, action: 'product.hide' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { targetId: true, before: true },
  });
  const to = new Map<string, Restorable>();
  for (const h of hides) {
    // The newest hide of each product tells; ACTIVE when it does not say.
    if (!to.has(h.targetId)) to.set(h.targetId, hiddenFrom.safeParse(h.before).data?.status ?? 'ACTIVE');
  }
  for (const id of ids) if (!to.has(id)) to.set(id, 'ACTIVE');
  // Nothing goes on sale in a closed store (the owner is no longer a seller).
  const selling = new Set(products.filter((p) => to.get(p.id) === 'ACTIVE').map((p) => p.sellerId));
  for (const sellerId of selling) await lockOpenStore(tx, sellerId);
  for (const status of new Set(to.values())) {
    const group = ids.filter((id) => to.get(id) === status);
    // Conditional, so a concurrent restore cannot write a second audit entry.
    const moved = await tx.product.updateMany({
      where: { id: { in: group }, status: 'HIDDEN' },
      data: { status, moderationReason: null },
    });
    if (moved.count !== group.length) throw new AppError('CONFLICT', 'The product is not hidden');
  }
  await recordAudits(
    tx,
    adminId,
    products.map((p) => ({
      action: 'product.restore',
      targetType: 'product' as const,
      targetId: p.id,
      before: { status: 'HIDDEN', reason: p.moderationReason },
      after: { status: to.get(p.id)! },
    })),
  );
  return to;
}

export interface AdminProductRow {
  id: string;
  slug: string;
  title: string;
  price: number;
  stock: number;
  status: string;
  moderationReason: string | null;
  seller: { id: string; name: string };
  category: string;
  createdAt: string;
}

export async function searchProducts(
  db: Db,
  s: {
    q?: string;
    status?: 'DRAFT' | 'ACTIVE' | 'ARCHIVED' | 'HIDDEN';
    sellerId?: string;
    page: number;
    perPage: number;
  },
): Promise<{ items: AdminProductRow[]; total: number }> {
  const where: Prisma.ProductWhereInput = {
    ...(s.status ? { status: s.status } : {}),
    ...(s.sellerId ? { sellerId: s.sellerId } : {}),
    ...(s.q
      ? { OR: [{ title: { contains: s.q, mode: 'insensitive' } }, { slug: { contains: s.q.toLowerCase() } }] }
      : {}),
  };
  const [rows, total] = await Promise.all([
    db.product.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      skip: (s.page - 1) * s.perPage,
      take: s.perPage,
      select: {
        id: true,
        slug: true,
        title: true,
        price: true,
        stock: true,
        status: true,
        moderationReason: true,
        createdAt: true,
        category: { select: { name: true } },
        seller: { select: { id: true, name: true, profile: { select: { storeName: true } } } },
      },
    }),
    db.product.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      price: r.price,
      stock: r.stock,
      status: r.status,
      moderationReason: r.moderationReason,
      createdAt: r.createdAt.toISOString(),
      category: r.category.name,
      seller: { id: r.seller.id, name: r.seller.profile?.storeName ?? r.seller.name },
    })),
    total,
  };
}

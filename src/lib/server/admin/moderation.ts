// Product moderation: an admin hides a product from the storefront with a
// reason the seller sees, and can restore it.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { z } from 'zod';
import { recordAudit } from './audit.ts';

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
 */
export async function unhideProduct(
  db: Db,
  adminId: string,
  productId: string,
): Promise<'ACTIVE' | 'DRAFT' | 'ARCHIVED'> {
  return db.$transaction(async (tx) => {
    const p = await tx.product.findUnique({
      where: { id: productId },
      select: { status: true, moderationReason: true },
    });
    if (!p) throw new AppError('NOT_FOUND', 'Product not found');
    if (p.status !== 'HIDDEN') throw new AppError('CONFLICT', 'The product is not hidden');
    const hide = await tx.auditLog.findFirst({
      where: { targetType: 'product', targetId: productId, action: 'product.hide' },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { before: true },
    });
    const parsed = hiddenFrom.safeParse(hide?.before);
    const status = parsed.success ? parsed.data.status : 'ACTIVE';
    // Conditional, so a concurrent restore cannot write a second audit entry.
    const moved = await tx.product.updateMany({
      where: { id: productId, status: 'HIDDEN' },
      data: { status, moderationReason: null },
    });
    if (moved.count !== 1) throw new AppError('CONFLICT', 'The product is not hidden');
    await recordAudit(tx, adminId, {
      action: 'product.restore',
      targetType: 'product',
      targetId: productId,
      before: { status: 'HIDDEN', reason: p.moderationReason },
      after: { status },
    });
    return status;
  });
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

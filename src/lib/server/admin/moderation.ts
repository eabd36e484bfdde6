// Product moderation: an admin hides a product from the storefront with a
// reason the seller sees, and can restore it.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { recordAudit } from './audit.ts';

export async function hideProduct(db: Db, adminId: string, productId: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const p = await tx.product.findUnique({
      where: { id: productId },
      select: { status: true, moderationReason: true },
    });
    if (!p) throw new AppError('NOT_FOUND', 'Product not found');
    if (p.status === 'HIDDEN') throw new AppError('CONFLICT', 'The product is already hidden');
    await tx.product.update({ where: { id: productId }, data: { status: 'HIDDEN', moderationReason: reason } });
    await recordAudit(tx, adminId, {
      action: 'product.hide',
      targetType: 'product',
      targetId: productId,
      before: { status: p.status },
      after: { status: 'HIDDEN', reason },
    });
  });
}

export async function unhideProduct(db: Db, adminId: string, productId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const p = await tx.product.findUnique({
      where: { id: productId },
      select: { status: true, moderationReason: true },
    });
    if (!p) throw new AppError('NOT_FOUND', 'Product not found');
    if (p.status !== 'HIDDEN') throw new AppError('CONFLICT', 'The product is not hidden');
    await tx.product.update({ where: { id: productId }, data: { status: 'ACTIVE', moderationReason: null } });
    await recordAudit(tx, adminId, {
      action: 'product.restore',
      targetType: 'product',
      targetId: productId,
      before: { status: 'HIDDEN', reason: p.moderationReason },
      after: { status: 'ACTIVE' },
    });
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

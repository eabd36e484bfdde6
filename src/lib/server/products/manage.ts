// Sellers managing their products: create, edit, archive, restore. Only the
// owning seller or an admin may change a product; a product an admin hid
// (moderation) stays hidden until an admin restores it.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Actor } from '../orders/queries.ts';
import type { ManagedProduct, ProductInput, ProductPatch } from '../../shared/stores.ts';

const select = {
  id: true,
  slug: true,
  title: true,
  description: true,
  price: true,
  stock: true,
  status: true,
  moderationReason: true,
  updatedAt: true,
  category: { select: { slug: true, name: true } },
  _count: { select: { images: true } },
} as const;

type Row = {
  id: string;
  slug: string;
  title: string;
  description: string;
  price: number;
  stock: number;
  status: string;
  moderationReason: string | null;
  updatedAt: Date;
  category: { slug: string; name: string };
  _count: { images: number };
};

const toManaged = ({ _count, updatedAt, ...p }: Row): ManagedProduct => ({
  ...p,
  imageCount: _count.images,
  updatedAt: updatedAt.toISOString(),
});

export function slugForTitle(title: string): string {
  const base = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60)
    .replace(/-$/, '');
  return `${base || 'product'}-${randomBytes(3).toString('hex')}`;
}

async function categoryId(db: Db, slug: string): Promise<string> {
  const c = await db.category.findUnique({ where: { slug }, select: { id: true } });
  if (!c)
    throw new AppError('VALIDATION_FAILED', `Invalid body.categorySlug: no category "${slug}"`, {
      field: 'categorySlug',
    });
  return c.id;
}

/** The product if `actor` may manage it: 404 if it does not exist, 403 if it is someone else's. */
async function ownedProduct(db: Db, actor: Actor, id: string) {
  const p = await db.product.findUnique({ where: { id }, select: { id: true, sellerId: true, status: true } });
  if (!p) throw new AppError('NOT_FOUND', 'Product not found');
  if (actor.role !== 'ADMIN' && p.sellerId !== actor.id)
    throw new AppError('FORBIDDEN', 'This product belongs to another seller');
  return p;
}

/** For routes: 404/403 before the body is read, so a non-owner never learns what a valid edit looks like. */
export async function requireManageableProduct(db: Db, actor: Actor, id: string): Promise<void> {
  await ownedProduct(db, actor, id);
}

export async function createProduct(db: Db, actor: Actor, input: ProductInput): Promise<ManagedProduct> {
  if (actor.role !== 'SELLER') throw new AppError('FORBIDDEN', 'Only sellers can list products');
  const row = await db.product.create({
    data: {
      sellerId: actor.id,
      categoryId: await categoryId(db, input.categorySlug),
      slug: slugForTitle(input.title),
      title: input.title,
      description: input.description,
      price: input.priceKES,
      stock: input.stock,
      status: 'ACTIVE',
    },
    select,
  });
  return toManaged(row);
}

export async function updateProduct(db: Db, actor: Actor, id: string, patch: ProductPatch): Promise<ManagedProduct> {
  await ownedProduct(db, actor, id);
  const { categorySlug, priceKES, ...rest } = patch;
  const row = await db.product.update({
    where: { id },
    data: {
      ...rest,
      ...(priceKES !== undefined ? { price: priceKES } : {}),
      ...(categorySlug ? { categoryId: await categoryId(db, categorySlug) } : {}),
    },
    select,
  });
  return toManaged(row);
}

export async function archiveProduct(db: Db, actor: Actor, id: string): Promise<ManagedProduct> {
  const p = await ownedProduct(db, actor, id);
  if (p.status === 'HIDDEN' && actor.role !== 'ADMIN')
    throw new AppError('CONFLICT', 'This product is hidden by moderation');
  return toManaged(await db.product.update({ where: { id }, data: { status: 'ARCHIVED' }, select }));
}

export async function restoreProduct(db: Db, actor: Actor, id: string): Promise<ManagedProduct> {
  const p = await ownedProduct(db, actor, id);
  if (p.status === 'HIDDEN' && actor.role !== 'ADMIN') {
    throw new AppError('CONFLICT', 'This product was hidden by an admin; contact support to have it restored');
  }
  return toManaged(
    await db.product.update({ where: { id }, data: { status: 'ACTIVE', moderationReason: null }, select }),
  );
}

export async function listSellerProducts(db: Db, sellerId: string): Promise<ManagedProduct[]> {
  const rows = await db.product.findMany({
    where: { sellerId },
    select,
    orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    take: 1000,
  });
  return rows.map(toManaged);
}

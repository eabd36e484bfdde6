// Sellers managing their products: create, edit, archive, restore. Only the
// owning seller or an admin may change a product; a product an admin hid
// (moderation) stays hidden until an admin restores it. An admin's change
// through these functions is written to the audit log with it. Nothing goes
// on sale while its owner is not a seller (stores/store-open.ts).
import { randomBytes } from 'node:crypto';
import { auditIfAdmin } from '../admin/audit.ts';
import { unhideProduct } from '../admin/moderation.ts';
import type { Db } from '../db.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { AppError } from '../http/errors.ts';
import { lockOpenStore } from '../stores/store-open.ts';
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

// The row as selected, derived from the select itself so the two cannot drift.
type Row = Prisma.ProductGetPayload<{ select: typeof select }>;

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
  const category = await categoryId(db, input.categorySlug);
  const row = await db.$transaction(async (tx) => {
    // Still a seller as this commits: a role change meanwhile closed the store.
    await lockOpenStore(tx, actor.id);
    return tx.product.create({
      data: {
        sellerId: actor.id,
        categoryId: category,
        slug: slugForTitle(input.title),
        title: input.title,
        description: input.description,
        price: input.priceKES,
        stock: input.stock,
        status: 'ACTIVE',
      },
      select,
    });
  });
  return toManaged(row);
}

/** The fields a patch touched, as the audit log shows them (price in minor units, category by slug). */
function editedFields(row: Row, patch: ProductPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as (keyof ProductPatch)[]) {
    if (key === 'priceKES') out.price = row.price;
    else if (key === 'categorySlug') out.category = row.category.slug;
    else out[key] = row[key];
  }
  return out;
}

export async function updateProduct(db: Db, actor: Actor, id: string, patch: ProductPatch): Promise<ManagedProduct> {
  await ownedProduct(db, actor, id);
  const { categorySlug, priceKES, ...rest } = patch;
  const data = {
    ...rest,
    ...(priceKES !== undefined ? { price: priceKES } : {}),
    ...(categorySlug ? { categoryId: await categoryId(db, categorySlug) } : {}),
  };
  return db.$transaction(async (tx) => {
    const before = await tx.product.findUniqueOrThrow({ where: { id }, select });
    const row = await tx.product.update({ where: { id }, data, select });
    await auditIfAdmin(tx, actor, {
      action: 'product.edit',
      targetType: 'product',
      targetId: id,
      before: editedFields(before, patch),
      after: editedFields(row, patch),
    });
    return toManaged(row);
  });
}

export async function archiveProduct(db: Db, actor: Actor, id: string): Promise<ManagedProduct> {
  const p = await ownedProduct(db, actor, id);
  // Not even by an admin: archived, its seller could restore it and undo the moderation.
  if (p.status === 'HIDDEN') throw new AppError('CONFLICT', 'This product is hidden by moderation');
  return db.$transaction(async (tx) => {
    // Conditional: a hide that lands meanwhile is kept, not overwritten.
    const moved = await tx.product.updateMany({ where: { id, status: p.status }, data: { status: 'ARCHIVED' } });
    if (moved.count !== 1) throw new AppError('CONFLICT', 'The product changed meanwhile; reload and try again');
    if (p.status !== 'ARCHIVED') {
      await auditIfAdmin(tx, actor, {
        action: 'product.archive',
        targetType: 'product',
        targetId: id,
        before: { status: p.status },
        after: { status: 'ARCHIVED' },
      });
    }
    return toManaged(await tx.product.findUniqueOrThrow({ where: { id }, select }));
  });
}

export async function restoreProduct(db: Db, actor: Actor, id: string): Promise<ManagedProduct> {
  const p = await ownedProduct(db, actor, id);
  if (p.status === 'HIDDEN') {
    if (actor.role !== 'ADMIN') {
      throw new AppError('CONFLICT', 'This product was hidden by an admin; contact support to have it restored');
    }
    // An admin restoring a hidden product lifts the moderation, audited as on /admin/products.
    await unhideProduct(db, actor.id, id);
    return toManaged(await db.product.findUniqueOrThrow({ where: { id }, select }));
  }
  return db.$transaction(async (tx) => {
    // Back on sale only in an open store (a former seller's archived products stay off).
    if (p.status !== 'ACTIVE') await lockOpenStore(tx, p.sellerId);
    const moved = await tx.product.updateMany({
      where: { id, status: p.status },
      data: { status: 'ACTIVE', moderationReason: null },
    });
    if (moved.count !== 1) throw new AppError('CONFLICT', 'The product changed meanwhile; reload and try again');
    if (p.status !== 'ACTIVE') {
      await auditIfAdmin(tx, actor, {
        action: 'product.unarchive',
        targetType: 'product',
        targetId: id,
        before: { status: p.status },
        after: { status: 'ACTIVE' },
      });
    }
    return toManaged(await tx.product.findUniqueOrThrow({ where: { id }, select }));
  });
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

// Small factories for integration tests: users, stores, categories, products.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../src/lib/server/db.ts';

const uid = () => randomBytes(4).toString('hex');

export async function makeUser(db: Db, role: 'BUYER' | 'SELLER' | 'ADMIN' = 'BUYER', name = `${role} ${uid()}`) {
  const n = uid();
  return db.user.create({
    data: {
      email: `${role.toLowerCase()}-${n}@example.com`,
      name,
      role,
      passwordHash: 'not-a-real-hash',
      profile: {
        create:
          role === 'SELLER'
            ? { displayName: name, storeName: `${name} Store`, handle: `store-${n}`, location: 'Westlands' }
            : { displayName: name },
      },
    },
  });
}

export async function makeCategory(db: Db) {
  const n = uid();
  return db.category.create({ data: { slug: `cat-${n}`, name: `Category ${n}` } });
}

export async function makeProduct(
  db: Db,
  sellerId: string,
  opts: {
    stock?: number;
    price?: number;
    status?: 'ACTIVE' | 'ARCHIVED' | 'HIDDEN' | 'DRAFT';
    categoryId?: string;
    title?: string;
  } = {},
) {
  const n = uid();
  const categoryId = opts.categoryId ?? (await makeCategory(db)).id;
  return db.product.create({
    data: {
      slug: `product-${n}`,
      title: opts.title ?? `Product ${n}`,
      description: 'A test product',
      price: opts.price ?? 250_000,
      stock: opts.stock ?? 10,
      status: opts.status ?? 'ACTIVE',
      sellerId,
      categoryId,
    },
  });
}

export const DELIVERY = { location: 'Westlands', phone: '0712345678' };

/** An admin to act in tests that need one (created on first use per database). */
export async function systemAdmin(db: Db) {
  const existing = await db.user.findUnique({ where: { email: 'system-admin@example.com' } });
  return (
    existing ??
    db.user.create({
      data: { email: 'system-admin@example.com', name: 'System Admin', role: 'ADMIN', passwordHash: 'x' },
    })
  );
}

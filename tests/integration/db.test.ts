// The database module and schema on both engines: the same schema and
// queries serve PGlite and PostgreSQL, and the invariants hold in the database.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syncSchemaWith } from '../../prisma/sync.ts';
import { clientFor, createDb, openAdapter } from '../../src/lib/server/db.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { createDatabase, dropDatabase } from '../helpers/postgres.ts';

describeEachEngine('database', (ctx) => {
  async function makeProduct(stock = 3) {
    const { db } = ctx();
    const n = Math.random().toString(36).slice(2, 8);
    const seller = await db.user.create({
      data: { email: `s-${n}@example.com`, name: 'Seller', role: 'SELLER', passwordHash: 'x' },
    });
    const category = await db.category.create({ data: { slug: `cat-${n}`, name: 'Cat' } });
    return db.product.create({
      data: {
        slug: `p-${n}`,
        title: 'Thing',
        description: 'A thing',
        price: 150_000,
        stock,
        sellerId: seller.id,
        categoryId: category.id,
      },
    });
  }

  it('round-trips a product with integer KES minor units', async () => {
    const p = await makeProduct();
    const found = await ctx().db.product.findUniqueOrThrow({ where: { id: p.id } });
    expect(found.price).toBe(150_000);
    expect(found.status).toBe('ACTIVE');
  });

  it('refuses negative stock with a CHECK constraint, whatever the application does', async () => {
    const p = await makeProduct(1);
    await expect(ctx().db.product.update({ where: { id: p.id }, data: { stock: -1 } })).rejects.toThrow(
      /Product_stock_nonnegative|check constraint/i,
    );
    await expect(ctx().db.product.update({ where: { id: p.id }, data: { stock: { decrement: 2 } } })).rejects.toThrow();
    expect((await ctx().db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(1);
  });

  it('decrements stock atomically only while enough is left', async () => {
    const p = await makeProduct(2);
    const { db } = ctx();
    const first = await db.product.updateMany({
      where: { id: p.id, stock: { gte: 2 } },
      data: { stock: { decrement: 2 } },
    });
    const second = await db.product.updateMany({
      where: { id: p.id, stock: { gte: 1 } },
      data: { stock: { decrement: 1 } },
    });
    expect(first.count).toBe(1);
    expect(second.count).toBe(0);
  });

  it('keeps review ratings between 1 and 5 and one review per author and product', async () => {
    const p = await makeProduct();
    const { db } = ctx();
    const author = await db.user.create({ data: { email: `r-${p.id}@example.com`, name: 'R', passwordHash: 'x' } });
    await expect(db.review.create({ data: { productId: p.id, authorId: author.id, rating: 6 } })).rejects.toThrow();
    await db.review.create({ data: { productId: p.id, authorId: author.id, rating: 5 } });
    await expect(db.review.create({ data: { productId: p.id, authorId: author.id, rating: 4 } })).rejects.toThrow(
      /Unique constraint/i,
    );
  });

  it('keeps emails unique', async () => {
    const { db } = ctx();
    await db.user.create({ data: { email: 'dup@example.com', name: 'A', passwordHash: 'x' } });
    await expect(db.user.create({ data: { email: 'dup@example.com', name: 'B', passwordHash: 'x' } })).rejects.toThrow(
      /Unique constraint/i,
    );
  });

  it('has hash indexes where lookups are equality only, B-tree where they sort', async () => {
    const rows = await ctx().db.$queryRaw<{ indexname: string; indexdef: string }[]>`
      SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()`;
    const def = (name: string) => rows.find((r) => r.indexname === name)?.indexdef ?? '';
    expect(def('User_role_idx')).toMatch(/USING hash/);
    expect(def('OrderItem_productId_idx')).toMatch(/USING hash/);
    expect(def('WatchlistItem_productId_idx')).toMatch(/USING hash/);
    expect(def('User_email_key')).toMatch(/UNIQUE INDEX .* USING btree/);
    expect(def('Product_status_createdAt_idx')).toMatch(/USING btree/);
  });

  it('numbers orders from a sequence without collisions', async () => {
    const { nextOrderNumber } = await import('../../src/lib/server/orders/number.ts');
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => nextOrderNumber(ctx().db, new Date('2026-03-01'))),
    );
    expect(new Set(numbers).size).toBe(20);
    for (const n of numbers) expect(n).toMatch(/^SOKO-2026-\d{6}$/);
  });
});

describe('database module', () => {
  it('creates the embedded database folder on first use and keeps its data across restarts', async () => {
    const root = mkdtempSync(join(tmpdir(), 'soko-pglite-'));
    const dir = join(root, 'not', 'there', 'yet');
    try {
      const first = openAdapter({ pgliteDir: dir });
      expect(first.engine).toBe('pglite');
      expect(existsSync(dir)).toBe(true);
      await syncSchemaWith(first);
      const a = clientFor(first);
      await a.db.category.create({ data: { slug: 'kept', name: 'Kept' } });
      await a.close();

      const again = createDb({ pgliteDir: dir });
      expect(again.engine).toBe('pglite');
      expect((await again.db.category.findUnique({ where: { slug: 'kept' } }))?.name).toBe('Kept');
      await again.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);

  it('bounds the PostgreSQL pool at poolSize connections, however many queries wait', async () => {
    const name = `soko_pool_${randomBytes(4).toString('hex')}`;
    const url = await createDatabase(name);
    const { db, engine, close } = createDb({ url, poolSize: 2 });
    try {
      expect(engine).toBe('postgresql');
      // Each query reports how many connections this database has while it sleeps.
      const seen = await Promise.all(
        Array.from({ length: 6 }, () =>
          db.$queryRaw<{ n: number }[]>`
            SELECT count(*)::int AS n, pg_sleep(0.2)::text AS slept
            FROM pg_stat_activity WHERE datname = current_database()`.then((r) => r[0]!.n),
        ),
      );
      expect(Math.max(...seen)).toBe(2);
    } finally {
      await close();
      await dropDatabase(name);
    }
  }, 60_000);
});

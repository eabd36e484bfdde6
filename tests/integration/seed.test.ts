// The demo catalog: big and believable enough, images stored like uploads,
// metrics not zero, and a second run changes nothing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { seedDatabase, type SeedResult } from '../../prisma/seed/index.ts';
import { contentKey, FolderStorage } from '../../src/lib/server/images/storage.ts';
import { getSellerMetrics } from '../../src/lib/server/stores/metrics.ts';
import { describeEachEngine } from '../helpers/db.ts';

// Shared with other test runs: the manifest lets repeat seeds skip rendering.
const uploads = resolve('.data/test/uploads');
const storage = new FolderStorage(uploads);
const options = { storage, cacheDir: resolve('.data/test'), password: 'soko-demo-2026', bcryptRounds: 4 };

describeEachEngine('seed', (ctx) => {
  let first: SeedResult;

  it('creates the demo catalog', async () => {
    first = await seedDatabase(ctx().db, options);
    const { db } = ctx();
    expect(first.products).toBeGreaterThanOrEqual(150);
    expect(await db.category.count()).toBeGreaterThanOrEqual(8);
    const sellers = await db.user.findMany({ where: { role: 'SELLER' }, include: { profile: true } });
    expect(sellers.length).toBeGreaterThanOrEqual(12);
    const locations = new Set(sellers.map((s) => s.profile?.location));
    for (const place of ['Westlands', 'Karen', 'Kilimani', 'Lavington', 'Gigiri', 'Runda'])
      expect(locations).toContain(place);
    expect(sellers.every((s) => s.profile?.handle && s.profile.storeName)).toBe(true);
    expect(await db.user.count({ where: { role: 'ADMIN' } })).toBe(1);
    expect(await db.user.count({ where: { role: 'BUYER' } })).toBeGreaterThanOrEqual(3);
    // Analyzed after the load: reltuples is -1 until a table's first ANALYZE or VACUUM, and
    // PGlite never runs autovacuum.
    const [stats] = await db.$queryRaw<{ reltuples: number }[]>`
      SELECT reltuples::float8 AS reltuples FROM pg_class WHERE relname = 'Product'`;
    expect(stats!.reltuples).toBe(first.products);
  }, 300_000); // the first run on a clean machine renders ~500 images

  it('gives every product 2 to 4 stored images with placeholders', async () => {
    const { db } = ctx();
    const counts = await db.productImage.groupBy({ by: ['productId'], _count: { _all: true } });
    expect(counts.length).toBe(first.products);
    for (const c of counts) {
      expect(c._count._all).toBeGreaterThanOrEqual(2);
      expect(c._count._all).toBeLessThanOrEqual(4);
    }
    const sample = await db.productImage.findMany({ take: 6, orderBy: { id: 'asc' } });
    for (const img of sample) {
      expect(img.sourceKey).toBe(contentKey(img.contentHash));
      const bytes = await storage.get(img.sourceKey);
      expect(bytes).not.toBeNull();
      expect(createHash('sha256').update(bytes!).digest('hex')).toBe(img.contentHash);
      const meta = await sharp(bytes!).metadata();
      expect([meta.width, meta.height]).toEqual([img.width, img.height]);
      expect(img.lqip).toMatch(/^data:image\/webp;base64,/);
      expect(img.lqip.length).toBeLessThan(1024);
      expect(img.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    }
    // Distinct product shots, not one image reused.
    const hashes = await db.productImage.findMany({ where: { position: 0 }, select: { contentHash: true } });
    expect(new Set(hashes.map((h) => h.contentHash)).size).toBe(hashes.length);
  });

  it('leaves orders and reviews so seller metrics are not zero', async () => {
    const { db } = ctx();
    expect(first.orders).toBeGreaterThan(20);
    expect(first.reviews).toBeGreaterThan(10);
    const delivered = await db.order.count({ where: { status: 'DELIVERED' } });
    expect(delivered).toBeGreaterThan(0);
    // Every review is backed by a delivered order of that product by that author.
    const reviews = await db.review.findMany({ select: { productId: true, authorId: true } });
    for (const r of reviews) {
      const backing = await db.orderItem.count({
        where: { productId: r.productId, order: { buyerId: r.authorId, status: 'DELIVERED' } },
      });
      expect(backing).toBeGreaterThan(0);
    }
    // Every store's dashboard (the real metrics) starts with sales, best sellers and a rating.
    const sellers = await db.user.findMany({ where: { role: 'SELLER' }, select: { id: true, email: true } });
    for (const s of sellers) {
      const m = await getSellerMetrics(db, s.id);
      expect({
        seller: s.email,
        sales: m.totalSales > 0,
        best: m.bestSellers.length > 0,
        rated: m.rating.count > 0,
      }).toEqual({ seller: s.email, sales: true, best: true, rated: true });
    }
  });

  it('is idempotent', async () => {
    const again = await seedDatabase(ctx().db, options);
    expect(again.created).toBe(0);
    expect({ ...again, created: 0 }).toEqual({ ...first, created: 0 });
  }, 120_000);

  it('grows to a large catalog for benchmarks', async () => {
    const big = await seedDatabase(ctx().db, { ...options, products: 400 });
    expect(big.products).toBe(400);
    const extra = await ctx().db.productImage.count({ where: { product: { slug: { contains: '-b2-' } } } });
    expect(extra).toBeGreaterThan(0);
  }, 120_000);
});

it('refuses to seed the demo accounts in production, before touching the database', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'prisma/seed.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      JWT_SECRET: 'x'.repeat(32),
      // Nothing listens on port 1: a seed that tried to connect would fail differently.
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none',
    },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('db:seed: refused in production');
});

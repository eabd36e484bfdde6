// The catalog gate routes pages edited after the build to on-demand rendering.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { createCatalogGate, readBuiltAt } from '../../src/lib/server/http/catalog-gate.ts';
import { placeOrder } from '../../src/lib/server/orders/checkout.ts';
import { transitionOrder } from '../../src/lib/server/orders/lifecycle.ts';
import { checkoutSchema } from '../../src/lib/shared/orders.ts';
import { updateStoreProfile } from '../../src/lib/server/stores/store-profile.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { DELIVERY, makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('catalog gate: pages changed after the build', (ctx) => {
  it('marks stores and products updated after the build live, archived ones gone, others static', async () => {
    const { db } = ctx();
    const [edited, untouched, reviewedStore] = [
      await makeUser(db, 'SELLER'),
      await makeUser(db, 'SELLER'),
      await makeUser(db, 'SELLER'),
    ];
    const stale = await makeProduct(db, untouched.id);
    const toEdit = await makeProduct(db, edited.id);
    const reviewed = await makeProduct(db, reviewedStore.id);
    const toArchive = await makeProduct(db, edited.id);
    const buyer = await makeUser(db);
    // The clock of the database decides updatedAt: take the build time from it too.
    const builtAt = new Date(
      (await db.product.findUniqueOrThrow({ where: { id: toArchive.id } })).updatedAt.getTime() + 1,
    );
    await new Promise((r) => setTimeout(r, 5));
    await updateStoreProfile(db, edited.id, { description: 'New words' });
    await db.product.update({ where: { id: toEdit.id }, data: { stock: 2 } });
    await db.product.update({ where: { id: toArchive.id }, data: { status: 'ARCHIVED' } });
    await db.review.create({ data: { productId: reviewed.id, authorId: buyer.id, rating: 5, body: 'Lovely' } });

    const gate = createCatalogGate(db, { builtAt });
    await gate.refresh();
    const handleOf = async (id: string) => (await db.profile.findUniqueOrThrow({ where: { userId: id } })).handle!;
    expect(gate.check(`/s/${await handleOf(edited.id)}`)).toBe('live');
    expect(gate.check(`/s/${await handleOf(edited.id)}/`)).toBe('live');
    expect(gate.check(`/s/${await handleOf(untouched.id)}`)).toBeNull();
    expect(gate.check(`/p/${toEdit.slug}`)).toBe('live');
    expect(gate.check(`/p/${toArchive.slug}`)).toBe('gone');
    expect(gate.check(`/p/${reviewed.slug}`)).toBe('live');
    // Its store page shows the store's rating and review count: live too, though neither row changed.
    expect(gate.check(`/s/${await handleOf(reviewedStore.id)}`)).toBe('live');
    expect(gate.check(`/p/${stale.slug}`)).toBeNull();

    // Without a build time (no build-info.json) nothing is routed live.
    const plain = createCatalogGate(db);
    await plain.refresh();
    expect(plain.check(`/p/${toEdit.slug}`)).toBeNull();
    expect(plain.check(`/p/${toArchive.slug}`)).toBe('gone');
  });

  it('keeps a product static when only its stock moves (a sale, a cancellation)', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const buyer = await makeUser(db, 'BUYER');
    const sold = await makeProduct(db, seller.id, { stock: 5 });
    const builtAt = new Date((await db.product.findUniqueOrThrow({ where: { id: sold.id } })).updatedAt.getTime() + 1);
    await new Promise((r) => setTimeout(r, 5));
    const order = await placeOrder(
      db,
      buyer,
      checkoutSchema.parse({ items: [{ productId: sold.id, quantity: 2 }], delivery: DELIVERY }),
      { whatsappNumber: '254756185209' },
    );
    await transitionOrder(db, { id: seller.id, role: 'SELLER' }, order.orders[0]!.id, 'CANCELLED');
    const after = await db.product.findUniqueOrThrow({ where: { id: sold.id } });
    expect(after.stock).toBe(5);

    const gate = createCatalogGate(db, { builtAt });
    await gate.refresh();
    expect(gate.check(`/p/${sold.slug}`)).toBeNull();
    // An edit still makes it live.
    await db.product.update({ where: { id: sold.id }, data: { title: 'Renamed piece' } });
    await gate.refresh();
    expect(gate.check(`/p/${sold.slug}`)).toBe('live');
  });

  it('reports products edited, reviewed, gone or back since its last refresh (to evict cached API answers)', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const buyer = await makeUser(db);
    const [edited, reviewed, archived, quiet] = [
      await makeProduct(db, seller.id),
      await makeProduct(db, seller.id),
      await makeProduct(db, seller.id),
      await makeProduct(db, seller.id),
    ];
    const reports: string[][] = [];
    const gate = createCatalogGate(db, { onChanged: (keys) => reports.push(keys.sort()) });
    await gate.refresh();
    // The first refresh only learns the state (nothing cached can predate the process).
    expect(reports).toEqual([]);
    // Each refresh looks back one more second (clock skew between hosts), so the fixtures just made
    // may be reported once; past that window an unchanged catalog reports nothing.
    await new Promise((r) => setTimeout(r, 1_100));
    await gate.refresh();
    reports.length = 0;
    await new Promise((r) => setTimeout(r, 1_100));
    await gate.refresh();
    expect(reports).toEqual([]);

    await db.product.update({ where: { id: edited.id }, data: { price: 123_400 } });
    await db.review.create({ data: { productId: reviewed.id, authorId: buyer.id, rating: 4, body: 'Good' } });
    // A status flip that leaves updatedAt alone (raw SQL, as an operator might) is still seen.
    await db.$executeRaw`UPDATE "Product" SET status = 'ARCHIVED' WHERE id = ${archived.id}`;
    await gate.refresh();
    expect(reports).toEqual([[edited.id, edited.slug, reviewed.id, reviewed.slug, archived.id, archived.slug].sort()]);
    expect(reports.flat()).not.toContain(quiet.id);

    await new Promise((r) => setTimeout(r, 1_100));
    await db.$executeRaw`UPDATE "Product" SET status = 'ACTIVE' WHERE id = ${archived.id}`;
    await gate.refresh();
    // Back on sale (the edits above may be reported again: the look-back overlaps).
    expect(reports[1]).toEqual(expect.arrayContaining([archived.id, archived.slug]));
    expect(reports.flat()).not.toContain(quiet.slug);
  });
});

it('reads the build time written by the build, and tolerates its absence', () => {
  const dir = mkdtempSync(join(tmpdir(), 'soko-build-'));
  expect(readBuiltAt(dir)).toBeUndefined();
  mkdirSync(join(dir, 'client'));
  writeFileSync(join(dir, 'client/build-info.json'), JSON.stringify({ builtAt: '2026-03-01T10:00:00.000Z' }));
  expect(readBuiltAt(dir)?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
});

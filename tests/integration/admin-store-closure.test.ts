// Taking a seller's role away closes their store, on both engines: refused
// while they have open orders; otherwise exactly their products on sale are
// hidden (moderation, audited) in the role change's transaction, checkout and
// the catalog gate then refuse them, nothing puts them back on sale while the
// owner is not a seller, and making them a seller again reopens the store.
import { expect, it } from 'vitest';
import { listAudit } from '../../src/lib/server/admin/audit.ts';
import { hideProduct, STORE_CLOSED_REASON, unhideProduct } from '../../src/lib/server/admin/moderation.ts';
import { changeRole } from '../../src/lib/server/admin/users.ts';
import { createOrPromoteAdmin } from '../../src/lib/server/auth/accounts.ts';
import { getCategoryPage } from '../../src/lib/server/catalog/pages.ts';
import { getProductDetail } from '../../src/lib/server/catalog/product.ts';
import type { Db } from '../../src/lib/server/db.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { createCatalogGate } from '../../src/lib/server/http/catalog-gate.ts';
import { quoteCart } from '../../src/lib/server/orders/cart-quote.ts';
import { placeOrder } from '../../src/lib/server/orders/checkout.ts';
import { transitionOrder } from '../../src/lib/server/orders/lifecycle.ts';
import { nextOrderNumber } from '../../src/lib/server/orders/number.ts';
import { createProduct, restoreProduct } from '../../src/lib/server/products/manage.ts';
import { lockOpenStore } from '../../src/lib/server/stores/store-open.ts';
import { checkoutSchema } from '../../src/lib/shared/orders.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { DELIVERY, makeCategory, makeProduct, makeUser } from '../helpers/fixtures.ts';

const WA = { whatsappNumber: '254756185209' };
const order = (productId: string, quantity = 1) =>
  checkoutSchema.parse({ items: [{ productId, quantity }], delivery: DELIVERY });

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

const statusOf = async (db: Db, id: string) =>
  db.product.findUniqueOrThrow({ where: { id }, select: { status: true, moderationReason: true } });

/** Actions in the audit log for these targets, oldest first, as [action, targetId, before, after]. */
async function audited(db: Db, targetIds: string[]) {
  const rows = await db.auditLog.findMany({
    where: { targetId: { in: targetIds } },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    select: { action: true, targetId: true, before: true, after: true },
  });
  return rows.map((r) => [r.action, r.targetId, r.before, r.after]);
}

describeEachEngine('closing a store when a seller loses the role', (ctx) => {
  it('is refused while the seller has open orders, naming how many, and changes nothing', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER', 'Wanjiru Weaves');
    const buyer = await makeUser(db, 'BUYER');
    const asSeller = { id: seller.id, role: 'SELLER' as const };
    const p = await makeProduct(db, seller.id, { stock: 5 });
    const first = (await placeOrder(db, buyer, order(p.id), WA)).orders[0]!.id;
    const second = (await placeOrder(db, buyer, order(p.id), WA)).orders[0]!.id;
    const third = (await placeOrder(db, buyer, order(p.id), WA)).orders[0]!.id;
    await transitionOrder(db, asSeller, third, 'CANCELLED');
    await transitionOrder(db, asSeller, second, 'CONFIRMED');
    await transitionOrder(db, asSeller, second, 'SHIPPED');

    for (const role of ['BUYER', 'ADMIN'] as const) {
      const err = await refusal(changeRole(db, admin.id, seller.id, role));
      expect([err.status, err.details]).toEqual([409, { openOrders: 2 }]);
      expect(err.message).toMatch(/^Wanjiru Weaves Store has 2 open orders \(pending, confirmed or shipped\)/);
    }
    // Nothing changed: role, sessions, products, audit log.
    expect(await db.user.findUniqueOrThrow({ where: { id: seller.id } })).toMatchObject({
      role: 'SELLER',
      tokenVersion: 0,
    });
    expect(await statusOf(db, p.id)).toEqual({ status: 'ACTIVE', moderationReason: null });
    expect(await audited(db, [seller.id, p.id])).toEqual([]);

    // Shipped is still open; delivered and cancelled are final.
    await transitionOrder(db, asSeller, second, 'DELIVERED');
    const one = await refusal(changeRole(db, admin.id, seller.id, 'BUYER'));
    expect(one.message).toContain('has 1 open order (');
    await transitionOrder(db, asSeller, first, 'CANCELLED');
    const done = await changeRole(db, admin.id, seller.id, 'BUYER');
    expect(done).toMatchObject({ user: { role: 'BUYER' }, productsHidden: 1, productsRestored: 0 });
  });

  it("hides exactly the seller's products on sale, audited; checkout, the catalog and the gate then refuse them", async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const other = await makeUser(db, 'SELLER');
    const buyer = await makeUser(db, 'BUYER');
    const category = await makeCategory(db);
    const onSale = await makeProduct(db, seller.id, { categoryId: category.id });
    const soldOut = await makeProduct(db, seller.id, { categoryId: category.id, stock: 0 });
    const draft = await makeProduct(db, seller.id, { status: 'DRAFT' });
    const archived = await makeProduct(db, seller.id, { status: 'ARCHIVED' });
    const moderated = await makeProduct(db, seller.id);
    await hideProduct(db, admin.id, moderated.id, 'Counterfeit brand markings');
    const theirs = await makeProduct(db, other.id, { categoryId: category.id });
    // Someone's cart from before, with a delivered order (final: does not block).
    const delivered = (await placeOrder(db, buyer, order(onSale.id), WA)).orders[0]!.id;
    for (const to of ['CONFIRMED', 'SHIPPED', 'DELIVERED'] as const) {
      await transitionOrder(db, { id: seller.id, role: 'SELLER' }, delivered, to);
    }
    const { handle } = await db.profile.findUniqueOrThrow({ where: { userId: seller.id } });

    const change = await changeRole(db, admin.id, seller.id, 'BUYER');
    expect(change).toMatchObject({ user: { role: 'BUYER' }, productsHidden: 2, productsRestored: 0 });

    const hidden = { status: 'HIDDEN', moderationReason: STORE_CLOSED_REASON };
    expect(await statusOf(db, onSale.id)).toEqual(hidden);
    expect(await statusOf(db, soldOut.id)).toEqual(hidden);
    expect(await statusOf(db, draft.id)).toEqual({ status: 'DRAFT', moderationReason: null });
    expect(await statusOf(db, archived.id)).toEqual({ status: 'ARCHIVED', moderationReason: null });
    expect(await statusOf(db, moderated.id)).toEqual({
      status: 'HIDDEN',
      moderationReason: 'Counterfeit brand markings',
    });
    expect(await statusOf(db, theirs.id)).toEqual({ status: 'ACTIVE', moderationReason: null });

    // One role entry (with the count) and one hide per product taken off sale, by the admin.
    const entries = await audited(db, [seller.id, onSale.id, soldOut.id, draft.id, archived.id, theirs.id]);
    expect(entries).toHaveLength(3);
    expect(entries).toEqual(
      expect.arrayContaining([
        ['user.role', seller.id, { role: 'SELLER' }, { role: 'BUYER', productsHidden: 2 }],
        ['product.hide', onSale.id, { status: 'ACTIVE' }, { status: 'HIDDEN', reason: STORE_CLOSED_REASON }],
        ['product.hide', soldOut.id, { status: 'ACTIVE' }, { status: 'HIDDEN', reason: STORE_CLOSED_REASON }],
      ]),
    );
    const byAdmin = await listAudit(db, { page: 1, perPage: 5, targetId: onSale.id });
    expect(byAdmin.items[0]).toMatchObject({ action: 'product.hide', actor: { id: admin.id } });

    // Checkout and the cart quote refuse it; the catalog and the API no longer list or show it.
    const err = await refusal(placeOrder(db, buyer, order(onSale.id), WA));
    expect([err.status, (err.details as { items: unknown[] }).items]).toEqual([
      409,
      [expect.objectContaining({ productId: onSale.id, reason: 'UNAVAILABLE' })],
    ]);
    expect((await quoteCart(db, [onSale.id])).items[0]).toMatchObject({ available: false });
    expect((await getCategoryPage(db, category.slug)).first.items.map((i) => i.id)).toEqual([theirs.id]);
    expect((await refusal(getProductDetail(db, onSale.slug))).status).toBe(404);

    // The catalog gate answers 410 for their product pages and store from its next refresh.
    const gate = createCatalogGate(db, { log: () => {} });
    await gate.refresh();
    expect(gate.check(`/p/${onSale.slug}`)).toBe('gone');
    expect(gate.check(`/p/${soldOut.slug}`)).toBe('gone');
    expect(gate.check(`/s/${handle}`)).toBe('gone');
    expect(gate.check(`/p/${theirs.slug}`)).toBeNull();
  });

  it('puts nothing of a closed store back on sale until its owner is a seller again, then reopens it', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const asStaleSeller = { id: seller.id, role: 'SELLER' as const };
    const asAdmin = { id: admin.id, role: 'ADMIN' as const };
    const a = await makeProduct(db, seller.id);
    const b = await makeProduct(db, seller.id);
    const archived = await makeProduct(db, seller.id, { status: 'ARCHIVED' });
    const moderated = await makeProduct(db, seller.id);
    await hideProduct(db, admin.id, moderated.id, 'Copied photos');
    const category = await makeCategory(db);
    expect((await changeRole(db, admin.id, seller.id, 'ADMIN')).productsHidden).toBe(2);

    // A request that passed its role check just before (stale SELLER), an admin's restore or unhide: 409.
    const created = await refusal(
      createProduct(db, asStaleSeller, {
        title: 'Late Listing',
        description: 'Listed as the store closed.',
        priceKES: 1_000,
        stock: 1,
        categorySlug: category.slug,
      }),
    );
    expect([created.status, created.details]).toEqual([409, { reason: 'STORE_CLOSED' }]);
    expect((await refusal(restoreProduct(db, asAdmin, archived.id))).status).toBe(409);
    expect((await refusal(unhideProduct(db, admin.id, a.id))).status).toBe(409);
    expect((await refusal(unhideProduct(db, admin.id, moderated.id))).status).toBe(409);
    expect(await db.product.count({ where: { sellerId: seller.id, status: 'ACTIVE' } })).toBe(0);

    // A seller again: what the closure hid comes back (audited); the archived and the moderated one do not.
    const reopened = await changeRole(db, admin.id, seller.id, 'SELLER');
    expect(reopened).toMatchObject({ productsHidden: 0, productsRestored: 2 });
    expect(await statusOf(db, a.id)).toEqual({ status: 'ACTIVE', moderationReason: null });
    expect(await statusOf(db, b.id)).toEqual({ status: 'ACTIVE', moderationReason: null });
    expect(await statusOf(db, archived.id)).toEqual({ status: 'ARCHIVED', moderationReason: null });
    expect((await statusOf(db, moderated.id)).moderationReason).toBe('Copied photos');
    expect((await listAudit(db, { page: 1, perPage: 1, targetId: a.id })).items[0]).toMatchObject({
      action: 'product.restore',
      before: { status: 'HIDDEN', reason: STORE_CLOSED_REASON },
      after: { status: 'ACTIVE' },
    });
    expect((await listAudit(db, { page: 1, perPage: 1, targetId: seller.id })).items[0]).toMatchObject({
      action: 'user.role',
      before: { role: 'ADMIN' },
      after: { role: 'SELLER', productsRestored: 2 },
    });
    // Open again: the admin can lift the other moderation too.
    expect(await unhideProduct(db, admin.id, moderated.id)).toBe('ACTIVE');
  });

  it('does not miss a product put on sale while the role changes: the restore lands first, the closure hides it', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const draft = await makeProduct(db, seller.id, { status: 'DRAFT' });
    let inside!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const held = new Promise<void>((r) => (release = r));
    // What restoreProduct does, held open: lock the open store, put the product on sale.
    const restoring = db.$transaction(
      async (tx) => {
        await lockOpenStore(tx, seller.id);
        await tx.product.update({ where: { id: draft.id }, data: { status: 'ACTIVE' } });
        inside();
        await held;
      },
      { timeout: 20_000 },
    );
    await entered;
    const closing = changeRole(db, admin.id, seller.id, 'BUYER');
    await new Promise((r) => setTimeout(r, 300));
    release();
    await restoring;
    expect((await closing).productsHidden).toBe(1);
    expect(await statusOf(db, draft.id)).toEqual({ status: 'HIDDEN', moderationReason: STORE_CLOSED_REASON });
  });

  it('does not miss an order placed while the role changes: the checkout lands first, the closure is refused', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const buyer = await makeUser(db, 'BUYER');
    const p = await makeProduct(db, seller.id, { stock: 3 });
    let inside!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const held = new Promise<void>((r) => (release = r));
    // The writes of placeOrder, held open: take the stock (as its conditional update does), create the order.
    const checkout = db.$transaction(
      async (tx) => {
        expect(
          await tx.$executeRaw`UPDATE "Product" SET "stock" = "stock" - 1 WHERE "id" = ${p.id} AND "status" = 'ACTIVE' AND "stock" >= 1`,
        ).toBe(1);
        await tx.order.create({
          data: {
            number: await nextOrderNumber(tx),
            reference: `CHK-RACE-${p.id}`,
            buyerId: buyer.id,
            sellerId: seller.id,
            subtotal: p.price,
            total: p.price,
            deliveryLocation: DELIVERY.location,
            deliveryPhone: '+254712345678',
            items: {
              create: [{ productId: p.id, sellerId: seller.id, quantity: 1, unitPrice: p.price, title: p.title }],
            },
          },
        });
        inside();
        await held;
      },
      { timeout: 20_000 },
    );
    await entered;
    const closing = refusal(changeRole(db, admin.id, seller.id, 'BUYER'));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await checkout;
    const err = await closing;
    expect([err.status, err.details]).toEqual([409, { openOrders: 1 }]);
    expect((await db.user.findUniqueOrThrow({ where: { id: seller.id } })).role).toBe('SELLER');
    expect(await statusOf(db, p.id)).toEqual({ status: 'ACTIVE', moderationReason: null });
  });

  it('refuses a checkout already past its read when the product leaves the shop, as no longer for sale', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const buyer = await makeUser(db, 'BUYER');
    const p = await makeProduct(db, seller.id, { stock: 3, title: 'Soapstone Bowl' });
    let inside!: () => void;
    let release!: () => void;
    const entered = new Promise<void>((r) => (inside = r));
    const held = new Promise<void>((r) => (release = r));
    // The closure's hide, held open while the checkout reads the product (still ACTIVE) and waits on its row.
    // (PGlite runs one transaction at a time: there the checkout's read already sees it hidden.)
    const closing = db.$transaction(
      async (tx) => {
        await tx.product.update({
          where: { id: p.id },
          data: { status: 'HIDDEN', moderationReason: STORE_CLOSED_REASON },
        });
        inside();
        await held;
      },
      { timeout: 20_000 },
    );
    await entered;
    const checkout = refusal(placeOrder(db, buyer, order(p.id), WA));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await closing;
    const err = await checkout;
    expect([err.status, err.message, (err.details as { items: unknown[] }).items]).toEqual([
      409,
      '"Soapstone Bowl" is no longer for sale',
      [expect.objectContaining({ productId: p.id, reason: 'UNAVAILABLE' })],
    ]);
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(3);
  });

  it('create-admin does not promote a seller (an admin closes the store in /admin/users)', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id);
    const err = await refusal(createOrPromoteAdmin(db, { email: seller.email }));
    expect(err.status).toBe(409);
    expect(err.message).toContain('is a seller');
    expect((await db.user.findUniqueOrThrow({ where: { id: seller.id } })).role).toBe('SELLER');
    expect((await statusOf(db, p.id)).status).toBe('ACTIVE');
  });
});

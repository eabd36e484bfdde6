// Checkout and the order lifecycle on both engines: prices from the database,
// one order per seller, all-or-nothing, idempotency, transitions and stock.
import { expect, it } from 'vitest';
import { setUserStatus } from '../../src/lib/server/admin/users.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { quoteCart } from '../../src/lib/server/orders/cart-quote.ts';
import { placeOrder } from '../../src/lib/server/orders/checkout.ts';
import { formatOrderNumber } from '../../src/lib/server/orders/number.ts';
import { transitionOrder } from '../../src/lib/server/orders/lifecycle.ts';
import { getOrder, listOrders } from '../../src/lib/server/orders/queries.ts';
import { checkoutSchema, type CheckoutInput } from '../../src/lib/shared/orders.ts';
import { openAdapter, type Db } from '../../src/lib/server/db.ts';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { DELIVERY, makeProduct, makeUser, systemAdmin } from '../helpers/fixtures.ts';

const WA = { whatsappNumber: '254756185209' };
const input = (items: { productId: string; quantity: number }[]): CheckoutInput =>
  checkoutSchema.parse({ items, delivery: DELIVERY });

async function expectConflict(p: Promise<unknown>) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).status).toBe(409);
  return err as AppError;
}

describeEachEngine('checkout', (ctx) => {
  it('creates one order per seller with database prices, snapshots and a WhatsApp link', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const [s1, s2] = [await makeUser(db, 'SELLER', 'Amani'), await makeUser(db, 'SELLER', 'Otieno')];
    const a = await makeProduct(db, s1.id, { price: 1_250_000, stock: 3, title: 'Gold Ring' });
    const b = await makeProduct(db, s1.id, { price: 500_000, stock: 5, title: 'Silver Cuff' });
    const c = await makeProduct(db, s2.id, { price: 2_000_000, stock: 1, title: 'Leather Duffel' });

    const r = await placeOrder(
      db,
      buyer,
      input([
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 1 },
        { productId: c.id, quantity: 1 },
      ]),
      WA,
    );

    expect(r.reference).toMatch(/^CHK-/);
    expect(r.orders).toHaveLength(2);
    for (const o of r.orders) {
      expect(o.number).toMatch(/^SOKO-\d{4}-\d{6}$/);
      expect(o.status).toBe('PENDING');
      expect(o.reference).toBe(r.reference);
    }
    const amani = r.orders.find((o) => o.seller.id === s1.id)!;
    expect(amani.total).toBe(2 * 1_250_000 + 500_000);
    expect(amani.items.map((i) => [i.title, i.quantity, i.unitPrice])).toEqual([
      ['Gold Ring', 2, 1_250_000],
      ['Silver Cuff', 1, 500_000],
    ]);
    expect(amani.delivery).toEqual({ location: 'Westlands', phone: '+254712345678', note: null });
    expect((await db.product.findUniqueOrThrow({ where: { id: a.id } })).stock).toBe(1);
    expect((await db.product.findUniqueOrThrow({ where: { id: c.id } })).stock).toBe(0);

    const wa = new URL(r.whatsappUrl);
    expect(wa.origin + wa.pathname).toBe('https://wa.me/254756185209');
    const text = wa.searchParams.get('text')!;
    for (const o of r.orders) expect(text).toContain(o.number);
    expect(text).toContain('2 x Gold Ring');
    expect(text).toMatch(/Total: Ksh\s?50,000/);
    expect(text).toContain('Delivery to: Westlands');

    // A later price change does not rewrite the order.
    await db.product.update({ where: { id: a.id }, data: { price: 99 } });
    const again = await getOrder(db, { id: buyer.id, role: 'BUYER' }, amani.id);
    expect(again.items[0]!.unitPrice).toBe(1_250_000);
    expect(again.events.map((e) => e.toStatus)).toEqual(['PENDING']);
  });

  it("numbers a checkout's orders in the order their sellers first appear in the cart", async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const sellers = [];
    for (let i = 0; i < 5; i++) sellers.push(await makeUser(db, 'SELLER'));
    const products = [];
    for (const s of sellers) products.push(await makeProduct(db, s.id, { stock: 5 }));
    // Not the product ids' order (the statement sorts lines by id to lock them), nor creation order.
    const cart = [...products].sort((x, y) => (x.id < y.id ? 1 : -1));
    [cart[1], cart[3]] = [cart[3]!, cart[1]!];
    const r = await placeOrder(db, buyer, input(cart.map((p) => ({ productId: p.id, quantity: 1 }))), WA);
    expect(r.orders.map((o) => o.seller.id)).toEqual(cart.map((p) => p.sellerId));
    const numbers = r.orders.map((o) => Number(o.number.split('-').pop()));
    expect(numbers).toEqual([...numbers].sort((x, y) => x - y));
    const text = new URL(r.whatsappUrl).searchParams.get('text')!;
    const at = r.orders.map((o) => text.indexOf(o.number));
    expect(at).toEqual([...at].sort((x, y) => x - y));
  });

  it('refuses unknown, inactive, own and over-stock items with 409 naming each, writing nothing', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const ok = await makeProduct(db, seller.id, { stock: 5 });
    const archived = await makeProduct(db, seller.id, { status: 'ARCHIVED' });
    const low = await makeProduct(db, seller.id, { stock: 1 });
    const ordersBefore = await db.order.count();

    const err = await expectConflict(
      placeOrder(
        db,
        buyer,
        input([
          { productId: ok.id, quantity: 1 },
          { productId: archived.id, quantity: 1 },
          { productId: low.id, quantity: 2 },
          { productId: 'doesnotexist0000', quantity: 1 },
        ]),
        WA,
      ),
    );
    const items = (err.details as { items: { productId: string; reason: string; available?: number }[] }).items;
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ productId: archived.id, reason: 'UNAVAILABLE' }),
        expect.objectContaining({ productId: low.id, reason: 'INSUFFICIENT_STOCK', available: 1 }),
        expect.objectContaining({ productId: 'doesnotexist0000', reason: 'NOT_FOUND' }),
      ]),
    );
    expect(await db.order.count()).toBe(ordersBefore);
    expect((await db.product.findUniqueOrThrow({ where: { id: ok.id } })).stock).toBe(5);

    const own = await expectConflict(placeOrder(db, seller, input([{ productId: ok.id, quantity: 1 }]), WA));
    expect(own.message).toMatch(/your own product/);
  });

  it("refuses a suspended seller's products at checkout and in the cart quote, as the catalog does", async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 5 });
    expect((await quoteCart(db, [p.id])).items[0]).toMatchObject({ available: true, stock: 5 });
    await setUserStatus(db, (await systemAdmin(db)).id, seller.id, 'SUSPENDED');
    expect((await quoteCart(db, [p.id])).items[0]).toMatchObject({ available: false, stock: 0 });
    const err = await expectConflict(placeOrder(db, buyer, input([{ productId: p.id, quantity: 1 }]), WA));
    expect((err.details as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ productId: p.id, reason: 'UNAVAILABLE' }),
    ]);
    expect(await db.order.count({ where: { sellerId: seller.id } })).toBe(0);
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(5);
  });

  it('re-reads the account in its statement: a suspended buyer or an older token gets 401 and nothing is written', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 5 });
    const body = input([{ productId: p.id, quantity: 1 }]);
    const expectEnded = async (buyer: { id: string; tokenVersion: number }, key: string) => {
      const err = await placeOrder(db, buyer, body, { ...WA, idempotencyKey: key }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(401);
      expect(await db.order.count({ where: { buyerId: buyer.id } })).toBe(0);
      expect(await db.idempotencyKey.count({ where: { userId: buyer.id } })).toBe(0);
    };
    // A token from before a password change (its version is behind the account's).
    const changed = await makeUser(db, 'BUYER');
    await db.user.update({ where: { id: changed.id }, data: { tokenVersion: { increment: 1 } } });
    await expectEnded(changed, 'k-old-token');
    // A suspended buyer's token, whatever its version.
    const suspended = await makeUser(db, 'BUYER');
    await setUserStatus(db, (await systemAdmin(db)).id, suspended.id, 'SUSPENDED');
    await expectEnded(suspended, 'k-suspended');
    await expectEnded({ ...suspended, tokenVersion: suspended.tokenVersion + 1 }, 'k-suspended');
    // An account that is gone.
    await expectEnded({ id: 'nobody0000000000', tokenVersion: 0 }, 'k-gone');
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(5);
    // The current token of an active buyer places it.
    const fine = await makeUser(db, 'BUYER');
    expect((await placeOrder(db, fine, body, WA)).orders).toHaveLength(1);
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(4);
  });

  it('never trusts a client price: the schema refuses price fields and the database price is charged', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { price: 7_500_000 });
    const tampered = checkoutSchema.safeParse({
      items: [{ productId: p.id, quantity: 1, price: 1 }],
      delivery: DELIVERY,
    });
    expect(tampered.success).toBe(false);
    const r = await placeOrder(db, buyer, input([{ productId: p.id, quantity: 1 }]), WA);
    expect(r.orders[0]!.total).toBe(7_500_000);
  });

  it('returns the same orders for a repeated Idempotency-Key, and refuses the key for another cart', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 10 });
    const body = input([{ productId: p.id, quantity: 2 }]);
    const first = await placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'key-123' });
    const second = await placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'key-123' });
    expect(second).toEqual(first);
    expect(await db.order.count({ where: { buyerId: buyer.id } })).toBe(1);
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(8);
    await expectConflict(
      placeOrder(db, buyer, input([{ productId: p.id, quantity: 3 }]), { ...WA, idempotencyKey: 'key-123' }),
    );
    // The same key from another buyer is theirs alone.
    const other = await makeUser(db, 'BUYER');
    const theirs = await placeOrder(db, other, body, { ...WA, idempotencyKey: 'key-123' });
    expect(theirs.reference).not.toBe(first.reference);
  });

  it('answers with the orders exactly as a later read shows them (a replay reads them back)', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const [s1, s2] = [await makeUser(db, 'SELLER', 'Wanjiru'), await makeUser(db, 'SELLER', 'Baraka')];
    const items = [
      await makeProduct(db, s1.id, { title: 'Zebra Tote', stock: 3 }),
      await makeProduct(db, s2.id, { title: 'amber Ring', stock: 3 }),
      await makeProduct(db, s1.id, { title: 'Amber Ring', stock: 3 }),
      await makeProduct(db, s1.id, { title: 'Amber Ring', stock: 3 }),
      await makeProduct(db, s2.id, { title: 'Ébène Bowl', stock: 3 }),
    ].map((p, i) => ({ productId: p.id, quantity: 1 + (i % 2) }));
    const body = checkoutSchema.parse({ items, delivery: { ...DELIVERY, note: 'Gate B' } });
    const first = await placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'as-read' });
    expect(first.orders).toHaveLength(2);
    const again = await placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'as-read' });
    expect(again).toEqual(first);
    const listed = await listOrders(db, { id: buyer.id, role: 'BUYER' }, { limit: 10 });
    expect([...listed.items].sort((a, b) => (a.number < b.number ? -1 : 1))).toEqual(first.orders);
  });

  it('answers the retry of a checkout that took the last units with its orders, not "sold out"', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 2 });
    const body = input([{ productId: p.id, quantity: 2 }]);
    const first = await placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'last-two' });
    expect(await placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'last-two' })).toEqual(first);
    // Without the key it is a new checkout, and there is nothing left.
    await expectConflict(placeOrder(db, buyer, body, WA));
  });

  it('numbers orders from the sequence beyond six digits, as formatOrderNumber does', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const [s1, s2] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
    const [a, b] = [await makeProduct(db, s1.id, { stock: 1 }), await makeProduct(db, s2.id, { stock: 1 })];
    await db.$executeRaw`SELECT setval('order_number_seq', 999999)`;
    const r = await placeOrder(
      db,
      buyer,
      input([
        { productId: a.id, quantity: 1 },
        { productId: b.id, quantity: 1 },
      ]),
      WA,
    );
    const year = new Date().getUTCFullYear();
    expect(r.orders.map((o) => o.number).sort()).toEqual([
      formatOrderNumber(1_000_000, year),
      formatOrderNumber(1_000_001, year),
    ]);
    expect(r.orders[0]!.number).toBe(`SOKO-${year}-1000000`);
  });

  it('moves orders through the lifecycle with the right party, and records who did it', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const admin = await makeUser(db, 'ADMIN');
    const p = await makeProduct(db, seller.id, { stock: 4 });
    const asBuyer = { id: buyer.id, role: 'BUYER' as const };
    const asSeller = { id: seller.id, role: 'SELLER' as const };
    const { orders } = await placeOrder(db, buyer, input([{ productId: p.id, quantity: 1 }]), WA);
    const id = orders[0]!.id;

    // The buyer cannot advance it; skipping a step is refused.
    await expectConflict(transitionOrder(db, asBuyer, id, 'CONFIRMED'));
    await expectConflict(transitionOrder(db, asSeller, id, 'SHIPPED'));
    await transitionOrder(db, asSeller, id, 'CONFIRMED');
    // Once confirmed the buyer can no longer cancel.
    await expectConflict(transitionOrder(db, asBuyer, id, 'CANCELLED'));
    await transitionOrder(db, asSeller, id, 'SHIPPED');
    // Shipped orders cannot be cancelled by anyone.
    await expectConflict(transitionOrder(db, { id: admin.id, role: 'ADMIN' }, id, 'CANCELLED'));
    const done = await transitionOrder(db, { id: admin.id, role: 'ADMIN' }, id, 'DELIVERED');
    expect(done.status).toBe('DELIVERED');
    expect(done.events.map((e) => `${e.fromStatus ?? '-'}>${e.toStatus}:${e.actorRole}`)).toEqual([
      '->PENDING:BUYER',
      'PENDING>CONFIRMED:SELLER',
      'CONFIRMED>SHIPPED:SELLER',
      'SHIPPED>DELIVERED:ADMIN',
    ]);
    await expectConflict(transitionOrder(db, asSeller, id, 'CONFIRMED'));
  });

  it('restores stock when cancelled, once', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 3 });
    const { orders } = await placeOrder(db, buyer, input([{ productId: p.id, quantity: 3 }]), WA);
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(0);
    await transitionOrder(db, { id: buyer.id, role: 'BUYER' }, orders[0]!.id, 'CANCELLED', 'Changed my mind');
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(3);
    await expectConflict(transitionOrder(db, { id: seller.id, role: 'SELLER' }, orders[0]!.id, 'CANCELLED'));
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(3);
  });

  it('shows each party only their orders; anyone else gets a 404', async () => {
    const { db } = ctx();
    const [b1, b2] = [await makeUser(db, 'BUYER'), await makeUser(db, 'BUYER')];
    const [s1, s2] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
    const p1 = await makeProduct(db, s1.id);
    const p2 = await makeProduct(db, s2.id);
    const o1 = (await placeOrder(db, b1, input([{ productId: p1.id, quantity: 1 }]), WA)).orders[0]!;
    const o2 = (await placeOrder(db, b2, input([{ productId: p2.id, quantity: 1 }]), WA)).orders[0]!;

    const ids = async (actor: { id: string; role: 'BUYER' | 'SELLER' | 'ADMIN' }) =>
      (await listOrders(db, actor, { limit: 50 })).items.map((o) => o.id);
    expect(await ids({ id: b1.id, role: 'BUYER' })).toEqual([o1.id]);
    expect(await ids({ id: s2.id, role: 'SELLER' })).toEqual([o2.id]);
    const admin = await makeUser(db, 'ADMIN');
    expect(await ids({ id: admin.id, role: 'ADMIN' })).toEqual(expect.arrayContaining([o1.id, o2.id]));

    for (const [actor, id] of [
      [{ id: b2.id, role: 'BUYER' as const }, o1.id],
      [{ id: s2.id, role: 'SELLER' as const }, o1.id],
      [{ id: b1.id, role: 'BUYER' as const }, o2.id],
    ] as const) {
      await expect(getOrder(db, actor, id)).rejects.toMatchObject({ status: 404 });
      await expect(transitionOrder(db, actor, id, 'CANCELLED')).rejects.toMatchObject({ status: 404 });
    }
  });

  it('paginates order lists with a cursor and filters by status', async () => {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 50 });
    for (let i = 0; i < 5; i++) await placeOrder(db, buyer, input([{ productId: p.id, quantity: 1 }]), WA);
    const actor = { id: buyer.id, role: 'BUYER' as const };
    const page1 = await listOrders(db, actor, { limit: 2 });
    const page2 = await listOrders(db, actor, { limit: 2, cursor: page1.nextCursor! });
    const page3 = await listOrders(db, actor, { limit: 2, cursor: page2.nextCursor! });
    const all = [...page1.items, ...page2.items, ...page3.items].map((o) => o.id);
    expect(new Set(all).size).toBe(5);
    expect(page3.nextCursor).toBeNull();
    await transitionOrder(db, actor, page1.items[0]!.id, 'CANCELLED');
    expect((await listOrders(db, actor, { limit: 10, status: 'CANCELLED' })).items.map((o) => o.id)).toEqual([
      page1.items[0]!.id,
    ]);
  });
});

// The checkout's round trips are its latency under load: one statement whatever the cart holds,
// and no transaction around it (the statement is atomic, so product rows stay locked by the
// stock take only while it runs). Its answer is built from what it read and wrote; it must equal
// what a read returns.
describeEachEngine(
  'checkout statements',
  (ctx) => {
    it('places any cart in one statement that reads the account and products and writes everything (no BEGIN, no COMMIT)', async () => {
      const { db, url } = ctx();
      const { adapter } = openAdapter({ url, poolSize: 1 });
      const logged = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
      const statements: string[] = [];
      logged.$on('query', (e) => statements.push(e.query));
      try {
        const buyer = await makeUser(db, 'BUYER');
        const [s1, s2] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
        const [a, b, c] = [
          await makeProduct(db, s1.id, { stock: 5 }),
          await makeProduct(db, s1.id, { stock: 5 }),
          await makeProduct(db, s2.id, { stock: 5 }),
        ];
        const run = async (items: { productId: string; quantity: number }[], key?: string) => {
          statements.length = 0;
          await placeOrder(logged as unknown as Db, buyer, input(items), { ...WA, idempotencyKey: key });
          return [...statements];
        };
        const one = await run([{ productId: a.id, quantity: 1 }], 'k-one');
        const three = await run(
          [
            { productId: a.id, quantity: 1 },
            { productId: b.id, quantity: 1 },
            { productId: c.id, quantity: 1 },
          ],
          'k-three',
        );
        for (const statementsRun of [one, three]) {
          expect(statementsRun).toHaveLength(1);
          expect(statementsRun[0]).toMatch(/^\s*WITH cart\(id, quantity, pos\) AS/);
          expect(statementsRun[0]).toMatch(/FROM "User" WHERE "id" = \$\d+/);
          expect(statementsRun[0]).toMatch(/INSERT INTO "IdempotencyKey"/);
          expect(statementsRun[0]).toMatch(/UPDATE "Product" p SET "stock" = p."stock" - c.quantity/);
          expect(statementsRun[0]).toMatch(/checkout_assert\(/);
        }
        // A refused cart (more than the stock) is the same one statement, which wrote nothing.
        const ordersBefore = await db.order.count({ where: { buyerId: buyer.id } });
        await expect(run([{ productId: c.id, quantity: 50 }])).rejects.toMatchObject({ status: 409 });
        expect(statements).toHaveLength(1);
        expect(await db.order.count({ where: { buyerId: buyer.id } })).toBe(ordersBefore);
        expect((await db.product.findUniqueOrThrow({ where: { id: c.id } })).stock).toBe(4);
        // A replay writes nothing: the key's claim finds it taken, so no stock moves and no order is added.
        const replay = await run([{ productId: a.id, quantity: 1 }], 'k-one');
        expect(replay.length).toBeGreaterThan(0);
        expect(await db.order.count({ where: { buyerId: buyer.id } })).toBe(3);
        expect((await db.product.findUniqueOrThrow({ where: { id: a.id } })).stock).toBe(3);
      } finally {
        await logged.$disconnect();
      }
    });

    it('retries a checkout that PostgreSQL failed to break a deadlock', async () => {
      const { db } = ctx();
      const buyer = await makeUser(db, 'BUYER');
      const seller = await makeUser(db, 'SELLER');
      const [first, second] = [
        await makeProduct(db, seller.id, { stock: 5 }),
        await makeProduct(db, seller.id, { stock: 5 }),
      ].sort((x, y) => (x.id < y.id ? -1 : 1));
      let locked!: () => void;
      const hasSecond = new Promise<void>((r) => (locked = r));
      // Another transaction holds the second product, then wants the first, which the checkout holds by then.
      const other = db.$transaction(
        async (tx) => {
          await tx.$executeRaw`UPDATE "Product" SET "stock" = "stock" WHERE "id" = ${second!.id}`;
          locked();
          await new Promise((r) => setTimeout(r, 300));
          await tx.$executeRaw`UPDATE "Product" SET "stock" = "stock" WHERE "id" = ${first!.id}`;
        },
        { timeout: 20_000 },
      );
      await hasSecond;
      const placed = placeOrder(
        db,
        buyer,
        input([
          { productId: first!.id, quantity: 1 },
          { productId: second!.id, quantity: 1 },
        ]),
        WA,
      );
      const [o, r] = await Promise.allSettled([other, placed]);
      // PostgreSQL fails one of the two; the checkout, failed or not, ends placed exactly once.
      expect([o.status, r.status]).toContain('fulfilled');
      expect(r.status).toBe('fulfilled');
      expect(await db.order.count({ where: { buyerId: buyer.id } })).toBe(1);
      expect((await db.product.findUniqueOrThrow({ where: { id: first!.id } })).stock).toBe(4);
    }, 30_000);

    it('stamps orders in UTC, as Prisma does, whatever the database time zone', async () => {
      const { db, url } = ctx();
      await db.$executeRawUnsafe(`ALTER DATABASE "${new URL(url!).pathname.slice(1)}" SET timezone = 'Africa/Nairobi'`);
      // A new connection picks the setting up.
      const { adapter } = openAdapter({ url, poolSize: 1 });
      const nairobi = new PrismaClient({ adapter });
      try {
        const buyer = await makeUser(db, 'BUYER');
        const p = await makeProduct(db, (await makeUser(db, 'SELLER')).id, { stock: 1 });
        const [tz] = await nairobi.$queryRaw<{ tz: string }[]>`SELECT current_setting('TimeZone') AS tz`;
        expect(tz!.tz).toBe('Africa/Nairobi');
        const before = Date.now();
        const r = await placeOrder(nairobi as unknown as Db, buyer, input([{ productId: p.id, quantity: 1 }]), WA);
        const order = await nairobi.order.findUniqueOrThrow({
          where: { id: r.orders[0]!.id },
          include: { events: true },
        });
        for (const at of [order.createdAt, order.updatedAt, order.events[0]!.createdAt]) {
          expect(Math.abs(at.getTime() - before)).toBeLessThan(60_000);
        }
      } finally {
        await nairobi.$disconnect();
      }
    });
  },
  ['postgresql'],
);

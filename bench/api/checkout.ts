// Checkout latency under no load, one at a time: this checkout (one statement that re-reads the
// account and the products and writes, one round trip) beside the same checkout written the usual Prisma way (nested creates, a round trip per
// table, the key claimed and its result stored with separate statements), on the bench database.
// Both place one-line orders for random products with an Idempotency-Key, alternating, so that
// the machine's noise falls on both.
//   npm run bench:checkout          (N=400 to change)
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { p50p99, percentile } from '../load/arrivals.ts';
import { BENCH_DB, prepare } from '../load/setup.ts';
import { findSessionUser } from '../../src/lib/server/auth/accounts.ts';
import { createDb, type Db } from '../../src/lib/server/db.ts';
import { placeOrder } from '../../src/lib/server/orders/checkout.ts';
import { nextOrderNumber } from '../../src/lib/server/orders/number.ts';
import { loadOrderSummaries } from '../../src/lib/server/orders/queries.ts';
import type { CheckoutInput } from '../../src/lib/shared/orders.ts';

const N = Number(process.env.N ?? 400);
await prepare(10_000);
const { db, close } = createDb({ url: BENCH_DB, poolSize: 4 });
const c = new pg.Client({ connectionString: BENCH_DB });
await c.connect();
const buyer = (await c.query(`SELECT id, "tokenVersion" FROM "User" WHERE email = 'wanjiku@demo.soko.africa'`))
  .rows[0] as {
  id: string;
  tokenVersion: number;
};
const ids = (
  await c.query(
    `SELECT p.id FROM "Product" p JOIN "User" u ON u.id = p."sellerId"
     WHERE p.status = 'ACTIVE' AND u.status = 'ACTIVE' AND p.stock > 20 ORDER BY random() LIMIT $1`,
    [2 * N],
  )
).rows.map((r: { id: string }) => r.id);
const cart = (i: number): CheckoutInput => ({
  items: [{ productId: ids[i % ids.length]!, quantity: 1 }],
  delivery: { location: 'Westlands', phone: '0712345678', note: '' },
});

/** The textbook version: what this checkout was before it was cut to one write statement. */
async function prismaWay(db: Db, buyerId: string, input: CheckoutInput, key: string) {
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const previous = await db.idempotencyKey.findUnique({ where: { userId_key: { userId: buyerId, key } } });
  if (previous) return previous.response;
  return db.$transaction(async (tx) => {
    await tx.idempotencyKey.create({ data: { userId: buyerId, key, requestHash, response: {} } });
    const products = await tx.product.findMany({
      where: { id: { in: input.items.map((i) => i.productId) } },
      select: { id: true, title: true, price: true, stock: true, status: true, sellerId: true },
    });
    const reference = `CHK-BENCH-${key}`;
    const ordersIds: string[] = [];
    for (const item of input.items) {
      const n = await tx.$executeRaw`UPDATE "Product" SET "stock" = "stock" - ${item.quantity}::int
        WHERE "id" = ${item.productId} AND "status" = 'ACTIVE' AND "stock" >= ${item.quantity}::int`;
      if (n !== 1) throw new Error('sold out');
    }
    for (const p of products) {
      const q = input.items.find((i) => i.productId === p.id)!.quantity;
      const order = await tx.order.create({
        data: {
          number: await nextOrderNumber(tx),
          reference,
          buyerId,
          sellerId: p.sellerId,
          subtotal: p.price * q,
          total: p.price * q,
          deliveryLocation: input.delivery.location,
          deliveryPhone: input.delivery.phone,
          items: {
            create: [{ productId: p.id, sellerId: p.sellerId, quantity: q, unitPrice: p.price, title: p.title }],
          },
          events: { create: { toStatus: 'PENDING', actorId: buyerId, actorRole: 'BUYER', note: 'Order placed' } },
        },
        select: { id: true },
      });
      ordersIds.push(order.id);
    }
    const orders = await loadOrderSummaries(tx, { id: { in: ordersIds } });
    await tx.idempotencyKey.update({
      where: { userId_key: { userId: buyerId, key } },
      data: { response: { reference, orders } as never },
    });
    return orders;
  });
}

const times = { soko: [] as number[], prisma: [] as number[] };
// The session re-read the textbook route pays before its checkout (requireActiveUser's read); this
// checkout's statement re-reads the account itself.
const session = () => findSessionUser(db, buyer.id);
for (let i = 0; i < N + 40; i++) {
  const warm = i < 40;
  const a = performance.now();
  await placeOrder(db, buyer, cart(2 * i), {
    whatsappNumber: '254756185209',
    idempotencyKey: crypto.randomUUID(),
  });
  const b = performance.now();
  await session();
  await prismaWay(db, buyer.id, cart(2 * i + 1), crypto.randomUUID());
  const e = performance.now();
  if (!warm) {
    times.soko.push(b - a);
    times.prisma.push(e - b);
  }
}
const result = {
  when: new Date().toISOString(),
  n: N,
  soko: p50p99(times.soko),
  prismaNestedWrites: p50p99(times.prisma),
  ratioP50: +(
    percentile(
      [...times.prisma].sort((x, y) => x - y),
      50,
    ) /
    percentile(
      [...times.soko].sort((x, y) => x - y),
      50,
    )
  ).toFixed(2),
};
console.log(JSON.stringify(result, null, 2));
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/checkout.json', JSON.stringify(result, null, 2));
await c.end();
await close();

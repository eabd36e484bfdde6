// Concurrency on PostgreSQL: real parallel transactions over a connection pool.
import { expect, it } from 'vitest';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { placeOrder } from '../../src/lib/server/orders/checkout.ts';
import { checkoutSchema } from '../../src/lib/shared/orders.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { DELIVERY, makeProduct, makeUser } from '../helpers/fixtures.ts';

const WA = { whatsappNumber: '254756185209' };

describeEachEngine(
  'overselling',
  (ctx) => {
    it('200 concurrent checkouts for stock 5 give exactly 5 orders and 195 clear refusals', async () => {
      const { db } = ctx();
      const seller = await makeUser(db, 'SELLER');
      const p = await makeProduct(db, seller.id, { stock: 5 });
      const buyers = await Promise.all(Array.from({ length: 20 }, () => makeUser(db, 'BUYER')));
      const body = checkoutSchema.parse({ items: [{ productId: p.id, quantity: 1 }], delivery: DELIVERY });
      const results = await Promise.allSettled(
        Array.from({ length: 200 }, (_, i) => placeOrder(db, buyers[i % 20]!, body, WA)),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason);
      expect(ok).toHaveLength(5);
      expect(refused).toHaveLength(195);
      for (const e of refused) {
        expect(e).toBeInstanceOf(AppError);
        expect((e as AppError).status).toBe(409);
        expect((e as AppError).message).toMatch(/sold out|left/);
      }
      expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(0);
      expect(await db.orderItem.aggregate({ where: { productId: p.id }, _sum: { quantity: true } })).toEqual({
        _sum: { quantity: 5 },
      });
    }, 120_000);

    it('multi-seller carts racing for the last units leave no partial orders', async () => {
      const { db } = ctx();
      const [s1, s2] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
      const a = await makeProduct(db, s1.id, { stock: 3 });
      const b = await makeProduct(db, s2.id, { stock: 5 });
      const buyers = await Promise.all(Array.from({ length: 10 }, () => makeUser(db, 'BUYER')));
      // Every cart wants one of each: at most 3 can succeed (a runs out first).
      const body = checkoutSchema.parse({
        items: [
          { productId: b.id, quantity: 1 },
          { productId: a.id, quantity: 1 },
        ],
        delivery: DELIVERY,
      });
      const results = await Promise.allSettled(
        Array.from({ length: 60 }, (_, i) => placeOrder(db, buyers[i % 10]!, body, WA)),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      expect(ok).toHaveLength(3);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).status).toBe(409);
      expect((await db.product.findUniqueOrThrow({ where: { id: a.id } })).stock).toBe(0);
      expect((await db.product.findUniqueOrThrow({ where: { id: b.id } })).stock).toBe(2);
      // Two orders (one per seller) for each successful checkout, never one alone.
      const orders = await db.order.findMany({ where: { items: { some: { productId: { in: [a.id, b.id] } } } } });
      expect(orders).toHaveLength(6);
      const byRef = new Map<string, number>();
      for (const o of orders) byRef.set(o.reference, (byRef.get(o.reference) ?? 0) + 1);
      expect([...byRef.values()]).toEqual([2, 2, 2]);
    }, 120_000);

    it('the same Idempotency-Key sent concurrently creates one set of orders', async () => {
      const { db } = ctx();
      const seller = await makeUser(db, 'SELLER');
      const buyer = await makeUser(db, 'BUYER');
      const p = await makeProduct(db, seller.id, { stock: 10 });
      const body = checkoutSchema.parse({ items: [{ productId: p.id, quantity: 1 }], delivery: DELIVERY });
      const results = await Promise.all(
        Array.from({ length: 8 }, () => placeOrder(db, buyer, body, { ...WA, idempotencyKey: 'double-click' })),
      );
      expect(new Set(results.map((r) => r.reference)).size).toBe(1);
      expect(await db.order.count({ where: { buyerId: buyer.id } })).toBe(1);
      expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).stock).toBe(9);
    }, 60_000);
  },
  ['postgresql'],
);

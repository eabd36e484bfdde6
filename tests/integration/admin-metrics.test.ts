// The admin dashboard's figures on both engines, against a database holding
// only what this test made, so every number is exact: GMV counts confirmed,
// shipped and delivered orders (not pending or cancelled), new users and
// products over 7 and 30 days, top sellers by sales, active low-stock products.
import { expect, it } from 'vitest';
import { getPlatformMetrics } from '../../src/lib/server/admin/metrics.ts';
import type { OrderStatus } from '../../src/lib/shared/orders.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('admin dashboard metrics', (ctx) => {
  it('computes each figure from the data', async () => {
    const { db } = ctx();
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);
    const empty = await getPlatformMetrics(db, now);
    expect(empty).toMatchObject({
      gmv: 0,
      ordersByStatus: { PENDING: 0, CONFIRMED: 0, SHIPPED: 0, DELIVERED: 0, CANCELLED: 0 },
      newUsers: { d7: 0, d30: 0 },
      newProducts: { d7: 0, d30: 0 },
      topSellers: [],
      lowStock: [],
    });

    const [amani, karen, buyer, late] = [
      await makeUser(db, 'SELLER', 'Amani'),
      await makeUser(db, 'SELLER', 'Karen'),
      await makeUser(db, 'BUYER'),
      await makeUser(db, 'BUYER'),
    ];
    for (const [u, d] of [
      [amani, 1],
      [karen, 20],
      [buyer, 40],
      [late, 5],
    ] as const) {
      await db.user.update({ where: { id: u.id }, data: { createdAt: daysAgo(d) } });
    }
    const product = async (sellerId: string, d: number, stock: number, status: 'ACTIVE' | 'ARCHIVED' = 'ACTIVE') => {
      const p = await makeProduct(db, sellerId, { stock, status });
      await db.product.update({ where: { id: p.id }, data: { createdAt: daysAgo(d) } });
      return p;
    };
    const nearlyGone = await product(amani.id, 3, 2);
    await product(amani.id, 1, 50);
    const soldOut = await product(karen.id, 15, 0);
    await product(karen.id, 60, 1, 'ARCHIVED'); // low stock, but not on sale

    let n = 0;
    const order = (sellerId: string, status: OrderStatus, total: number) =>
      db.order.create({
        data: {
          number: `SOKO-2026-${String(++n).padStart(6, '0')}`,
          reference: `CHK-METRICS-${n}`,
          buyerId: buyer.id,
          sellerId,
          status,
          subtotal: total,
          total,
          deliveryLocation: 'Westlands',
          deliveryPhone: '+254712345678',
        },
      });
    await order(amani.id, 'CONFIRMED', 100_000);
    await order(amani.id, 'DELIVERED', 50_000);
    await order(amani.id, 'CANCELLED', 999_999);
    await order(amani.id, 'PENDING', 7_000);
    await order(karen.id, 'SHIPPED', 300_000);

    const m = await getPlatformMetrics(db, now);
    expect(m.gmv).toBe(450_000);
    expect(m.ordersByStatus).toEqual({ PENDING: 1, CONFIRMED: 1, SHIPPED: 1, DELIVERED: 1, CANCELLED: 1 });
    expect(m.newUsers).toEqual({ d7: 2, d30: 3 });
    expect(m.newProducts).toEqual({ d7: 2, d30: 3 });
    expect(m.topSellers).toEqual([
      { sellerId: karen.id, name: 'Karen Store', sales: 300_000, orders: 1 },
      { sellerId: amani.id, name: 'Amani Store', sales: 150_000, orders: 2 },
    ]);
    expect(m.lowStock.map((p) => [p.id, p.stock, p.seller])).toEqual([
      [soldOut.id, 0, 'Karen Store'],
      [nearlyGone.id, 2, 'Amani Store'],
    ]);
  });
});

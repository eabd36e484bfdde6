// Seller metrics against a hand-computed fixture of orders and reviews.
import { expect, it } from 'vitest';
import { getSellerMetrics } from '../../src/lib/server/stores/metrics.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('seller metrics', (ctx) => {
  it('matches the hand-computed figures', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const other = await makeUser(db, 'SELLER');
    const buyer = await makeUser(db, 'BUYER');
    const ring = await makeProduct(db, seller.id, { price: 1_000_000, stock: 2, title: 'Ring' });
    const cuff = await makeProduct(db, seller.id, { price: 300_000, stock: 0, title: 'Cuff' });
    const theirs = await makeProduct(db, other.id, { price: 9_900_000 });
    const now = new Date('2026-11-25T12:00:00Z');
    const day = (n: number) => new Date(now.getTime() - n * 86_400_000);
    let seq = 0;
    const order = (sellerId: string, status: string, createdAt: Date, lines: [string, string, number, number][]) =>
      db.order.create({
        data: {
          number: `T-${seq++}-${sellerId.slice(-4)}`,
          reference: 'R',
          buyerId: buyer.id,
          sellerId,
          status: status as never,
          subtotal: lines.reduce((s, l) => s + l[2] * l[3], 0),
          total: lines.reduce((s, l) => s + l[2] * l[3], 0),
          deliveryLocation: 'Karen',
          deliveryPhone: '+254712345678',
          createdAt,
          items: {
            create: lines.map(([productId, title, unitPrice, quantity]) => ({
              productId,
              title,
              unitPrice,
              quantity,
              sellerId,
            })),
          },
        },
      });
    // Counted: 2 rings (20,000) + 1 cuff (3,000) delivered 3 days ago; 1 ring confirmed today; 3 cuffs shipped 40 days ago.
    await order(seller.id, 'DELIVERED', day(3), [
      [ring.id, 'Ring', 1_000_000, 2],
      [cuff.id, 'Cuff', 300_000, 1],
    ]);
    await order(seller.id, 'CONFIRMED', day(0), [[ring.id, 'Ring', 1_000_000, 1]]);
    await order(seller.id, 'SHIPPED', day(40), [[cuff.id, 'Cuff', 300_000, 3]]);
    // Not counted: pending, cancelled, another seller's.
    await order(seller.id, 'PENDING', day(1), [[ring.id, 'Ring', 1_000_000, 5]]);
    await order(seller.id, 'CANCELLED', day(2), [[ring.id, 'Ring', 1_000_000, 7]]);
    await order(other.id, 'DELIVERED', day(1), [[theirs.id, 'Theirs', 9_900_000, 1]]);
    const r2 = await makeUser(db);
    await db.review.createMany({
      data: [
        { productId: ring.id, authorId: buyer.id, rating: 5 },
        { productId: cuff.id, authorId: buyer.id, rating: 4 },
        { productId: ring.id, authorId: r2.id, rating: 2 },
        { productId: theirs.id, authorId: buyer.id, rating: 1 },
      ],
    });

    const m = await getSellerMetrics(db, seller.id, now);
    expect(m.totalSales).toBe(2_300_000 + 1_000_000 + 900_000);
    expect(m.salesOrderCount).toBe(3);
    expect(m.ordersByStatus).toEqual({ PENDING: 1, CONFIRMED: 1, SHIPPED: 1, DELIVERED: 1, CANCELLED: 1 });
    expect(m.rating).toEqual({ average: 3.7, count: 3 });
    expect(m.bestSellers.map((b) => [b.title, b.units, b.revenue])).toEqual([
      ['Cuff', 4, 1_200_000],
      ['Ring', 3, 3_000_000],
    ]);
    expect(m.daily).toHaveLength(30);
    expect(m.daily.at(-1)).toEqual({ date: '2026-11-25', sales: 1_000_000, orders: 1 });
    expect(m.daily.find((d) => d.date === '2026-11-22')).toEqual({ date: '2026-11-22', sales: 2_300_000, orders: 1 });
    expect(m.daily.reduce((s, d) => s + d.sales, 0)).toBe(3_300_000);
    expect(m.productCounts).toEqual({ active: 2, lowStock: 1, soldOut: 1, archived: 0 });
    expect(m.computedAt).toBe(now.toISOString());
  });

  it('is all zeros for a new seller', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const m = await getSellerMetrics(db, seller.id);
    expect(m.totalSales).toBe(0);
    expect(m.rating).toEqual({ average: null, count: 0 });
    expect(m.bestSellers).toEqual([]);
    expect(m.daily.every((d) => d.sales === 0)).toBe(true);
  });
});

// A seller's dashboard figures, computed from orders and reviews on every
// load (never stored copies that drift). Sales count orders CONFIRMED and
// later; cancelled and still-pending orders are excluded.
import type { Db } from '../db.ts';
import type { OrderStatus } from '../../shared/orders.ts';

export const SALE_STATUSES = ['CONFIRMED', 'SHIPPED', 'DELIVERED'] as const;

export interface SellerMetrics {
  computedAt: string;
  totalSales: number;
  salesOrderCount: number;
  ordersByStatus: Record<OrderStatus, number>;
  rating: { average: number | null; count: number };
  bestSellers: { productId: string; title: string; slug: string | null; units: number; revenue: number }[];
  /** One point per day for the last `days` days, oldest first (UTC dates). */
  daily: { date: string; sales: number; orders: number }[];
  productCounts: { active: number; lowStock: number; soldOut: number; archived: number };
}

export async function getSellerMetrics(db: Db, sellerId: string, now = new Date(), days = 30): Promise<SellerMetrics> {
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  const sale = { sellerId, status: { in: [...SALE_STATUSES] } };
  const [totals, byStatus, rating, best, daily, products] = await Promise.all([
    db.order.aggregate({ where: sale, _sum: { total: true }, _count: { _all: true } }),
    db.order.groupBy({ by: ['status'], where: { sellerId }, _count: { _all: true } }),
    db.review.aggregate({ where: { product: { sellerId } }, _avg: { rating: true }, _count: { _all: true } }),
    db.$queryRaw<{ productId: string; title: string; slug: string | null; units: bigint; revenue: bigint }[]>`
      SELECT oi."productId" AS "productId", MAX(oi.title) AS title, MAX(p.slug) AS slug,
             SUM(oi.quantity) AS units, SUM(oi.quantity * oi."unitPrice") AS revenue
      FROM "OrderItem" oi
      JOIN "Order" o ON o.id = oi."orderId"
      LEFT JOIN "Product" p ON p.id = oi."productId"
      WHERE o."sellerId" = ${sellerId} AND o.status::text IN ('CONFIRMED', 'SHIPPED', 'DELIVERED')
      GROUP BY oi."productId"
      ORDER BY units DESC, revenue DESC, "productId"
      LIMIT 5`,
    db.$queryRaw<{ day: string; sales: bigint; orders: bigint }[]>`
      SELECT to_char(date_trunc('day', o."createdAt"), 'YYYY-MM-DD') AS day, SUM(o.total) AS sales, COUNT(*) AS orders
      FROM "Order" o
      WHERE o."sellerId" = ${sellerId} AND o.status::text IN ('CONFIRMED', 'SHIPPED', 'DELIVERED') AND o."createdAt" >= ${since}
      GROUP BY 1`,
    db.product.groupBy({ by: ['status'], where: { sellerId }, _count: { _all: true } }),
  ]);
  const [lowStock, soldOut] = await Promise.all([
    db.product.count({ where: { sellerId, status: 'ACTIVE', stock: { gt: 0, lte: 3 } } }),
    db.product.count({ where: { sellerId, status: 'ACTIVE', stock: 0 } }),
  ]);
  const ordersByStatus = { PENDING: 0, CONFIRMED: 0, SHIPPED: 0, DELIVERED: 0, CANCELLED: 0 } as Record<
    OrderStatus,
    number
  >;
  for (const s of byStatus) ordersByStatus[s.status] = s._count._all;
  const perDay = new Map(daily.map((d) => [d.day, d]));
  const series: SellerMetrics['daily'] = [];
  for (let i = 0; i < days; i++) {
    const d = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    const row = perDay.get(d);
    series.push({ date: d, sales: Number(row?.sales ?? 0), orders: Number(row?.orders ?? 0) });
  }
  const countOf = (status: string) => products.find((p) => p.status === status)?._count._all ?? 0;
  return {
    computedAt: now.toISOString(),
    totalSales: totals._sum.total ?? 0,
    salesOrderCount: totals._count._all,
    ordersByStatus,
    rating: {
      average: rating._avg.rating === null ? null : Math.round(rating._avg.rating * 10) / 10,
      count: rating._count._all,
    },
    bestSellers: best.map((b) => ({ ...b, units: Number(b.units), revenue: Number(b.revenue) })),
    daily: series,
    productCounts: { active: countOf('ACTIVE'), lowStock, soldOut, archived: countOf('ARCHIVED') },
  };
}

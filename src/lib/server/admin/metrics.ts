// Platform figures for the admin dashboard, computed on each request.
import type { Db } from '../db.ts';
import type { OrderStatus } from '../../shared/orders.ts';
import { SALE_STATUSES } from '../stores/metrics.ts';

export interface PlatformMetrics {
  computedAt: string;
  gmv: number;
  ordersByStatus: Record<OrderStatus, number>;
  newUsers: { d7: number; d30: number };
  newProducts: { d7: number; d30: number };
  topSellers: { sellerId: string; name: string; sales: number; orders: number }[];
  lowStock: { id: string; slug: string; title: string; stock: number; seller: string }[];
}

export async function getPlatformMetrics(db: Db, now = new Date()): Promise<PlatformMetrics> {
  const ago = (d: number) => new Date(now.getTime() - d * 86_400_000);
  const [gmv, byStatus, u7, u30, p7, p30, top, low] = await Promise.all([
    db.order.aggregate({ where: { status: { in: [...SALE_STATUSES] } }, _sum: { total: true } }),
    db.order.groupBy({ by: ['status'], _count: { _all: true } }),
    db.user.count({ where: { createdAt: { gte: ago(7) } } }),
    db.user.count({ where: { createdAt: { gte: ago(30) } } }),
    db.product.count({ where: { createdAt: { gte: ago(7) } } }),
    db.product.count({ where: { createdAt: { gte: ago(30) } } }),
    db.order.groupBy({
      by: ['sellerId'],
      where: { status: { in: [...SALE_STATUSES] } },
      _sum: { total: true },
      _count: { _all: true },
      orderBy: { _sum: { total: 'desc' } },
      take: 5,
    }),
    db.product.findMany({
      where: { status: 'ACTIVE', stock: { lte: 3 } },
      orderBy: [{ stock: 'asc' }, { title: 'asc' }],
      take: 10,
      select: {
        id: true,
        slug: true,
        title: true,
        stock: true,
        seller: { select: { name: true, profile: { select: { storeName: true } } } },
      },
    }),
  ]);
  const names = new Map(
    (
      await db.user.findMany({
        where: { id: { in: top.map((t) => t.sellerId) } },
        select: { id: true, name: true, profile: { select: { storeName: true } } },
      })
    ).map((u) => [u.id, u.profile?.storeName ?? u.name]),
  );
  const ordersByStatus = { PENDING: 0, CONFIRMED: 0, SHIPPED: 0, DELIVERED: 0, CANCELLED: 0 } as Record<
    OrderStatus,
    number
  >;
  for (const s of byStatus) ordersByStatus[s.status] = s._count._all;
  return {
    computedAt: now.toISOString(),
    gmv: gmv._sum.total ?? 0,
    ordersByStatus,
    newUsers: { d7: u7, d30: u30 },
    newProducts: { d7: p7, d30: p30 },
    topSellers: top.map((t) => ({
      sellerId: t.sellerId,
      name: names.get(t.sellerId) ?? '?',
      sales: t._sum.total ?? 0,
      orders: t._count._all,
    })),
    lowStock: low.map((p) => ({
      id: p.id,
      slug: p.slug,
      title: p.title,
      stock: p.stock,
      seller: p.seller.profile?.storeName ?? p.seller.name,
    })),
  };
}

// Admin order handling: the orders issue's lifecycle rules, plus an audit entry
// written in the same transaction as the status change.
import type { Db } from '../db.ts';
import { transitionOrder } from '../orders/lifecycle.ts';
import type { OrderDetail } from '../orders/queries.ts';
import type { OrderStatus } from '../../shared/orders.ts';
import { recordAudit } from './audit.ts';

export async function changeOrderStatus(
  db: Db,
  adminId: string,
  orderId: string,
  to: OrderStatus,
  note?: string,
): Promise<OrderDetail> {
  return transitionOrder(db, { id: adminId, role: 'ADMIN' }, orderId, to, note, {
    afterChange: (tx, change) =>
      recordAudit(tx, adminId, {
        action: 'order.status',
        targetType: 'order',
        targetId: change.orderId,
        before: { status: change.from },
        after: { status: change.to, ...(change.note ? { note: change.note } : {}) },
      }),
  });
}

/** Sellers for the order filter: everyone who has ever sold, by store name. */
export async function listSellerOptions(db: Db): Promise<{ id: string; name: string }[]> {
  const rows = await db.user.findMany({
    where: { OR: [{ role: 'SELLER' }, { sales: { some: {} } }] },
    select: { id: true, name: true, profile: { select: { storeName: true } } },
    take: 500,
  });
  return rows
    .map((r) => ({ id: r.id, name: r.profile?.storeName ?? r.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

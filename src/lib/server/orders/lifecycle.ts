// Order status changes: PENDING -> CONFIRMED -> SHIPPED -> DELIVERED, and
// CANCELLED. The seller of the order (or an admin) advances it; the buyer may
// cancel while PENDING; the seller or an admin may cancel before SHIPPED.
// Cancelling restores stock in the same transaction. Every change is recorded.
import type { Db } from '../db.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { AppError } from '../http/errors.ts';
import { returnStock } from '../products/stock.ts';
import type { OrderStatus } from '../../shared/orders.ts';
import { getOrder, visibleTo, type Actor, type OrderDetail } from './queries.ts';

const NEXT: Record<OrderStatus, OrderStatus[]> = {
  PENDING: ['CONFIRMED', 'CANCELLED'],
  CONFIRMED: ['SHIPPED', 'CANCELLED'],
  SHIPPED: ['DELIVERED'],
  DELIVERED: [],
  CANCELLED: [],
};

/** Orders someone still has to act on: every status the lifecycle can leave (DELIVERED and CANCELLED are final). */
export const OPEN_ORDER_STATUSES = (Object.keys(NEXT) as OrderStatus[]).filter((s) => NEXT[s].length > 0);

export type Party = 'buyer' | 'seller' | 'admin';

/** Which side of an order the actor is on (they can already see it). */
export function partyOf(actor: Actor, order: { sellerId: string }): Party {
  return actor.role === 'ADMIN' ? 'admin' : order.sellerId === actor.id ? 'seller' : 'buyer';
}

function mayMove(party: Party, from: OrderStatus, to: OrderStatus): boolean {
  if (party === 'admin') return true;
  if (party === 'seller') return true;
  // Buyers can only cancel, and only before the seller confirms.
  return to === 'CANCELLED' && from === 'PENDING';
}

export function allowedTransitions(party: Party, from: OrderStatus): OrderStatus[] {
  return NEXT[from].filter((to) => mayMove(party, from, to));
}

/** A change that has been written; passed to `afterChange` inside the same transaction. */
export interface OrderTransition {
  orderId: string;
  number: string;
  from: OrderStatus;
  to: OrderStatus;
  note: string | null;
}

export interface TransitionOptions {
  /** Runs in the transaction after the change (e.g. the admin audit entry): a throw rolls it all back. */
  afterChange?: (tx: Prisma.TransactionClient, change: OrderTransition) => Promise<void>;
}

export async function transitionOrder(
  db: Db,
  actor: Actor,
  orderId: string,
  to: OrderStatus,
  note?: string,
  opts: TransitionOptions = {},
): Promise<OrderDetail> {
  await db.$transaction(
    async (tx) => {
      const order = await tx.order.findFirst({
        where: { AND: [visibleTo(actor), { id: orderId }] },
        select: {
          id: true,
          number: true,
          status: true,
          buyerId: true,
          sellerId: true,
          items: { select: { productId: true, quantity: true } },
        },
      });
      if (!order) throw new AppError('NOT_FOUND', 'Order not found');
      const party = partyOf(actor, order);
      if (!NEXT[order.status].includes(to)) {
        throw new AppError('CONFLICT', `An order that is ${order.status} cannot become ${to}`, {
          from: order.status,
          allowed: allowedTransitions(party, order.status),
        });
      }
      if (!mayMove(party, order.status, to)) {
        throw new AppError('CONFLICT', `As the ${party} you cannot change a ${order.status} order to ${to}`, {
          from: order.status,
          allowed: allowedTransitions(party, order.status),
        });
      }
      // Conditional on the status we read: a concurrent change makes this a no-op
      // and a 409, so stock is never restored twice.
      const moved = await tx.order.updateMany({ where: { id: order.id, status: order.status }, data: { status: to } });
      if (moved.count !== 1) throw new AppError('CONFLICT', 'The order changed meanwhile; reload and try again');
      if (to === 'CANCELLED') {
        for (const item of [...order.items].sort((a, b) => a.productId.localeCompare(b.productId))) {
          await returnStock(tx, item.productId, item.quantity);
        }
      }
      await tx.orderEvent.create({
        data: {
          orderId: order.id,
          fromStatus: order.status,
          toStatus: to,
          actorId: actor.id,
          actorRole: actor.role,
          note: note || null,
        },
      });
      await opts.afterChange?.(tx, {
        orderId: order.id,
        number: order.number,
        from: order.status,
        to,
        note: note || null,
      });
    },
    { maxWait: 15_000, timeout: 20_000 },
  );
  return getOrder(db, actor, orderId);
}

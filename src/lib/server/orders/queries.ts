// Reading orders with the ownership rules: buyers see their own, sellers the
// orders of their store, admins all. Someone else's order is a 404.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { OrderStatus, OrderSummary } from '../../shared/orders.ts';

export interface Actor {
  id: string;
  role: 'BUYER' | 'SELLER' | 'ADMIN';
}

type Reader = Pick<Db, 'order'>;

const summarySelect = {
  id: true,
  number: true,
  reference: true,
  status: true,
  total: true,
  createdAt: true,
  deliveryLocation: true,
  deliveryPhone: true,
  deliveryNote: true,
  seller: { select: { id: true, name: true, profile: { select: { storeName: true, handle: true } } } },
  items: { select: { productId: true, title: true, quantity: true, unitPrice: true }, orderBy: { title: 'asc' } },
} satisfies Prisma.OrderSelect;

export type SummaryRow = Prisma.OrderGetPayload<{ select: typeof summarySelect }>;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** An order as the API shows it; checkout builds the rows it just wrote, everything else reads them. */
export function toSummary(o: SummaryRow): OrderSummary {
  return {
    id: o.id,
    number: o.number,
    reference: o.reference,
    status: o.status,
    total: o.total,
    createdAt: o.createdAt.toISOString(),
    seller: {
      id: o.seller.id,
      name: o.seller.profile?.storeName ?? o.seller.name,
      handle: o.seller.profile?.handle ?? null,
    },
    delivery: { location: o.deliveryLocation, phone: o.deliveryPhone, note: o.deliveryNote },
    // Sorted here, not by the database's collation, so an order reads the same from either source.
    items: o.items
      .map((i) => ({ ...i, lineTotal: i.unitPrice * i.quantity }))
      .sort((a, b) => (a.title === b.title ? cmp(a.productId, b.productId) : cmp(a.title, b.title))),
  };
}

export async function loadOrderSummaries(db: Reader, where: Prisma.OrderWhereInput): Promise<OrderSummary[]> {
  const rows = await db.order.findMany({
    where,
    select: summarySelect,
    orderBy: [{ createdAt: 'asc' }, { number: 'asc' }],
  });
  return rows.map(toSummary);
}

/** The orders an actor may see. */
export function visibleTo(actor: Actor): Prisma.OrderWhereInput {
  if (actor.role === 'ADMIN') return {};
  if (actor.role === 'SELLER') return { sellerId: actor.id };
  return { buyerId: actor.id };
}

export interface OrderListFilter {
  status?: OrderStatus;
  /** Id of the last order of the previous page. */
  cursor?: string;
  limit: number;
  sellerId?: string;
  from?: Date;
  to?: Date;
}

export async function listOrders(
  db: Db,
  actor: Actor,
  f: OrderListFilter,
): Promise<{ items: OrderSummary[]; nextCursor: string | null }> {
  const where: Prisma.OrderWhereInput = {
    AND: [
      visibleTo(actor),
      f.status ? { status: f.status } : {},
      f.sellerId ? { sellerId: f.sellerId } : {},
      f.from || f.to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lt: f.to } : {}) } } : {},
    ],
  };
  const rows = await db.order.findMany({
    where,
    select: summarySelect,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
  });
  const page = rows.slice(0, f.limit);
  return { items: page.map(toSummary), nextCursor: rows.length > f.limit ? page[page.length - 1]!.id : null };
}

export interface OrderDetail extends OrderSummary {
  buyer: { id: string; name: string; email: string };
  events: {
    fromStatus: OrderStatus | null;
    toStatus: OrderStatus;
    actorRole: string;
    actorName: string;
    note: string | null;
    at: string;
  }[];
}

export async function getOrder(db: Db, actor: Actor, idOrNumber: string): Promise<OrderDetail> {
  const row = await db.order.findFirst({
    where: { AND: [visibleTo(actor), { OR: [{ id: idOrNumber }, { number: idOrNumber }] }] },
    select: {
      ...summarySelect,
      buyer: { select: { id: true, name: true, email: true } },
      events: {
        orderBy: { createdAt: 'asc' },
        select: {
          fromStatus: true,
          toStatus: true,
          actorRole: true,
          note: true,
          createdAt: true,
          actor: { select: { name: true } },
        },
      },
    },
  });
  if (!row) throw new AppError('NOT_FOUND', 'Order not found');
  return {
    ...toSummary(row),
    buyer: row.buyer,
    events: row.events.map((e) => ({
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorRole: e.actorRole,
      actorName: e.actor.name,
      note: e.note,
      at: e.createdAt.toISOString(),
    })),
  };
}

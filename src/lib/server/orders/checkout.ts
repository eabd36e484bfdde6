// Checkout: one transaction turns a cart into one order per seller.
// Prices come from the database; stock is taken with a conditional update
// (never below zero; the CHECK constraint is the last line of defence); an
// Idempotency-Key makes a retried checkout return the orders it placed.
import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { CheckoutInput, CheckoutResult, OrderSummary } from '../../shared/orders.ts';
import { orderConfirmationMessage, whatsappLink } from '../../shared/whatsapp.ts';
import { takeStock } from '../products/stock.ts';
import { nextOrderNumbers } from './number.ts';
import { loadOrderSummaries } from './queries.ts';

export interface Buyer {
  id: string;
}

export interface ItemProblem {
  productId: string;
  reason: 'NOT_FOUND' | 'UNAVAILABLE' | 'INSUFFICIENT_STOCK';
  message: string;
  available?: number;
}

const TX_OPTIONS = { maxWait: 15_000, timeout: 20_000 } as const;

function checkoutReference(): string {
  const t = Date.now().toString(36).toUpperCase();
  const r = createHash('sha256')
    .update(`${Math.random()}${process.hrtime.bigint()}`)
    .digest('hex')
    .slice(0, 6)
    .toUpperCase();
  return `CHK-${t}-${r}`;
}

function problemsError(problems: ItemProblem[]): AppError {
  const first = problems[0]!;
  return new AppError(
    'CONFLICT',
    problems.length === 1 ? first.message : `${problems.length} items in the cart cannot be ordered`,
    {
      items: problems,
    },
  );
}

/**
 * Places the checkout; `idempotencyKey` (from the Idempotency-Key header) makes retries safe.
 *
 * Under load every database round trip waits its turn on a busy event loop and CPU, so the
 * transaction is a fixed, short list of statements whatever the cart holds: claim the key, read
 * the products, write all orders, all lines and all events (one statement each), read the
 * summaries back, then take stock last, so that the product rows stay locked only until the
 * commit that follows.
 */
export async function placeOrder(
  db: Db,
  buyer: Buyer,
  input: CheckoutInput,
  opts: { whatsappNumber: string; idempotencyKey?: string },
): Promise<CheckoutResult> {
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const key = opts.idempotencyKey;
  const orders = await db.$transaction(async (tx) => {
    const reference = checkoutReference();
    if (key) {
      // Claims the key: a concurrent twin waits on the unique index until this commits (then
      // inserts nothing and answers with these orders) or rolls back (then claims it itself).
      const { count } = await tx.idempotencyKey.createMany({
        data: [{ userId: buyer.id, key, requestHash, response: { reference } }],
        skipDuplicates: true,
      });
      if (count === 0) return replay(tx, buyer.id, key, requestHash);
    }
    const ids = input.items.map((i) => i.productId);
    const products = await tx.product.findMany({
      where: { id: { in: ids } },
      select: {
        id: true,
        title: true,
        price: true,
        stock: true,
        status: true,
        sellerId: true,
        seller: { select: { status: true } },
      },
    });
    const byId = new Map(products.map((p) => [p.id, p]));
    const problems: ItemProblem[] = [];
    for (const item of input.items) {
      const p = byId.get(item.productId);
      if (!p)
        problems.push({
          productId: item.productId,
          reason: 'NOT_FOUND',
          message: `Product ${item.productId} does not exist`,
        });
      // A suspended seller's products left the storefront; a cart saved earlier must not buy them either.
      else if (p.status !== 'ACTIVE' || p.seller.status !== 'ACTIVE')
        problems.push({ productId: p.id, reason: 'UNAVAILABLE', message: `"${p.title}" is no longer for sale` });
      else if (p.sellerId === buyer.id)
        problems.push({ productId: p.id, reason: 'UNAVAILABLE', message: `"${p.title}" is your own product` });
      else if (p.stock < item.quantity)
        problems.push({
          productId: p.id,
          reason: 'INSUFFICIENT_STOCK',
          available: p.stock,
          message: p.stock === 0 ? `"${p.title}" is sold out` : `Only ${p.stock} of "${p.title}" left`,
        });
    }
    if (problems.length > 0) throw problemsError(problems);

    // One order per seller, in the order the sellers first appear in the cart.
    const lines = input.items.map((i) => {
      const p = byId.get(i.productId)!;
      return { productId: p.id, sellerId: p.sellerId, quantity: i.quantity, unitPrice: p.price, title: p.title };
    });
    const sellerIds = [...new Set(lines.map((l) => l.sellerId))];
    const numbers = await nextOrderNumbers(tx, sellerIds.length);
    const created = await tx.order.createManyAndReturn({
      data: sellerIds.map((sellerId, n) => {
        const subtotal = lines.filter((l) => l.sellerId === sellerId).reduce((s, l) => s + l.unitPrice * l.quantity, 0);
        return {
          number: numbers[n]!,
          reference,
          buyerId: buyer.id,
          sellerId,
          subtotal,
          total: subtotal,
          deliveryLocation: input.delivery.location,
          deliveryPhone: input.delivery.phone,
          deliveryNote: input.delivery.note || null,
        };
      }),
      select: { id: true, sellerId: true },
    });
    const orderOf = new Map(created.map((o) => [o.sellerId, o.id]));
    await tx.orderItem.createMany({ data: lines.map((l) => ({ ...l, orderId: orderOf.get(l.sellerId)! })) });
    await tx.orderEvent.createMany({
      data: created.map((o) => ({
        orderId: o.id,
        toStatus: 'PENDING' as const,
        actorId: buyer.id,
        actorRole: 'BUYER' as const,
        note: 'Order placed',
      })),
    });
    const summaries = await loadOrderSummaries(tx, { reference, buyerId: buyer.id });
    await takeAll(tx, input.items);
    return summaries;
  }, TX_OPTIONS);
  return {
    reference: orders[0]!.reference,
    orders,
    whatsappUrl: whatsappLink(opts.whatsappNumber, orderConfirmationMessage(orders)),
  };
}

/**
 * Takes the stock of every line, in a fixed order (by id) so that concurrent checkouts cannot
 * deadlock. Stock may have moved since the products were read: a line that cannot be taken now
 * rolls the whole checkout back with the reason.
 */
async function takeAll(tx: Prisma.TransactionClient, items: CheckoutInput['items']): Promise<void> {
  for (const item of [...items].sort((a, b) => a.productId.localeCompare(b.productId))) {
    if (await takeStock(tx, item.productId, item.quantity)) continue;
    const now = await tx.product.findUnique({
      where: { id: item.productId },
      select: { stock: true, title: true, status: true },
    });
    // Hidden or archived since it was read (e.g. its store closed): not a stock problem.
    if (now && now.status !== 'ACTIVE') {
      throw problemsError([
        { productId: item.productId, reason: 'UNAVAILABLE', message: `"${now.title}" is no longer for sale` },
      ]);
    }
    throw problemsError([
      {
        productId: item.productId,
        reason: 'INSUFFICIENT_STOCK',
        available: now?.stock ?? 0,
        message: now?.stock
          ? `Only ${now.stock} of "${now.title}" left`
          : `"${now?.title ?? item.productId}" is sold out`,
      },
    ]);
  }
}

/** A key already used by this buyer: the orders it placed, or 409 if it came with another cart. */
async function replay(
  tx: Prisma.TransactionClient,
  userId: string,
  key: string,
  requestHash: string,
): Promise<OrderSummary[]> {
  const row = await tx.idempotencyKey.findUniqueOrThrow({ where: { userId_key: { userId, key } } });
  if (row.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different checkout');
  }
  // Keys claimed before orders were read back stored the whole result; both shapes hold the reference.
  const { reference } = row.response as { reference: string };
  return loadOrderSummaries(tx, { reference, buyerId: userId });
}

export type { OrderSummary };

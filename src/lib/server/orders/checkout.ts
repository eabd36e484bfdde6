// Checkout: one transaction turns a cart into one order per seller.
// Prices come from the database; stock is taken with a conditional update
// (never below zero; the CHECK constraint is the last line of defence); an
// Idempotency-Key makes a retried checkout return the first result.
import { createHash } from 'node:crypto';
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CheckoutInput, CheckoutResult, OrderSummary } from '../../shared/orders.ts';
import { orderConfirmationMessage, whatsappLink } from '../../shared/whatsapp.ts';
import { takeStock } from '../products/stock.ts';
import { nextOrderNumber } from './number.ts';
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

/** Places the checkout; `idempotencyKey` (from the Idempotency-Key header) makes retries safe. */
export async function placeOrder(
  db: Db,
  buyer: Buyer,
  input: CheckoutInput,
  opts: { whatsappNumber: string; idempotencyKey?: string },
): Promise<CheckoutResult> {
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  if (opts.idempotencyKey) {
    const previous = await findIdempotent(db, buyer.id, opts.idempotencyKey, requestHash);
    if (previous) return previous;
  }
  try {
    return await db.$transaction(async (tx) => {
      if (opts.idempotencyKey) {
        // Claims the key inside the transaction: a concurrent twin blocks on the
        // unique index until this commits (then finds the result) or rolls back.
        await tx.idempotencyKey.create({
          data: { userId: buyer.id, key: opts.idempotencyKey, requestHash, response: {} },
        });
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

      // Take stock in a fixed order (by id) so concurrent checkouts cannot deadlock.
      for (const item of [...input.items].sort((a, b) => a.productId.localeCompare(b.productId))) {
        if (!(await takeStock(tx, item.productId, item.quantity))) {
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

      const reference = checkoutReference();
      const bySeller = new Map<string, typeof input.items>();
      for (const item of input.items) {
        const sellerId = byId.get(item.productId)!.sellerId;
        bySeller.set(sellerId, [...(bySeller.get(sellerId) ?? []), item]);
      }
      const orderIds: string[] = [];
      for (const [sellerId, items] of bySeller) {
        const lines = items.map((i) => {
          const p = byId.get(i.productId)!;
          return { productId: p.id, sellerId, quantity: i.quantity, unitPrice: p.price, title: p.title };
        });
        const subtotal = lines.reduce((s, l) => s + l.unitPrice * l.quantity, 0);
        const order = await tx.order.create({
          data: {
            number: await nextOrderNumber(tx),
            reference,
            buyerId: buyer.id,
            sellerId,
            subtotal,
            total: subtotal,
            deliveryLocation: input.delivery.location,
            deliveryPhone: input.delivery.phone,
            deliveryNote: input.delivery.note || null,
            items: { create: lines },
            events: { create: { toStatus: 'PENDING', actorId: buyer.id, actorRole: 'BUYER', note: 'Order placed' } },
          },
          select: { id: true },
        });
        orderIds.push(order.id);
      }
      const orders = await loadOrderSummaries(tx, { id: { in: orderIds } });
      const result: CheckoutResult = {
        reference,
        orders,
        whatsappUrl: whatsappLink(opts.whatsappNumber, orderConfirmationMessage(orders)),
      };
      if (opts.idempotencyKey) {
        await tx.idempotencyKey.update({
          where: { userId_key: { userId: buyer.id, key: opts.idempotencyKey } },
          data: { response: result as unknown as Prisma.InputJsonValue },
        });
      }
      return result;
    }, TX_OPTIONS);
  } catch (err) {
    // A concurrent request with the same key committed first: answer with its result.
    if (opts.idempotencyKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const previous = await findIdempotent(db, buyer.id, opts.idempotencyKey, requestHash);
      if (previous) return previous;
    }
    throw err;
  }
}

async function findIdempotent(
  db: Db,
  userId: string,
  key: string,
  requestHash: string,
): Promise<CheckoutResult | null> {
  const row = await db.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
  if (!row) return null;
  if (row.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different checkout');
  }
  return row.response as unknown as CheckoutResult;
}

export type { OrderSummary };

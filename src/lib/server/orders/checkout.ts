// Checkout: one transaction turns a cart into one order per seller.
// Prices come from the database; stock is taken with a conditional update
// (never below zero; the CHECK constraint is the last line of defence); an
// Idempotency-Key makes a retried checkout return the orders it placed.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CheckoutInput, CheckoutResult, OrderSummary } from '../../shared/orders.ts';
import { orderConfirmationMessage, whatsappLink } from '../../shared/whatsapp.ts';
import { takeStock } from '../products/stock.ts';
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
 * transaction is a short, fixed list of statements whatever the cart holds: read the products,
 * claim the key and write every order, line and event in one statement (writeOrders), read the
 * summaries back, then take the stock last, so that product rows stay locked only until the
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
    if (problems.length > 0) {
      // The retry of a checkout that took the last units gets its orders, not a refusal.
      const previous = key ? await replay(tx, buyer.id, key, requestHash) : null;
      if (previous) return previous;
      throw problemsError(problems);
    }

    const reference = checkoutReference();
    const lines = input.items.map((i) => {
      const p = byId.get(i.productId)!;
      return { productId: p.id, sellerId: p.sellerId, quantity: i.quantity, unitPrice: p.price, title: p.title };
    });
    const claimed = await writeOrders(tx, {
      reference,
      buyerId: buyer.id,
      delivery: input.delivery,
      lines,
      claim: key ? { key, requestHash } : undefined,
    });
    if (!claimed) return (await replay(tx, buyer.id, key!, requestHash))!;
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

interface OrderWrite {
  reference: string;
  buyerId: string;
  delivery: CheckoutInput['delivery'];
  lines: { productId: string; sellerId: string; quantity: number; unitPrice: number; title: string }[];
  claim?: { key: string; requestHash: string };
}

const newId = () => randomUUID().replaceAll('-', '');

/**
 * One statement (hence atomic on its own, and one round trip): claims the Idempotency-Key, then
 * writes one order per seller (numbered from order_number_seq, formatted as formatOrderNumber
 * does), its lines and its "Order placed" event. False when the key was already claimed: the
 * statement waited on the key's unique index for the twin request to commit, and wrote nothing.
 * Raw SQL because Prisma would spend a round trip per table and one more to number the orders.
 */
async function writeOrders(tx: Prisma.TransactionClient, w: OrderWrite): Promise<boolean> {
  const orders = [...new Set(w.lines.map((l) => l.sellerId))].map((sellerId) => ({
    id: newId(),
    sellerId,
    subtotal: w.lines.filter((l) => l.sellerId === sellerId).reduce((s, l) => s + l.unitPrice * l.quantity, 0),
  }));
  const orderOf = new Map(orders.map((o) => [o.sellerId, o.id]));
  const claim = w.claim
    ? Prisma.sql`INSERT INTO "IdempotencyKey" ("id", "userId", "key", "requestHash", "response", "createdAt")
        VALUES (${newId()}, ${w.buyerId}, ${w.claim.key}, ${w.claim.requestHash},
                ${JSON.stringify({ reference: w.reference })}::jsonb, now() AT TIME ZONE 'UTC')
        ON CONFLICT ("userId", "key") DO NOTHING RETURNING 1`
    : Prisma.sql`SELECT 1`;
  const [row] = await tx.$queryRaw<{ claimed: boolean }[]>`
    WITH claim AS (${claim}),
    placed AS (
      INSERT INTO "Order" ("id", "number", "reference", "buyerId", "sellerId", "subtotal", "total",
                           "deliveryLocation", "deliveryPhone", "deliveryNote", "createdAt", "updatedAt")
      SELECT o.id, 'SOKO-' || to_char(now() AT TIME ZONE 'UTC', 'YYYY') || '-' || lpad(o.n::text, greatest(6, length(o.n::text)), '0'),
             ${w.reference}, ${w.buyerId}, o.seller, o.subtotal, o.subtotal,
             ${w.delivery.location}, ${w.delivery.phone}, ${w.delivery.note || null},
             now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
      -- nextval in a select list runs once per row (a LATERAL subquery would run once).
      FROM (
        SELECT v.*, nextval('order_number_seq') AS n
        FROM (VALUES ${Prisma.join(orders.map((o) => Prisma.sql`(${o.id}, ${o.sellerId}, ${o.subtotal}::int)`))}) AS v(id, seller, subtotal)
      ) AS o
      WHERE EXISTS (SELECT 1 FROM claim)
    ),
    lines AS (
      INSERT INTO "OrderItem" ("id", "orderId", "productId", "sellerId", "quantity", "unitPrice", "title")
      SELECT l.* FROM (VALUES ${Prisma.join(
        w.lines.map(
          (l) =>
            Prisma.sql`(${newId()}, ${orderOf.get(l.sellerId)!}, ${l.productId}, ${l.sellerId}, ${l.quantity}::int, ${l.unitPrice}::int, ${l.title})`,
        ),
      )}) AS l
      WHERE EXISTS (SELECT 1 FROM claim)
    ),
    events AS (
      INSERT INTO "OrderEvent" ("id", "orderId", "toStatus", "actorId", "actorRole", "note", "createdAt")
      SELECT e.id, e.order, 'PENDING', ${w.buyerId}, 'BUYER', 'Order placed', now() AT TIME ZONE 'UTC'
      FROM (VALUES ${Prisma.join(orders.map((o) => Prisma.sql`(${newId()}, ${o.id})`))}) AS e(id, "order")
      WHERE EXISTS (SELECT 1 FROM claim)
    )
    SELECT EXISTS (SELECT 1 FROM claim) AS claimed`;
  return row!.claimed;
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

/** The orders placed with this buyer's key (null if none), or 409 if the key came with another cart. */
async function replay(
  tx: Prisma.TransactionClient,
  userId: string,
  key: string,
  requestHash: string,
): Promise<OrderSummary[] | null> {
  const row = await tx.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
  if (!row) return null;
  if (row.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different checkout');
  }
  // Keys claimed before this stored the whole result; both shapes hold the reference.
  const { reference } = row.response as { reference: string };
  return loadOrderSummaries(tx, { reference, buyerId: userId });
}

export type { OrderSummary };

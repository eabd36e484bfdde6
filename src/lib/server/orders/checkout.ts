// Checkout: one SQL statement turns a cart into one order per seller.
// Prices come from the database; stock is taken with a conditional update
// (never below zero; the CHECK constraint is the last line of defence); an
// Idempotency-Key makes a retried checkout return the orders it placed.
import { createHash, randomUUID } from 'node:crypto';
import { retriedOnConflict, type Db } from '../db.ts';
import { AppError, isStockMoved } from '../http/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CheckoutInput, CheckoutResult, OrderSummary } from '../../shared/orders.ts';
import { orderConfirmationMessage, whatsappLink } from '../../shared/whatsapp.ts';
import { loadOrderSummaries, toSummary, type SummaryRow } from './queries.ts';
import { isOnSale } from '../catalog/on-sale.ts';

export interface Buyer {
  id: string;
}

export interface ItemProblem {
  productId: string;
  reason: 'NOT_FOUND' | 'UNAVAILABLE' | 'INSUFFICIENT_STOCK';
  message: string;
  available?: number;
}

// A checkout and another writer (a store closing, another multi-line cart) can lock the same
// products in opposite orders; PostgreSQL then fails one of them, which runs again.
const RETRY = { attempts: 3, conflict: 'The products in this cart are busy; try again' } as const;

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
 * `buyer` may be a pending check (the route's session re-read): it runs alongside the product read.
 *
 * Under load every database round trip waits its turn on a busy event loop and CPU, so a
 * checkout is two whatever the cart holds: the products (beside the session check), then one
 * statement that claims the key, takes the stock and writes every order, line and event
 * (writeOrders). A single statement is atomic by itself, so no BEGIN and COMMIT (two round
 * trips more, each waiting behind a busy worker's queue under load). The answer is built from
 * what was written, not read back.
 */
export async function placeOrder(
  db: Db,
  buyer: Buyer | Promise<Buyer>,
  input: CheckoutInput,
  opts: { whatsappNumber: string; idempotencyKey?: string },
): Promise<CheckoutResult> {
  const ids = input.items.map((i) => i.productId);
  // The stock take counts lines by product (checkoutSchema refuses repeats too).
  if (new Set(ids).size !== ids.length)
    throw new AppError('VALIDATION_FAILED', 'Each product may appear once per checkout');
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const key = opts.idempotencyKey;
  const [{ id: buyerId }, products] = await Promise.all([buyer, readProducts(db, ids)]);
  const problems = cartProblems(buyerId, input.items, products);
  let placed: { reference: string; orders: OrderSummary[] };
  if (problems.length > 0) {
    // The retry of a checkout that took the last units gets its orders, not a refusal.
    const previous = key ? await replay(db, buyerId, key, requestHash) : null;
    if (!previous) throw problemsError(problems);
    placed = previous;
  } else {
    const byId = new Map(products.map((p) => [p.id, p]));
    const lines = input.items.map((i) => {
      const p = byId.get(i.productId)!;
      return { productId: p.id, sellerId: p.sellerId, quantity: i.quantity, unitPrice: p.price, title: p.title };
    });
    placed = await retriedOnConflict(async () => {
      const reference = checkoutReference();
      const claim = key ? { key, requestHash } : undefined;
      const written = await writeOrders(db, { reference, buyerId, delivery: input.delivery, lines, claim }).catch(
        async (err: unknown) => {
          if (!isStockMoved(err)) throw err;
          // Stock moved since the read (another checkout, a closed store) and nothing was
          // written: say which line, from the products as they are now.
          const why = cartProblems(buyerId, input.items, await readProducts(db, ids));
          throw problemsError(
            why.length > 0
              ? why
              : input.items.map((i) => ({
                  productId: i.productId,
                  reason: 'INSUFFICIENT_STOCK' as const,
                  message: 'Stock changed; try again',
                })),
          );
        },
      );
      if (!written.claimed) {
        const previous = await replay(db, buyerId, key!, requestHash);
        if (!previous) throw new AppError('CONFLICT', 'This checkout is being placed by another request; try again');
        return previous;
      }
      // The orders as written, without reading them back: the same rows a read would return.
      const sellerOf = new Map(products.map((p) => [p.sellerId, p.seller]));
      const rows: SummaryRow[] = written.orders.map((o) => ({
        id: o.id,
        number: o.number,
        reference,
        status: 'PENDING',
        total: o.subtotal,
        createdAt: written.at,
        deliveryLocation: input.delivery.location,
        deliveryPhone: input.delivery.phone,
        deliveryNote: input.delivery.note || null,
        seller: { id: o.sellerId, name: sellerOf.get(o.sellerId)!.name, profile: sellerOf.get(o.sellerId)!.profile },
        items: lines
          .filter((l) => l.sellerId === o.sellerId)
          .map(({ productId, title, quantity, unitPrice }) => ({ productId, title, quantity, unitPrice })),
      }));
      // One checkout's orders share createdAt: loadOrderSummaries' order is then by number.
      rows.sort((a, b) => (a.number < b.number ? -1 : 1));
      return { reference, orders: rows.map(toSummary) };
    }, RETRY);
  }
  return {
    reference: placed.reference,
    orders: placed.orders,
    whatsappUrl: whatsappLink(opts.whatsappNumber, orderConfirmationMessage(placed.orders)),
  };
}

function readProducts(db: Pick<Db, 'product'>, ids: string[]) {
  return db.product.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      title: true,
      price: true,
      stock: true,
      status: true,
      sellerId: true,
      // The seller's name and store, for the order summaries checkout answers with.
      seller: { select: { status: true, name: true, profile: { select: { storeName: true, handle: true } } } },
    },
  });
}

type CartProduct = Awaited<ReturnType<typeof readProducts>>[number];

function cartProblems(buyerId: string, items: CheckoutInput['items'], products: CartProduct[]): ItemProblem[] {
  const byId = new Map(products.map((p) => [p.id, p]));
  const problems: ItemProblem[] = [];
  for (const item of items) {
    const p = byId.get(item.productId);
    if (!p)
      problems.push({
        productId: item.productId,
        reason: 'NOT_FOUND',
        message: `Product ${item.productId} does not exist`,
      });
    // Off sale since it was carted (archived, hidden, its seller suspended): not buyable either.
    else if (!isOnSale(p))
      problems.push({ productId: p.id, reason: 'UNAVAILABLE', message: `"${p.title}" is no longer for sale` });
    else if (p.sellerId === buyerId)
      problems.push({ productId: p.id, reason: 'UNAVAILABLE', message: `"${p.title}" is your own product` });
    else if (p.stock < item.quantity)
      problems.push({
        productId: p.id,
        reason: 'INSUFFICIENT_STOCK',
        available: p.stock,
        message: p.stock === 0 ? `"${p.title}" is sold out` : `Only ${p.stock} of "${p.title}" left`,
      });
  }
  return problems;
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
 * One statement, one round trip: claims the Idempotency-Key; if claimed, takes each line's stock
 * (only from a product on sale with enough; updatedAt left alone, see products/stock.ts) and
 * writes one order per seller (numbered from order_number_seq as formatOrderNumber does), its
 * lines and its "Order placed" event. `claimed` is false when a twin request holds the key: the
 * statement waited on the key's unique index for it to commit, and wrote nothing. When a line's
 * stock could not be taken, checkout_assert fails the whole statement (isStockMoved), so no
 * order is ever written without all of its lines' stock.
 * Raw SQL because Prisma spends a round trip per table, and one more to number the orders.
 */
async function writeOrders(
  db: Pick<Db, '$queryRaw'>,
  w: OrderWrite,
): Promise<{
  claimed: boolean;
  at: Date;
  orders: { id: string; sellerId: string; number: string; subtotal: number }[];
}> {
  const orders = [...new Set(w.lines.map((l) => l.sellerId))].map((sellerId) => ({
    id: newId(),
    sellerId,
    subtotal: w.lines.filter((l) => l.sellerId === sellerId).reduce((s, l) => s + l.unitPrice * l.quantity, 0),
  }));
  const orderOf = new Map(orders.map((o) => [o.sellerId, o.id]));
  // The app's clock, as for every timestamp Prisma writes; timestamp(3) columns hold UTC (the
  // ISO string's Z is dropped on purpose, whatever the session's TimeZone).
  const now = new Date();
  const at = Prisma.sql`${now.toISOString()}::timestamp(3)`;
  // Lines sorted by product id, so that checkouts tend to lock shared rows in one order
  // (the join decides the actual order; a deadlock is retried, see RETRY).
  const takes = [...w.lines].sort((a, b) => (a.productId < b.productId ? -1 : 1));
  const claim = w.claim
    ? Prisma.sql`INSERT INTO "IdempotencyKey" ("id", "userId", "key", "requestHash", "response", "createdAt")
        VALUES (${newId()}, ${w.buyerId}, ${w.claim.key}, ${w.claim.requestHash},
                ${JSON.stringify({ reference: w.reference })}::jsonb, ${at})
        ON CONFLICT ("userId", "key") DO NOTHING RETURNING 1`
    : Prisma.sql`SELECT 1`;
  const [row] = await db.$queryRaw<{ claimed: boolean; numbers: Record<string, string> | null }[]>`
    WITH claim AS (${claim}),
    taken AS (
      UPDATE "Product" p SET "stock" = p."stock" - t.quantity
      FROM (VALUES ${Prisma.join(takes.map((l) => Prisma.sql`(${l.productId}, ${l.quantity}::int)`))}) AS t(id, quantity)
      WHERE p."id" = t.id AND p."status" = 'ACTIVE' AND p."stock" >= t.quantity AND EXISTS (SELECT 1 FROM claim)
      RETURNING p."id"
    ),
    placed AS (
      INSERT INTO "Order" ("id", "number", "reference", "buyerId", "sellerId", "subtotal", "total",
                           "deliveryLocation", "deliveryPhone", "deliveryNote", "createdAt", "updatedAt")
      SELECT o.id, ${`SOKO-${now.getUTCFullYear()}-`} || lpad(o.n::text, greatest(6, length(o.n::text)), '0'),
             ${w.reference}, ${w.buyerId}, o.seller, o.subtotal, o.subtotal,
             ${w.delivery.location}, ${w.delivery.phone}, ${w.delivery.note || null}, ${at}, ${at}
      -- nextval in the select list: one number per order.
      FROM (
        SELECT v.*, nextval('order_number_seq') AS n
        FROM (VALUES ${Prisma.join(orders.map((o) => Prisma.sql`(${o.id}, ${o.sellerId}, ${o.subtotal}::int)`))}) AS v(id, seller, subtotal)
      ) AS o
      WHERE EXISTS (SELECT 1 FROM claim)
      RETURNING "id", "number"
    ),
    lines AS (
      INSERT INTO "OrderItem" ("id", "orderId", "productId", "sellerId", "quantity", "unitPrice", "title")
      SELECT l.id, l.order_id, l.product_id, l.seller_id, l.quantity, l.unit_price, l.title
      FROM (VALUES ${Prisma.join(
        w.lines.map(
          (l) =>
            Prisma.sql`(${newId()}, ${orderOf.get(l.sellerId)!}, ${l.productId}, ${l.sellerId}, ${l.quantity}::int, ${l.unitPrice}::int, ${l.title})`,
        ),
      )}) AS l(id, order_id, product_id, seller_id, quantity, unit_price, title)
      WHERE EXISTS (SELECT 1 FROM claim)
    ),
    events AS (
      INSERT INTO "OrderEvent" ("id", "orderId", "toStatus", "actorId", "actorRole", "note", "createdAt")
      SELECT e.id, e.order_id, 'PENDING', ${w.buyerId}, 'BUYER', 'Order placed', ${at}
      FROM (VALUES ${Prisma.join(orders.map((o) => Prisma.sql`(${newId()}, ${o.id})`))}) AS e(id, order_id)
      WHERE EXISTS (SELECT 1 FROM claim)
    )
    SELECT EXISTS (SELECT 1 FROM claim) AS claimed,
           (SELECT json_object_agg("id", "number") FROM placed) AS numbers,
           checkout_assert(NOT EXISTS (SELECT 1 FROM claim) OR (SELECT count(*) FROM taken) = ${takes.length}) AS ok`;
  return {
    claimed: row!.claimed,
    at: now,
    orders: orders.map((o) => ({ ...o, number: row!.numbers?.[o.id] ?? '' })),
  };
}

/**
 * The orders placed with this buyer's key (null if none), or 409 if the key came with another
 * cart. They are read as they are now: a replay after the seller confirmed shows CONFIRMED.
 */
async function replay(
  db: Pick<Db, 'idempotencyKey' | 'order'>,
  userId: string,
  key: string,
  requestHash: string,
): Promise<{ reference: string; orders: OrderSummary[] } | null> {
  const row = await db.idempotencyKey.findUnique({ where: { userId_key: { userId, key } } });
  if (!row) return null;
  if (row.requestHash !== requestHash) {
    throw new AppError('CONFLICT', 'This Idempotency-Key was already used for a different checkout');
  }
  // Keys claimed before this stored the whole result; both shapes hold the reference.
  const { reference } = row.response as { reference: string };
  return { reference, orders: await loadOrderSummaries(db, { reference, buyerId: userId }) };
}

export type { OrderSummary };

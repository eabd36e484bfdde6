// Checkout: one SQL statement turns a cart into one order per seller.
// Prices come from the database; stock is taken with a conditional update
// (never below zero; the CHECK constraint is the last line of defence); an
// Idempotency-Key makes a retried checkout return the orders it placed.
import { createHash } from 'node:crypto';
import { retriedOnConflict, type Db } from '../db.ts';
import { AppError, isStockMoved } from '../http/errors.ts';
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CheckoutInput, CheckoutResult, OrderSummary } from '../../shared/orders.ts';
import { orderConfirmationMessage, whatsappLink } from '../../shared/whatsapp.ts';
import { loadOrderSummaries, toSummary, type SummaryRow } from './queries.ts';
import { isOnSale } from '../catalog/on-sale.ts';
import { isSessionCurrent, sessionEnded } from '../authz/guards.ts';

/** The buyer as their session token states them; checkout re-checks the account in its statement. */
export interface Buyer {
  id: string;
  tokenVersion: number;
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
 *
 * Under load every database round trip waits its turn on a busy event loop and CPU, so a
 * checkout is one statement whatever the cart holds (checkoutStatement): it re-reads the buyer's
 * account and the cart's products, and only when both allow it claims the key, takes the stock
 * and writes every order, line and event. A single statement is atomic by itself, so no BEGIN
 * and COMMIT. The answer is built from what it read and wrote, not read back. A second round
 * trip is only for a retried key (its orders are read back) or stock that moved under it.
 */
export async function placeOrder(
  db: Db,
  buyer: Buyer,
  input: CheckoutInput,
  opts: { whatsappNumber: string; idempotencyKey?: string },
): Promise<CheckoutResult> {
  const ids = input.items.map((i) => i.productId);
  // The stock take counts lines by product (checkoutSchema refuses repeats too).
  if (new Set(ids).size !== ids.length)
    throw new AppError('VALIDATION_FAILED', 'Each product may appear once per checkout');
  const requestHash = createHash('sha256').update(JSON.stringify(input)).digest('hex');
  const key = opts.idempotencyKey;
  const placed = await retriedOnConflict(async () => {
    const reference = checkoutReference();
    const claim = key ? { key, requestHash } : undefined;
    const now = new Date();
    const result = await checkoutStatement(db, {
      reference,
      buyer,
      now,
      delivery: input.delivery,
      items: input.items,
      claim,
    }).catch(async (err: unknown) => {
      if (!isStockMoved(err)) throw err;
      // Stock moved between the statement's read and its update (another checkout, a closed
      // store) and nothing was written: say which line, from the products as they are now.
      const why = cartProblems(buyer.id, input.items, await readProducts(db, ids));
      throw problemsError(
        why.length > 0
          ? why
          : input.items.map((i) => ({
              productId: i.productId,
              reason: 'INSUFFICIENT_STOCK' as const,
              message: 'Stock changed; try again',
            })),
      );
    });
    // A suspended or signed-out-everywhere buyer: the statement wrote nothing (the same rule in its SQL).
    if (!result.account || !isSessionCurrent(buyer, result.account)) throw sessionEnded();
    if (!result.claimed) {
      // Nothing written: the cart has problems, or the key was used before (the retry of a
      // checkout that took the last units gets its orders, not a refusal), or a twin request
      // claimed it after this statement's snapshot (then the cart is fine and keyUsed false).
      const problems = cartProblems(buyer.id, input.items, result.products);
      if (key && (result.keyUsed || problems.length === 0)) {
        const previous = await replay(db, buyer.id, key, requestHash);
        if (previous) return previous;
      }
      if (problems.length > 0) throw problemsError(problems);
      throw new AppError('CONFLICT', 'This checkout is being placed by another request; try again');
    }
    return { reference, orders: summariesOf(result, { reference, now, items: input.items, delivery: input.delivery }) };
  }, RETRY);
  return {
    reference: placed.reference,
    orders: placed.orders,
    whatsappUrl: whatsappLink(opts.whatsappNumber, orderConfirmationMessage(placed.orders)),
  };
}

/** A cart's product as checkout judges it (cartProblems) and writes it into an order. */
interface CartProduct {
  id: string;
  title: string;
  price: number;
  stock: number;
  status: string;
  sellerId: string;
  seller: { status: string; name: string; profile: { storeName: string | null; handle: string | null } | null };
}

/** The cart's products as they are now: only after the statement found its stock moved. */
function readProducts(db: Pick<Db, 'product'>, ids: string[]): Promise<CartProduct[]> {
  return db.product.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      title: true,
      price: true,
      stock: true,
      status: true,
      sellerId: true,
      seller: { select: { status: true, name: true, profile: { select: { storeName: true, handle: true } } } },
    },
  });
}

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

interface CheckoutWrite {
  reference: string;
  buyer: Buyer;
  now: Date;
  delivery: CheckoutInput['delivery'];
  items: CheckoutInput['items'];
  claim?: { key: string; requestHash: string };
}

interface CheckoutRead {
  /** The buyer's account as the statement read it (null: gone). */
  account: { status: string; tokenVersion: number } | null;
  /** The cart's products as the statement read them (unknown ids are missing). */
  products: CartProduct[];
  /** True when the statement wrote the orders (and claimed the key). */
  claimed: boolean;
  /** The buyer had already used the key when the statement started. */
  keyUsed: boolean;
  orders: { id: string; sellerId: string; number: string; subtotal: number }[];
}

/**
 * The checkout in one statement, one round trip. It reads the buyer's account and the cart's
 * products; only when the session is current (isSessionCurrent, stated again in SQL) and every
 * line can be bought (cartProblems' rules: on sale, not the buyer's own, enough stock) does it
 * claim the Idempotency-Key, take each line's stock (only from a product on sale with enough;
 * updatedAt left alone, see products/stock.ts) and write one order per seller at the prices it
 * read (numbered from order_number_seq as formatOrderNumber does), its lines and its "Order
 * placed" event. `claimed` is false when it wrote nothing: the cart or session did not allow
 * it, or a twin request holds the key (the statement waited on the key's unique index for it to
 * commit). When a line's stock was taken by another checkout after the read, checkout_assert
 * fails the whole statement (isStockMoved), so no order is ever written without all of its
 * lines' stock.
 * Raw SQL because Prisma spends a round trip per table, and one more to number the orders.
 */
async function checkoutStatement(db: Pick<Db, '$queryRaw'>, w: CheckoutWrite): Promise<CheckoutRead> {
  // The app's clock, as for every timestamp Prisma writes; timestamp(3) columns hold UTC (the
  // ISO string's Z is dropped on purpose, whatever the session's TimeZone).
  const at = Prisma.sql`${w.now.toISOString()}::timestamp(3)`;
  // Lines sorted by product id, so that checkouts tend to lock shared rows in one order
  // (the join decides the actual order; a deadlock is retried, see RETRY).
  // Each line keeps its place in the cart (pos): orders are numbered in the order their sellers
  // first appear there, as the shopper listed them.
  const cart = w.items.map((l, pos) => ({ ...l, pos })).sort((a, b) => (a.productId < b.productId ? -1 : 1));
  const newId = Prisma.sql`replace(gen_random_uuid()::text, '-', '')`;
  const go = Prisma.sql`(SELECT ok FROM go)`;
  const claim = w.claim
    ? Prisma.sql`INSERT INTO "IdempotencyKey" ("id", "userId", "key", "requestHash", "response", "createdAt")
        SELECT ${newId}, ${w.buyer.id}, ${w.claim.key}, ${w.claim.requestHash},
               ${JSON.stringify({ reference: w.reference })}::jsonb, ${at}
        WHERE ${go}
        ON CONFLICT ("userId", "key") DO NOTHING RETURNING 1`
    : Prisma.sql`SELECT 1 WHERE ${go}`;
  const keyUsed = w.claim
    ? Prisma.sql`EXISTS (SELECT 1 FROM "IdempotencyKey" WHERE "userId" = ${w.buyer.id} AND "key" = ${w.claim.key})`
    : Prisma.sql`false`;
  const claimed = Prisma.sql`EXISTS (SELECT 1 FROM claim)`;
  const [row] = await db.$queryRaw<CheckoutRead[]>`
    WITH cart(id, quantity, pos) AS (
      VALUES ${Prisma.join(cart.map((l) => Prisma.sql`(${l.productId}, ${l.quantity}::int, ${l.pos}::int)`))}
    ),
    account AS (SELECT "status", "tokenVersion" FROM "User" WHERE "id" = ${w.buyer.id}),
    items AS (
      SELECT p."id", p."title", p."price", p."stock", p."status", p."sellerId", c.quantity, c.pos,
             s."status" AS "sellerStatus", s."name" AS "sellerName",
             pr."userId" IS NOT NULL AS "hasProfile", pr."storeName", pr."handle"
      FROM cart c
      JOIN "Product" p ON p."id" = c.id
      JOIN "User" s ON s."id" = p."sellerId"
      LEFT JOIN "Profile" pr ON pr."userId" = p."sellerId"
    ),
    go AS (
      SELECT EXISTS (SELECT 1 FROM account WHERE "status" = 'ACTIVE' AND "tokenVersion" = ${w.buyer.tokenVersion})
         AND (SELECT count(*) FROM items
               WHERE "status" = 'ACTIVE' AND "sellerStatus" = 'ACTIVE' AND "sellerId" <> ${w.buyer.id}
                 AND "stock" >= quantity) = ${cart.length} AS ok
    ),
    claim AS (${claim}),
    taken AS (
      UPDATE "Product" p SET "stock" = p."stock" - c.quantity
      FROM cart c
      WHERE p."id" = c.id AND p."status" = 'ACTIVE' AND p."stock" >= c.quantity AND ${claimed}
      RETURNING p."id"
    ),
    orders AS MATERIALIZED (
      -- nextval in the select list of rows that passed the WHERE: one number per order written,
      -- taken in the order of the sorted subquery (cart order of each seller's first line).
      SELECT ${newId} AS id, g."sellerId", g.subtotal, nextval('order_number_seq') AS n
      FROM (
        SELECT "sellerId", sum("price" * quantity)::int AS subtotal, min(pos) AS first
        FROM items GROUP BY "sellerId" ORDER BY first
      ) AS g
      WHERE ${claimed}
    ),
    placed AS (
      INSERT INTO "Order" ("id", "number", "reference", "buyerId", "sellerId", "subtotal", "total",
                           "deliveryLocation", "deliveryPhone", "deliveryNote", "createdAt", "updatedAt")
      SELECT o.id, ${`SOKO-${w.now.getUTCFullYear()}-`} || lpad(o.n::text, greatest(6, length(o.n::text)), '0'),
             ${w.reference}, ${w.buyer.id}, o."sellerId", o.subtotal, o.subtotal,
             ${w.delivery.location}, ${w.delivery.phone}, ${w.delivery.note || null}, ${at}, ${at}
      FROM orders o
      RETURNING "id", "number", "sellerId", "subtotal"
    ),
    lines AS (
      INSERT INTO "OrderItem" ("id", "orderId", "productId", "sellerId", "quantity", "unitPrice", "title")
      SELECT ${newId}, o.id, i."id", i."sellerId", i.quantity, i."price", i."title"
      FROM items i JOIN orders o ON o."sellerId" = i."sellerId"
    ),
    events AS (
      INSERT INTO "OrderEvent" ("id", "orderId", "toStatus", "actorId", "actorRole", "note", "createdAt")
      SELECT ${newId}, o.id, 'PENDING', ${w.buyer.id}, 'BUYER', 'Order placed', ${at}
      FROM orders o
    )
    SELECT (SELECT row_to_json(a) FROM account a) AS account,
           COALESCE((SELECT json_agg(json_build_object(
             'id', i."id", 'title', i."title", 'price', i."price", 'stock', i."stock", 'status', i."status",
             'sellerId', i."sellerId",
             'seller', json_build_object('status', i."sellerStatus", 'name', i."sellerName",
               'profile', CASE WHEN NOT i."hasProfile" THEN NULL
                          ELSE json_build_object('storeName', i."storeName", 'handle', i."handle") END)))
             FROM items i), '[]') AS products,
           ${claimed} AS claimed,
           ${keyUsed} AS "keyUsed",
           COALESCE((SELECT json_agg(placed) FROM placed), '[]') AS orders,
           checkout_assert(NOT ${claimed} OR (SELECT count(*) FROM taken) = ${cart.length}) AS ok`;
  return row!;
}

/** The orders as written, without reading them back: the same rows a read would return. */
function summariesOf(
  written: CheckoutRead,
  w: { reference: string; now: Date; items: CheckoutInput['items']; delivery: CheckoutInput['delivery'] },
): OrderSummary[] {
  const byId = new Map(written.products.map((p) => [p.id, p]));
  const lines = w.items.map((i) => ({ ...i, product: byId.get(i.productId)! }));
  const rows: SummaryRow[] = written.orders.map((o) => {
    const seller = lines.find((l) => l.product.sellerId === o.sellerId)!.product.seller;
    return {
      id: o.id,
      number: o.number,
      reference: w.reference,
      status: 'PENDING',
      total: o.subtotal,
      createdAt: w.now,
      deliveryLocation: w.delivery.location,
      deliveryPhone: w.delivery.phone,
      deliveryNote: w.delivery.note || null,
      seller: { id: o.sellerId, name: seller.name, profile: seller.profile },
      items: lines
        .filter((l) => l.product.sellerId === o.sellerId)
        .map(({ product, quantity }) => ({
          productId: product.id,
          title: product.title,
          quantity,
          unitPrice: product.price,
        })),
    };
  });
  // One checkout's orders share createdAt: loadOrderSummaries' order is then by number.
  rows.sort((a, b) => (a.number < b.number ? -1 : 1));
  return rows.map(toSummary);
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

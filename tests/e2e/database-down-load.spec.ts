// The database goes away in the middle of a burst of checkouts and catalog
// reads, then comes back. A server with two workers reaches the shared
// PostgreSQL through a TCP proxy (support/db-proxy.ts) that the test cuts
// while requests and transactions are in flight; the rows are then checked
// directly, and every checkout is retried with its Idempotency-Key.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
import { ACCOUNTS, signIn } from './support/auth.ts';
import { sql } from './support/db.ts';
import { DbProxy } from './support/db-proxy.ts';
import { spawnServer } from './support/spawn-server.ts';

const PORT = E2E_PORT + 1300;
const STOCK = 1000;
const CHECKOUTS = 160;
/** The database is cut once this many checkouts have started and ACKNOWLEDGED have been answered 201. */
const CUT_AFTER = 60;
const ACKNOWLEDGED = 10;
/** The server's PostgreSQL connections carry this application_name. */
const APP_NAME = 'soko-dbcut-test';

interface Cart {
  key: string;
  items: { productId: string; quantity: number }[];
}
interface Answer {
  status: number;
  retryAfter: string | null;
  body: { orders?: { number: string }[]; error?: { code: string } } | null;
}

/** A small deterministic generator, so a failing burst can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

test('database cut during a burst of checkouts: pages stay up, API says 503, nothing half-written, retries place each order once', async ({
  request,
}) => {
  test.setTimeout(180_000);
  // Four products of two sellers with plenty of stock: a cart of two sellers is two orders in one transaction.
  const sellers = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = ANY($1) ORDER BY email`, [
    [ACCOUNTS.seller, ACCOUNTS.otherSeller],
  ]);
  const [category] = await sql<{ id: string }>(`SELECT id FROM "Category" LIMIT 1`);
  const stamp = Date.now().toString(36);
  const productIds = [0, 1, 2, 3].map((i) => `dbcut${stamp}p${i}`);
  for (const [i, id] of productIds.entries()) {
    await sql(
      `INSERT INTO "Product" (id, "sellerId", "categoryId", slug, title, description, price, stock, status, "updatedAt")
       VALUES ($1, $2, $3, $1, $4, 'A product for the database-cut test', $5, $6, 'ACTIVE', now())`,
      [id, sellers[i % 2]!.id, category!.id, `Cut test ${i}`, 150_000 + i * 1000, STOCK],
    );
  }
  const { token } = await signIn(request, ACCOUNTS.buyer);
  const auth = { authorization: `Bearer ${token}` };

  // Pre-rendered pages the server serves from files: the home page, a category, the search
  // shell, and product pages not edited since the build (edited ones are rendered live).
  const builtAt = JSON.parse(readFileSync(resolve(`.data/e2e-${E2E_PORT}/dist/client/build-info.json`), 'utf8')) as {
    builtAt: string;
  };
  const staticProducts = await sql<{ slug: string }>(
    `SELECT p.slug FROM "Product" p JOIN "User" u ON u.id = p."sellerId"
     WHERE p.status = 'ACTIVE' AND u.status = 'ACTIVE' AND p."updatedAt" < $1
       AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."productId" = p.id AND r."updatedAt" >= $1)
     ORDER BY p.slug LIMIT 2`,
    [builtAt.builtAt],
  );
  expect(staticProducts).toHaveLength(2);
  const pages = ['/', '/c/jewellery', '/search', '/robots.txt', ...staticProducts.map((p) => `/p/${p.slug}`)];

  const next = random(9);
  const carts: Cart[] = Array.from({ length: CHECKOUTS }, () => {
    const lines = productIds.filter(() => next() < 0.4);
    const chosen = lines.length > 0 ? lines : [productIds[Math.floor(next() * productIds.length)]!];
    return {
      key: randomUUID(),
      items: chosen.map((productId) => ({ productId, quantity: 1 + Math.floor(next() * 3) })),
    };
  });
  const delivery = { location: 'Westlands', phone: '0712345678' };

  const proxy = new DbProxy(E2E_PORT + 2300);
  await proxy.open();
  const server = await spawnServer({
    port: PORT,
    // Named, so that the checks below can wait for this server's backends to be gone.
    databaseUrl: `${proxy.url(`soko_e2e_${E2E_PORT}`)}?application_name=${APP_NAME}`,
    env: { WEB_CONCURRENCY: '2' },
  });
  const call = (path: string, init: RequestInit = {}): Promise<Answer> =>
    fetch(`${server.base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) }).then(
      async (res) => ({
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        body: (await res.json().catch(() => null)) as Answer['body'],
      }),
      () => ({ status: 0, retryAfter: null, body: null }),
    );
  const checkout = (cart: Cart) =>
    call('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': cart.key, ...auth },
      body: JSON.stringify({ items: cart.items, delivery }),
    });
  const apiReads: [string, RequestInit?][] = [
    ['/api/products?q=gold'],
    ['/api/products?sort=price_asc&limit=12'],
    [`/api/products/${productIds[0]}`],
    [`/api/products/${productIds[1]}/reviews`],
    ['/api/orders?limit=5', { headers: auth }],
    ['/api/watchlist', { headers: auth }],
    [
      '/api/cart/quote',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ productIds }) },
    ],
  ];
  const pageStatus = (path: string) =>
    fetch(`${server.base}${path}`, { signal: AbortSignal.timeout(30_000) }).then(
      async (res) => (await res.arrayBuffer(), { path, status: res.status }),
      () => ({ path, status: 0 }),
    );

  try {
    // The server's connections are named (so the wait after the cut below is not vacuous).
    expect(await serverBackends()).toBeGreaterThan(0);
    // Warm: every read answers before the cut.
    for (const [path, init] of apiReads) expect((await call(path, init)).status, path).toBe(200);

    const checkouts: Promise<Answer>[] = [];
    const reads: Promise<Answer & { path: string; cut: boolean }>[] = [];
    const pageLoads: Promise<{ path: string; status: number }>[] = [];
    let cut = false;
    let acknowledged = 0;
    const cutNow = async () => {
      await proxy.close();
      cut = true;
    };
    for (const [i, cart] of carts.entries()) {
      checkouts.push(
        checkout(cart).then((a) => {
          if (a.status === 201) acknowledged++;
          return a;
        }),
      );
      if (i % 2 === 0) continue; // two checkouts per read and page load
      const [path, init] = apiReads[i % apiReads.length]!;
      const wasCut = cut;
      reads.push(call(path, init).then((a) => ({ ...a, path, cut: wasCut })));
      pageLoads.push(pageStatus(pages[i % pages.length]!));
      if (i >= CUT_AFTER && acknowledged >= ACKNOWLEDGED && !cut) await cutNow();
      await new Promise((r) => setTimeout(r, 8));
    }
    // A slow machine may not have placed enough yet: cut as soon as it has, the rest still in flight.
    if (!cut) {
      await expect.poll(() => acknowledged, { timeout: 60_000, intervals: [5] }).toBeGreaterThanOrEqual(ACKNOWLEDGED);
      await cutNow();
    }
    // And every read once more with the database away.
    for (const [path, init] of apiReads) reads.push(call(path, init).then((a) => ({ ...a, path, cut: true })));
    const answers = await Promise.all(checkouts);
    const readAnswers = await Promise.all(reads);
    // Pages keep answering while the database is still away.
    pageLoads.push(...pages.map(pageStatus));
    const pageAnswers = await Promise.all(pageLoads);
    const log = () => server.output().slice(-3000);

    // Pre-rendered pages never needed the database.
    expect(
      pageAnswers.filter((p) => p.status !== 200),
      log(),
    ).toEqual([]);
    // Every API answer is a success or a 503 that says when to retry; no other 5xx, no dropped connection.
    const statuses = (list: Answer[]) => [...new Set(list.map((a) => a.status))].sort();
    for (const a of [...answers, ...readAnswers]) {
      expect([200, 201, 503], `${JSON.stringify(a)}\n${log()}`).toContain(a.status);
      if (a.status === 503) {
        expect(a.retryAfter).toMatch(/^\d+$/);
        expect(a.body?.error?.code).toBe('SERVICE_UNAVAILABLE');
      }
    }
    for (const a of answers) expect([201, 503]).toContain(a.status);
    // The cut really landed mid-burst: checkouts went through before it and were refused after it.
    expect(statuses(answers)).toEqual([201, 503]);
    expect(readAnswers.filter((a) => a.cut).some((a) => a.status === 503)).toBe(true);

    // Nothing half-written (checked directly, not through the proxy). A checkout statement that
    // reached PostgreSQL before the cut runs on in its backend and may commit after its client got
    // the 503: wait until every backend of the server is gone (a backend exits once its statement
    // has committed or aborted and it finds its socket closed), or the keys read below could miss
    // a commit that the stock read after them sees.
    await expect.poll(serverBackends, { timeout: 30_000, intervals: [50] }).toBe(0);
    const keys = carts.map((c) => c.key);
    await expectConsistent(keys, productIds);
    const claimed = new Set(
      (await sql<{ key: string }>(`SELECT key FROM "IdempotencyKey" WHERE key = ANY($1)`, [keys])).map((r) => r.key),
    );
    // Every acknowledged checkout is in the database (an unacknowledged one may be: its COMMIT's answer was lost).
    for (const [i, a] of answers.entries()) if (a.status === 201) expect(claimed.has(carts[i]!.key)).toBe(true);
    await expectStock(
      productIds,
      carts.filter((c) => claimed.has(c.key)),
    );
    console.log(
      `[database-down-load] ${acknowledged} checkouts acknowledged, ${answers.length - acknowledged} refused with 503 ` +
        `(${claimed.size - acknowledged} of those committed, their answer lost with the connection); ` +
        `${readAnswers.filter((a) => a.status === 503).length} of ${readAnswers.length} reads 503`,
    );

    // The database returns: the same server process serves again, no restart.
    await proxy.open();
    await expect.poll(async () => (await call('/api/health')).status, { timeout: 30_000, intervals: [250] }).toBe(200);
    expect(server.process.exitCode).toBeNull();
    for (const [path, init] of apiReads) expect((await call(path, init)).status, path).toBe(200);

    // The shopper retries every checkout with its key: replays for the committed ones, a first
    // commit for the refused ones; exactly one order per seller per key in the end.
    const retried: Answer[] = [];
    for (let i = 0; i < carts.length; i += 10)
      retried.push(...(await Promise.all(carts.slice(i, i + 10).map(checkout))));
    expect(
      retried.filter((a) => a.status !== 201).map((a) => JSON.stringify(a)),
      log(),
    ).toEqual([]);
    for (const [i, a] of answers.entries()) {
      if (a.status === 201)
        expect(retried[i]!.body!.orders!.map((o) => o.number)).toEqual(a.body!.orders!.map((o) => o.number));
    }
    await expectConsistent(keys, productIds);
    const perKey = await sql<{ key: string; orders: number; items: number }>(
      `SELECT k.key, count(DISTINCT o.id)::int AS orders, count(i.id)::int AS items
       FROM "IdempotencyKey" k
       JOIN "Order" o ON o.reference = k.response->>'reference' AND o."buyerId" = k."userId"
       JOIN "OrderItem" i ON i."orderId" = o.id
       WHERE k.key = ANY($1) GROUP BY k.key`,
      [keys],
    );
    const byKey = new Map(perKey.map((r) => [r.key, r]));
    const sellerOf = (productId: string) => productIds.indexOf(productId) % 2;
    for (const cart of carts) {
      const row = byKey.get(cart.key);
      expect(row, cart.key).toBeDefined();
      expect(row!.orders).toBe(new Set(cart.items.map((i) => sellerOf(i.productId))).size);
      expect(row!.items).toBe(cart.items.length);
    }
    await expectStock(productIds, carts);
  } finally {
    server.process.kill('SIGTERM');
    await server.exited;
    await proxy.close();
  }
});

/** How many PostgreSQL backends the server under test holds. */
async function serverBackends(): Promise<number> {
  const [row] = await sql<{ backends: number }>(
    `SELECT count(*)::int AS backends FROM pg_stat_activity WHERE application_name = $1`,
    [APP_NAME],
  );
  return row!.backends;
}

/**
 * No order without its lines, no claimed key without its orders, no order of these products
 * that no key claimed, and no product below zero.
 */
async function expectConsistent(keys: string[], productIds: string[]) {
  const [counts] = await sql<{ bare: number; unplaced: number; unclaimed: number; negative: number }>(
    `SELECT
       (SELECT count(*)::int FROM "Order" o WHERE NOT EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o.id)) AS bare,
       (SELECT count(*)::int FROM "IdempotencyKey" k WHERE k.key = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM "Order" o WHERE o.reference = k.response->>'reference')) AS unplaced,
       (SELECT count(*)::int FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o.id
          WHERE i."productId" = ANY($2) AND NOT EXISTS (
            SELECT 1 FROM "IdempotencyKey" k WHERE k.key = ANY($1) AND k.response->>'reference' = o.reference)) AS unclaimed,
       (SELECT count(*)::int FROM "Product" WHERE stock < 0) AS negative`,
    [keys, productIds],
  );
  expect(counts).toEqual({ bare: 0, unplaced: 0, unclaimed: 0, negative: 0 });
}

/** Each product's stock is its starting stock less the units of the committed carts, and matches its order lines. */
async function expectStock(productIds: string[], committed: Cart[]) {
  const rows = await sql<{ id: string; stock: number; sold: number }>(
    `SELECT p.id, p.stock, COALESCE((SELECT sum(i.quantity) FROM "OrderItem" i WHERE i."productId" = p.id), 0)::int AS sold
     FROM "Product" p WHERE p.id = ANY($1) ORDER BY p.id`,
    [productIds],
  );
  for (const row of rows) {
    const units = committed.flatMap((c) => c.items).filter((i) => i.productId === row.id);
    const expected = units.reduce((s, i) => s + i.quantity, 0);
    expect({ id: row.id, stock: row.stock, sold: row.sold }).toEqual({
      id: row.id,
      stock: STOCK - expected,
      sold: expected,
    });
  }
}

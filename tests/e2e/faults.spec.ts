// Faults the server must survive: a flood of bad requests, and SIGTERM in the
// middle of a burst of checkouts.
import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
import { ACCOUNTS, signIn } from './support/auth.ts';
import { rssMb, spawnServer } from './support/spawn-server.ts';
import { sql } from './support/db.ts';

test.describe.configure({ mode: 'serial' });
test('a flood of bad requests gets 4xx, never 5xx, and memory stays bounded', async () => {
  test.setTimeout(120_000);
  const server = await spawnServer({ port: E2E_PORT + 1100, env: { WEB_CONCURRENCY: '1' } });
  try {
    const pid = server.process.pid!;
    const huge = 'x'.repeat(2 * 1024 * 1024);
    const bad: [string, RequestInit][] = [
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' }],
      ['/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge }],
      ['/api/auth/register', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }],
      [
        '/api/auth/register',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":1,"extra":true}' },
      ],
      ['/api/products?limit=100000', { method: 'GET' }],
      ['/api/products?sort=sideways&minPrice=-3', { method: 'GET' }],
      ['/api/products?cursor=%00%ff', { method: 'GET' }],
      ['/api/products/..%2F..%2Fetc%2Fpasswd', { method: 'GET' }],
      ['/api/images/zzz?w=99999', { method: 'GET' }],
      ['/api/images/abc12345678?w=640&w=320', { method: 'GET' }],
      ['/api/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"items":"all"}' }],
      [
        '/api/orders',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
          body: '{}',
        },
      ],
      ['/api/health', { method: 'DELETE' }],
    ];
    const send = async ([path, init]: [string, RequestInit]) => {
      const res = await fetch(`${server.base}${path}`, init).catch(() => null);
      if (res) await res.arrayBuffer().catch(() => {});
      return res?.status ?? 0;
    };
    // Warm up, then measure memory over a sustained flood.
    await Promise.all(bad.map(send));
    const before = rssMb(pid);
    const statuses = new Map<number, number>();
    for (let round = 0; round < 40; round++) {
      const batch = await Promise.all(
        Array.from({ length: 4 }, () => bad)
          .flat()
          .map(send),
      );
      for (const s of batch) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    const after = rssMb(pid);
    const fivexx = [...statuses].filter(([s]) => s >= 500 || s === 0);
    expect(fivexx, `statuses: ${JSON.stringify([...statuses])}\n${server.output().slice(-2000)}`).toEqual([]);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
    // 2,000+ requests, 80 of them 2 MB bodies: the process must not keep them.
    expect(after - before).toBeLessThan(150);
  } finally {
    server.process.kill('SIGTERM');
    await server.exited;
  }
});

test('SIGTERM during a burst of checkouts: every order is committed or refused, none lost or doubled', async ({
  request,
}) => {
  test.setTimeout(180_000);
  // A product with plenty of stock, so every checkout could succeed.
  const [seller] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [ACCOUNTS.otherSeller]);
  const [category] = await sql<{ id: string }>(`SELECT id FROM "Category" LIMIT 1`);
  const productId = `sigterm${Date.now().toString(36)}`;
  await sql(
    `INSERT INTO "Product" (id, "sellerId", "categoryId", slug, title, description, price, stock, status, "updatedAt")
     VALUES ($1, $2, $3, $1, 'Drain test', 'A product for the SIGTERM test', 100000, 1000, 'ACTIVE', now())`,
    [productId, seller!.id, category!.id],
  );
  const { token } = await signIn(request, ACCOUNTS.buyer);
  const port = E2E_PORT + 1200;
  const server = await spawnServer({ port, env: { WEB_CONCURRENCY: '2' } });
  const keys = Array.from({ length: 120 }, () => randomUUID());
  const checkout = (base: string, key: string) =>
    fetch(`${base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': key },
      body: JSON.stringify({
        items: [{ productId, quantity: 1 }],
        delivery: { location: 'Westlands', phone: '0712345678' },
      }),
    }).then(
      async (res) => ({
        key,
        status: res.status,
        body: (await res.json().catch(() => null)) as { orders?: { number: string }[] } | null,
      }),
      () => ({ key, status: 0, body: null }),
    );
  // Fire the burst; SIGTERM lands while requests are in flight.
  const results: Promise<{ key: string; status: number; body: { orders?: { number: string }[] } | null }>[] = [];
  for (const [i, key] of keys.entries()) {
    results.push(checkout(server.base, key));
    if (i === 40) server.process.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 5));
  }
  const done = await Promise.all(results);
  expect(await server.exited).toBe(0);

  const committed = done.filter((r) => r.status === 201);
  const unknown = done.filter((r) => r.status !== 201);
  // In-flight checkouts finished before the workers exited; later ones were refused at the door.
  expect(committed.length).toBeGreaterThan(0);
  for (const r of unknown) expect([0, 503]).toContain(r.status);
  const orderNumbers = committed.map((r) => r.body!.orders![0]!.number);
  const inDb = await sql<{ number: string }>(
    `SELECT o.number FROM "Order" o JOIN "OrderItem" i ON i."orderId" = o.id WHERE i."productId" = $1`,
    [productId],
  );
  // Nothing acknowledged was lost, nothing unacknowledged was written.
  expect(new Set(inDb.map((o) => o.number))).toEqual(new Set(orderNumbers));
  const [{ stock } = { stock: -1 }] = await sql<{ stock: number }>(`SELECT stock FROM "Product" WHERE id = $1`, [
    productId,
  ]);
  expect(stock).toBe(1000 - committed.length);

  // The shopper retries the refused ones with the same keys: each creates exactly one order.
  const again = await spawnServer({ port, env: { WEB_CONCURRENCY: '1' } });
  try {
    const retried = await Promise.all([...committed.slice(0, 5), ...unknown].map((r) => checkout(again.base, r.key)));
    for (const r of retried) expect(r.status).toBe(201);
    // Replays of committed keys return the same order.
    for (const [i, r] of committed.slice(0, 5).entries())
      expect(retried[i]!.body!.orders![0]!.number).toBe(orderNumbers[i]);
    const [{ n } = { n: -1 }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "OrderItem" WHERE "productId" = $1`,
      [productId],
    );
    expect(n).toBe(keys.length);
  } finally {
    again.process.kill('SIGTERM');
    await again.exited;
  }
});

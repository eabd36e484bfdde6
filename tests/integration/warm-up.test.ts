// A worker warms up through its own request handler on a private port before it listens for
// real: every pool connection open, one request per kind of route, then the port closed again.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db.ts';
import { productDetailCache } from '../../src/lib/server/catalog/api-cache.ts';
import { warmUp } from '../../src/lib/server/http/warm-up.ts';
import type { ProductCard } from '../../src/lib/shared/types.ts';
import { createDatabase, dropDatabase } from '../helpers/postgres.ts';

const product = {
  id: 'prod1',
  slug: 'gold-ring',
  category: { slug: 'jewellery', name: 'Jewellery' },
  seller: { id: 'u1', name: 'Amani', handle: 'amani-gold', location: null },
  image: { id: 'img1', contentHash: 'abcdef0123456789', width: 1200, height: 900 },
} as unknown as ProductCard;

it('opens the whole pool, requests each kind of route once, empties the catalog caches, and leaves the server ready to listen', async () => {
  const name = `soko_warm_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(name);
  const { db, close } = createDb({ url, poolSize: 4 });
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url!);
    if (req.url === '/api/products?limit=24&sort=newest') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: [product] }));
    } else if (req.url === '/api/health') {
      res.writeHead(503).end();
    } else if (req.url === '/account/orders') {
      // Never answers: the warm-up gives up at its time limit instead of keeping the worker waiting.
    } else {
      res.writeHead(req.url!.startsWith('/api/orders') ? 401 : 200).end('ok');
    }
  });
  // An answer cached before the warm-up (as the warm-up's own reads would be) is gone after it.
  await productDetailCache.json(new Request('http://soko.test/api/products/p0'), 'p0', async () => ({}), 'public');
  expect(productDetailCache.peek('p0')).toBeDefined();
  try {
    const started = Date.now();
    const report = await warmUp(server, db, { poolSize: 4, timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(productDetailCache.peek('p0')).toBeUndefined();
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database()`;
    expect(row!.n).toBe(4);
    expect(seen).toEqual(
      expect.arrayContaining([
        '/',
        '/search?q=gold',
        '/api/orders',
        '/p/gold-ring',
        '/api/products/prod1',
        '/c/jewellery',
        '/s/amani-gold',
        '/api/images/img1?w=480&v=abcdef012345&f=webp',
      ]),
    );
    // A 5xx (the database down, say) or no answer is counted, never thrown: the worker starts anyway.
    expect(report).toMatchObject({ requests: seen.length, failed: 2 });
    expect(server.listening).toBe(false);
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    expect(server.listening).toBe(true);
  } finally {
    server.close();
    await close();
    await dropDatabase(name);
  }
}, 30_000);

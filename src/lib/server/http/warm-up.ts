// Before a worker takes traffic it answers a few requests to itself, on a private port: Astro's
// lazily imported route modules, the database pool's connections, Prisma's query plans and the
// first page files are then ready, instead of being paid for by the first shoppers. (Started
// under full load without this, the first seconds queued requests for up to 4 s.)
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../db.ts';
import { MAX_PAGE_SIZE } from '../../shared/catalog-url.ts';
import { imageUrl } from '../../shared/images.ts';
import type { ProductCard } from '../../shared/types.ts';

export interface WarmUpReport {
  ms: number;
  requests: number;
  /** Requests that answered 5xx or failed (e.g. the database is down): the worker starts anyway. */
  failed: number;
}

/** Runs the warm-up through `server` on a private port and closes it again, ready to listen for real. */
export async function warmUp(
  server: http.Server,
  db: Db,
  opts: { poolSize: number; timeoutMs?: number },
): Promise<WarmUpReport> {
  const started = performance.now();
  // Every connection of the pool at once: under load a pool opens them one by one, as it runs short.
  await Promise.all(Array.from({ length: opts.poolSize }, () => db.$queryRaw`SELECT 1`)).catch(() => {});

  await new Promise<void>((ok, fail) =>
    // exclusive: in a cluster worker, a port of this worker's own rather than one shared through the primary.
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, ok).once('error', fail),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  let requests = 0;
  let failed = 0;
  const get = async (path: string): Promise<string | null> => {
    requests++;
    try {
      const res = await fetch(base + path, { signal, redirect: 'manual', headers: { accept: '*/*' } });
      const body = await res.text();
      if (res.status < 500) return res.ok ? body : null;
    } catch {
      // Counted below: a worker whose database is down still starts and serves the static pages.
    }
    failed++;
    return null;
  };
  try {
    const list = await get(`/api/products?limit=${MAX_PAGE_SIZE}&sort=newest`);
    const products = list ? itemsOf(list) : [];
    const p = products[0];
    // One of each kind of route: static pages, on-demand pages, the catalog API, images, and the
    // signed-in routes (answered 401 or a redirect, which still loads their modules).
    const paths = [
      '/',
      '/api/health',
      '/search?q=gold',
      '/api/products?q=gold&inStock=true&limit=24',
      '/api/auth/me',
      '/api/orders',
      '/api/watchlist',
      '/sell',
      '/account/orders',
      ...(p
        ? [
            `/c/${p.category.slug}`,
            `/api/products?category=${p.category.slug}&sort=price_asc&limit=24`,
            ...(p.seller.handle ? [`/s/${p.seller.handle}`] : []),
            ...(p.image ? [imageUrl(p.image, 480, 'webp')] : []),
          ]
        : []),
    ];
    await Promise.all(paths.map(get));
    // Then the hottest paths many times over, a few at a time, so that V8 has compiled them
    // (product pages and product reads that miss the cache) before real traffic arrives.
    const hot = products.flatMap((q) => [`/p/${q.slug}`, `/api/products/${q.id}`]);
    const lanes = Array.from({ length: 4 }, async (_, lane) => {
      for (let i = lane; i < hot.length; i += 4) await get(hot[i]!);
    });
    await Promise.all(lanes);
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
  return { ms: Math.round(performance.now() - started), requests, failed };
}

function itemsOf(body: string): ProductCard[] {
  try {
    return (JSON.parse(body) as { items: ProductCard[] }).items ?? [];
  } catch {
    return [];
  }
}

// Before a worker takes traffic it answers a few requests to itself, on a private port: Astro's
// lazily imported route modules, the database pool's connections, Prisma's query plans and the
// first page files are then ready, instead of being paid for by the first shoppers. (Started
// under full load without this, the first seconds queued requests for up to 4 s.)
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearCatalogCaches } from '../catalog/api-cache.ts';
import type { Db } from '../db.ts';
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
  // A database that accepts connections but never answers must not keep the worker from listening.
  const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  const timedOut = new Promise<void>((ok) => signal.addEventListener('abort', () => ok(), { once: true }));
  // Every connection of the pool at once: under load a pool opens them one by one, as it runs short.
  const pool = Promise.all(Array.from({ length: opts.poolSize }, () => db.$queryRaw`SELECT 1`));
  await Promise.race([pool.catch(() => {}), timedOut]);

  await new Promise<void>((ok, fail) =>
    // exclusive: in a cluster worker, a port of this worker's own rather than one shared through the primary.
    server.listen({ port: 0, host: '127.0.0.1', exclusive: true }, ok).once('error', fail),
  );
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    const list = await get('/api/products?limit=24&sort=newest');
    const p = list ? itemsOf(list)[0] : undefined;
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
            `/p/${p.slug}`,
            `/api/products/${p.id}`,
            `/c/${p.category.slug}`,
            `/api/products?category=${p.category.slug}&sort=price_asc&limit=24`,
            ...(p.seller.handle ? [`/s/${p.seller.handle}`] : []),
            ...(p.image ? [imageUrl(p.image, 480, 'webp')] : []),
          ]
        : []),
    ];
    await Promise.all(paths.map(get));
  } finally {
    // What the warm-up read must not decide what the first shoppers see (say, a product answered
    // from memory while the database is down): the catalog caches start empty, as without it.
    clearCatalogCaches();
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

// The per-process caches behind the public catalog API (see readCache in
// http/cache.ts). Each TTL stays within what the response already lets a CDN
// keep, so caching here changes nobody's view of freshness:
// - listings and search: 10 s (CATALOG_CACHE lets an edge keep them 60 s);
// - one product (price, stock): 10 s, what LIVE_CACHE lets an edge keep it.
//   Edits, reviews and products leaving the shop evict it sooner: the catalog
//   gate reports them every 2 s (evictProducts, wired in server.mjs), the same
//   delay as for pages. Stock moves do not (they leave updatedAt alone), so a
//   stock figure can lag up to 10 s, as at the edge; checkout always reads the
//   database, so it can never oversell.
//
// The routes fill them; the node server answers fresh hits itself
// (catalogHit) before a request reaches Astro, the way a microcache in front
// of an app would: a hit then costs about what a static file does.
import { CATALOG_CACHE, LIVE_CACHE, etagMatches, readCache, type FastAnswer, type ReadCache } from '../http/cache.ts';
import { productQuerySchema, type ProductQuery } from '../../shared/catalog-query.ts';

// One pair per process: server.mjs loads this module directly and the Astro
// bundle carries its own copy; both must see the same entries.
const SHARED = Symbol.for('soko.catalog.api-cache');
const holder = globalThis as { [SHARED]?: { list: ReadCache; detail: ReadCache } };
holder[SHARED] ??= {
  list: readCache({ ttlMs: 10_000, maxBytes: 16 * 1024 * 1024 }),
  detail: readCache({ ttlMs: 10_000, maxBytes: 16 * 1024 * 1024 }),
};
export const productListCache = holder[SHARED].list;
export const productDetailCache = holder[SHARED].detail;

/** Drops the cached details of changed products (keys: ids and slugs, as the catalog gate reports them). */
export function evictProducts(keys: string[]): void {
  productDetailCache.evict(keys);
}

/** Empties both caches (after a worker's warm-up: it warms code and connections, not answers). */
export function clearCatalogCaches(): void {
  productListCache.clear();
  productDetailCache.clear();
}

/** A product id or slug in /api/products/{id}. */
export const PRODUCT_REF = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** The cache key of a listing query (zod's output has a stable key order). */
export const listKey = (query: ProductQuery): string => JSON.stringify(query);

const DETAIL_PATH = /^\/api\/products\/([^/]+)$/;

/**
 * A fresh cached answer for a GET of the public catalog API, or null (not
 * such a request, invalid, or not cached: Astro's route handles it).
 */
export function catalogHit(pathname: string, query: string | undefined, ifNoneMatch?: string): FastAnswer | null {
  let hit: { body: string; etag: string } | undefined;
  let cacheControl: string;
  if (pathname === '/api/products') {
    const parsed = productQuerySchema.safeParse(Object.fromEntries(new URLSearchParams(query ?? '')));
    hit = parsed.success ? productListCache.peek(listKey(parsed.data)) : undefined;
    cacheControl = CATALOG_CACHE;
  } else {
    const m = DETAIL_PATH.exec(pathname);
    if (!m || query || !PRODUCT_REF.test(m[1]!)) return null;
    hit = productDetailCache.peek(m[1]!);
    cacheControl = LIVE_CACHE;
  }
  if (!hit) return null;
  const headers: Record<string, string> = { 'Cache-Control': cacheControl, ETag: hit.etag, Vary: 'Accept-Encoding' };
  if (etagMatches(ifNoneMatch ?? null, hit.etag)) return { status: 304, headers };
  headers['Content-Type'] = 'application/json; charset=utf-8';
  headers['Content-Length'] = String(Buffer.byteLength(hit.body));
  return { status: 200, headers, body: hit.body };
}

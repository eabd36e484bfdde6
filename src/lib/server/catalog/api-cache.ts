// The per-process caches behind the public catalog API (see readCache in
// http/cache.ts). Each TTL stays within what the response already lets a CDN
// keep, so caching here changes nobody's view of freshness:
// - listings and search: 10 s (CATALOG_CACHE lets an edge keep them 60 s);
// - one product (price, stock): 2 s, the same delay as the catalog gate's
//   refresh of pages (LIVE_CACHE lets an edge keep it 10 s). Checkout always
//   reads the database, so a stale stock figure can never oversell.
import { readCache } from '../http/cache.ts';

export const productListCache = readCache({ ttlMs: 10_000, maxBytes: 16 * 1024 * 1024 });
export const productDetailCache = readCache({ ttlMs: 2_000, maxBytes: 16 * 1024 * 1024 });

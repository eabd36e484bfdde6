// JSON a CDN may cache: Cache-Control plus a strong ETag over the body, and
// 304 when the client already has it. Hot catalog reads are also kept in this
// process for a few seconds (readCache), serialized once, so a burst of the
// same request costs one database round trip and one JSON.stringify.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Catalog reads: fresh for a short while, then served stale while the edge revalidates. */
export const CATALOG_CACHE = 'public, max-age=30, s-maxage=60, stale-while-revalidate=300';
/** Stock and price move: browsers revalidate every time, the edge holds it briefly. */
export const LIVE_CACHE = 'public, max-age=0, s-maxage=10, stale-while-revalidate=60';

interface JsonBody {
  body: string;
  etag: string;
}

function serialize(data: unknown): JsonBody {
  const body = JSON.stringify(data);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** An answer the node server sends itself, before Astro (catalogHit, imageHit): same headers and body as the route's. */
export interface FastAnswer {
  status: 200 | 304;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** If-None-Match with weak comparison (RFC 9110 13.1.2): lists, W/ prefixes and `*`. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === opaque;
  });
}

function respond(request: Request, { body, etag }: JsonBody, cacheControl: string): Response {
  const headers = new Headers({ 'Cache-Control': cacheControl, ETag: etag, Vary: 'Accept-Encoding' });
  if (etagMatches(request.headers.get('If-None-Match'), etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(body, { status: 200, headers });
}

export interface ReadCache {
  /**
   * The cached answer for `key`, or `load()`'s, kept for the cache's TTL.
   * Concurrent misses on one key share one load; a failed load (404, database
   * down) is not kept, so errors are never served from here.
   */
  json(request: Request, key: string, load: () => Promise<unknown>, cacheControl: string): Promise<Response>;
  /** The fresh entry for `key`, if any, without loading (the node server's fast path). */
  peek(key: string): { body: string; etag: string } | undefined;
  /** Forgets these keys (their data changed). */
  evict(keys: Iterable<string>): void;
  clear(): void;
}

/**
 * A short in-process cache for hot, public reads. Its TTL bounds how stale an
 * answer can be (no cross-process invalidation: with several workers or hosts
 * each keeps its own copy), so keep it at or below what the response's
 * Cache-Control already lets a CDN serve. Writes never read from it.
 */
export function readCache(opts: { ttlMs: number; maxBytes: number }): ReadCache {
  const lru = new LRUCache<string, JsonBody, () => Promise<unknown>>({
    maxSize: opts.maxBytes,
    sizeCalculation: (v, key) => v.body.length + key.length + 100,
    ttl: opts.ttlMs,
    // Expired entries are reloaded, never served stale.
    allowStale: false,
    fetchMethod: async (_key, _stale, { context, options }) => {
      // Each entry lives 75-100 % of the TTL: keys first loaded together (a cold start, a
      // burst) would otherwise all expire in the same instant and reload at once, every TTL.
      options.ttl = Math.round(opts.ttlMs * (0.75 + Math.random() / 4));
      return serialize(await context());
    },
  });
  return {
    async json(request, key, load, cacheControl) {
      const hit = await lru.fetch(key, { context: load });
      return respond(request, hit!, cacheControl);
    },
    peek: (key) => lru.get(key),
    evict: (keys) => {
      for (const k of keys) lru.delete(k);
    },
    clear: () => lru.clear(),
  };
}

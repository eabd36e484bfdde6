// JSON a CDN may cache: Cache-Control plus a strong ETag over the body, and
// 304 when the client already has it.
import { createHash } from 'node:crypto';

/** Catalog reads: fresh for a short while, then served stale while the edge revalidates. */
export const CATALOG_CACHE = 'public, max-age=30, s-maxage=60, stale-while-revalidate=300';
/** Stock and price move: browsers revalidate every time, the edge holds it briefly. */
export const LIVE_CACHE = 'public, max-age=0, s-maxage=10, stale-while-revalidate=60';

export function cachedJson(request: Request, data: unknown, cacheControl: string): Response {
  const body = JSON.stringify(data);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  const headers = new Headers({ 'Cache-Control': cacheControl, ETag: etag, Vary: 'Accept-Encoding' });
  const inm = request.headers.get('If-None-Match');
  if (inm && inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set('Content-Type', 'application/json; charset=utf-8');
  return new Response(body, { status: 200, headers });
}

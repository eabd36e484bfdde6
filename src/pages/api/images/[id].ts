import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { handle } from '../../../lib/server/http/errors.ts';
import { CONTENT_TYPE, getVariant, negotiateFormat, parseVariantRequest } from '../../../lib/server/images/variants.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ params, url, request }) => {
  const req = parseVariantRequest(params.id, url.searchParams);
  const format = req.format ?? negotiateFormat(request.headers.get('accept'));
  const variant = await getVariant(getDb(), req, format);
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE[variant.format],
    // Versioned URLs (v=content hash) never change; unversioned ones revalidate.
    'Cache-Control': req.version ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    ETag: variant.etag,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
  };
  if (!req.format) headers.Vary = 'Accept';
  if (request.headers.get('if-none-match') === variant.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(variant.data), { status: 200, headers });
});

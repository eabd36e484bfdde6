// GET /api/products: search and browse (see src/lib/shared/catalog-query.ts for the parameters).
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { searchProducts } from '../../../lib/server/catalog/search.ts';
import { fromZod, handle } from '../../../lib/server/http/errors.ts';
import { CATALOG_CACHE, cachedJson } from '../../../lib/server/http/cache.ts';
import { productQuerySchema } from '../../../lib/shared/catalog-query.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ url, request }) => {
  const parsed = productQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw fromZod(parsed.error, 'query');
  return cachedJson(request, await searchProducts(getDb(), parsed.data), CATALOG_CACHE);
});

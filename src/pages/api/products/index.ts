// GET /api/products: search and browse (see src/lib/shared/catalog-query.ts for the parameters).
// POST /api/products: a seller lists a new product (sellerId from the session, never the body).
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { searchProducts } from '../../../lib/server/catalog/search.ts';
import { fromZod, handle, json } from '../../../lib/server/http/errors.ts';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { readJson } from '../../../lib/server/http/request.ts';
import { createProduct } from '../../../lib/server/products/manage.ts';
import { productInputSchema } from '../../../lib/shared/stores.ts';
import { CATALOG_CACHE } from '../../../lib/server/http/cache.ts';
import { listKey, productListCache } from '../../../lib/server/catalog/api-cache.ts';
import { productQuerySchema } from '../../../lib/shared/catalog-query.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ url, request }) => {
  const parsed = productQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw fromZod(parsed.error, 'query');
  return productListCache.json(
    request,
    listKey(parsed.data),
    () => searchProducts(getDb(), parsed.data),
    CATALOG_CACHE,
  );
});

export const POST: APIRoute = handle(async ({ request, locals }) => {
  const db = getDb();
  const seller = await requireActiveUser(db, locals, 'SELLER');
  const input = await readJson(request, productInputSchema);
  return json({ product: await createProduct(db, seller, input) }, { status: 201 });
});

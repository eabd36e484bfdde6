// GET /api/products/{id or slug}: one active product with stock, images, seller and rating.
import type { APIRoute } from 'astro';
import { z } from 'zod';
import { getDb } from '../../../lib/server/db.ts';
import { getProductDetail } from '../../../lib/server/catalog/product.ts';
import { fromZod, handle } from '../../../lib/server/http/errors.ts';
import { LIVE_CACHE, cachedJson } from '../../../lib/server/http/cache.ts';

export const prerender = false;

const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a product id or slug');

export const GET: APIRoute = handle(async ({ params, request }) => {
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw fromZod(id.error, 'id');
  return cachedJson(request, await getProductDetail(getDb(), id.data), LIVE_CACHE);
});

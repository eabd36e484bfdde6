// GET /api/products/{id or slug}: one active product with stock, images, seller and rating.
// PATCH /api/products/{id}: edit; DELETE /api/products/{id}: archive (owning seller or an admin).
import type { APIRoute } from 'astro';
import { z } from 'zod';
import { getDb } from '../../../lib/server/db.ts';
import { getProductDetail } from '../../../lib/server/catalog/product.ts';
import { fromZod, handle, json } from '../../../lib/server/http/errors.ts';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { parseOr400, readJson } from '../../../lib/server/http/request.ts';
import { archiveProduct, requireManageableProduct, updateProduct } from '../../../lib/server/products/manage.ts';
import { productIdSchema, productPatchSchema } from '../../../lib/shared/stores.ts';
import { LIVE_CACHE } from '../../../lib/server/http/cache.ts';
import { PRODUCT_REF, productDetailCache } from '../../../lib/server/catalog/api-cache.ts';

export const prerender = false;

const idSchema = z.string().regex(PRODUCT_REF, 'must be a product id or slug');

export const GET: APIRoute = handle(async ({ params, request }) => {
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw fromZod(id.error, 'id');
  return productDetailCache.json(request, id.data, () => getProductDetail(getDb(), id.data), LIVE_CACHE);
});

export const PATCH: APIRoute = handle(async ({ params, request, locals }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  const id = parseOr400(productIdSchema, params.id, 'id');
  await requireManageableProduct(db, actor, id);
  const patch = await readJson(request, productPatchSchema);
  return json({ product: await updateProduct(db, actor, id, patch) });
});

export const DELETE: APIRoute = handle(async ({ params, locals }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  const id = parseOr400(productIdSchema, params.id, 'id');
  return json({ product: await archiveProduct(db, actor, id) });
});

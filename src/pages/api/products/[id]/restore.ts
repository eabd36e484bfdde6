// POST /api/products/{id}/restore: an archived product back on sale (owner or admin).
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../lib/server/db.ts';
import { handle, json } from '../../../../lib/server/http/errors.ts';
import { parseOr400 } from '../../../../lib/server/http/request.ts';
import { restoreProduct } from '../../../../lib/server/products/manage.ts';
import { productIdSchema } from '../../../../lib/shared/stores.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ params, locals }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  const id = parseOr400(productIdSchema, params.id, 'id');
  return json({ product: await restoreProduct(db, actor, id) });
});

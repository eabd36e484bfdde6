// DELETE /api/watchlist/{productId}: stop watching (idempotent: 200 even if not watched).
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { parseOr400 } from '../../../lib/server/http/request.ts';
import { unwatchProduct } from '../../../lib/server/watchlist/watchlist.ts';
import { productIdSchema } from '../../../lib/shared/watchlist.ts';

export const prerender = false;

export const DELETE: APIRoute = handle(async ({ params, locals }) => {
  const db = getDb();
  const user = await requireActiveUser(db, locals);
  const productId = parseOr400(productIdSchema, params.productId, 'path.productId');
  return json(await unwatchProduct(db, user.id, productId));
});

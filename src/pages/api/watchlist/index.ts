// GET /api/watchlist: the caller's watched products (with price-drop and
// back-in-stock marks). POST /api/watchlist { productId }: watch one.
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { readJson } from '../../../lib/server/http/request.ts';
import { listWatchlist, watchProduct } from '../../../lib/server/watchlist/watchlist.ts';
import { watchSchema } from '../../../lib/shared/watchlist.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ locals }) => {
  const db = getDb();
  const user = await requireActiveUser(db, locals);
  return json({ items: await listWatchlist(db, user.id) });
});

export const POST: APIRoute = handle(async ({ request, locals }) => {
  const db = getDb();
  const user = await requireActiveUser(db, locals);
  const { productId } = await readJson(request, watchSchema);
  return json(await watchProduct(db, user.id, productId), { status: 201 });
});

// GET /api/stores/me: the signed-in seller's store profile.
// PATCH /api/stores/me: edit it (strict schema; a taken handle is a 409 naming the field).
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { getDb } from '../../../lib/server/db.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { readJson } from '../../../lib/server/http/request.ts';
import { getStoreProfile, updateStoreProfile } from '../../../lib/server/stores/store-profile.ts';
import { storePatchSchema } from '../../../lib/shared/stores.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ locals }) => {
  const db = getDb();
  const seller = await requireActiveUser(db, locals, 'SELLER');
  return json({ store: await getStoreProfile(db, seller.id) });
});

export const PATCH: APIRoute = handle(async ({ request, locals }) => {
  const db = getDb();
  const seller = await requireActiveUser(db, locals, 'SELLER');
  const patch = await readJson(request, storePatchSchema);
  return json({ store: await updateStoreProfile(db, seller.id, patch) });
});

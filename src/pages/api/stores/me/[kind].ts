// POST /api/stores/me/logo | /api/stores/me/banner: the signed-in seller uploads
// (or replaces) their store's logo or banner: multipart/form-data with one
// `file` part, through the product photos' pipeline and limits
// (lib/server/stores/store-images.ts). DELETE removes it (204, idempotent).
// Sellers only, their own store: the store comes from the session.
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../lib/server/db.ts';
import { handle, json } from '../../../../lib/server/http/errors.ts';
import { parseOr400 } from '../../../../lib/server/http/request.ts';
import { getStorage } from '../../../../lib/server/images/storage.ts';
import { assertUploadAllowed } from '../../../../lib/server/images/upload-limits.ts';
import { removeStoreImage, uploadStoreImage } from '../../../../lib/server/stores/store-images.ts';
import { storeImageKindSchema } from '../../../../lib/shared/image-schemas.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ params, locals, request }) => {
  const db = getDb();
  const seller = await requireActiveUser(db, locals, 'SELLER');
  const kind = parseOr400(storeImageKindSchema, params.kind, 'path.kind');
  await assertUploadAllowed(seller.id);
  const image = await uploadStoreImage(db, getStorage(), seller.id, kind, request);
  return json({ [kind]: image }, { status: 201 });
});

export const DELETE: APIRoute = handle(async ({ params, locals }) => {
  const db = getDb();
  const seller = await requireActiveUser(db, locals, 'SELLER');
  const kind = parseOr400(storeImageKindSchema, params.kind, 'path.kind');
  await removeStoreImage(db, getStorage(), seller.id, kind);
  return new Response(null, { status: 204 });
});

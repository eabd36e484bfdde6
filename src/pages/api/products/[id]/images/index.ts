// GET: a product's images in order (of a product shoppers cannot see: for its
// seller and admins only). POST: a seller (or admin) uploads one
// (multipart/form-data: `file`, optional `alt`), streamed and checked by
// src/lib/server/images/uploads.ts.
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../../lib/server/db.ts';
import { handle, json } from '../../../../../lib/server/http/errors.ts';
import { addProductImage, listVisibleProductImages } from '../../../../../lib/server/images/uploads.ts';
import { getStorage } from '../../../../../lib/server/images/storage.ts';
import { assertUploadAllowed } from '../../../../../lib/server/images/upload-limits.ts';

export const prerender = false;

// Reads trust the session token (no database check): it only widens what the seller of a draft sees.
export const GET: APIRoute = handle(async ({ params, locals }) =>
  json({ images: await listVisibleProductImages(getDb(), locals.user, params.id!) }),
);

export const POST: APIRoute = handle(async ({ params, locals, request }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  await assertUploadAllowed(actor.id);
  const image = await addProductImage(db, getStorage(), actor, params.id!, request);
  return json({ image }, { status: 201 });
});

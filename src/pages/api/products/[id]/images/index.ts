// GET: a product's images in order. POST: a seller (or admin) uploads one
// (multipart/form-data: `file`, optional `alt`), streamed and checked by
// src/lib/server/images/uploads.ts.
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../../lib/server/db.ts';
import { handle, json } from '../../../../../lib/server/http/errors.ts';
import { addProductImage, listProductImages } from '../../../../../lib/server/images/uploads.ts';
import { getStorage } from '../../../../../lib/server/images/storage.ts';
import { assertUploadAllowed } from '../../../../../lib/server/images/upload-limits.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ params }) =>
  json({ images: await listProductImages(getDb(), params.id!) }),
);

export const POST: APIRoute = handle(async ({ params, locals, request }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  await assertUploadAllowed(actor.id);
  const image = await addProductImage(db, getStorage(), actor, params.id!, request);
  return json({ image }, { status: 201 });
});

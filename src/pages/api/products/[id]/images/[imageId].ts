// PATCH `{ alt }`: an image's alt text. DELETE: remove the image.
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../../lib/server/db.ts';
import { handle, json } from '../../../../../lib/server/http/errors.ts';
import { readJson } from '../../../../../lib/server/http/request.ts';
import { deleteProductImage, updateImageAlt } from '../../../../../lib/server/images/uploads.ts';
import { getStorage } from '../../../../../lib/server/images/storage.ts';
import { updateImageAltSchema } from '../../../../../lib/shared/image-schemas.ts';

export const prerender = false;

export const PATCH: APIRoute = handle(async ({ params, locals, request }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  const { alt } = await readJson(request, updateImageAltSchema);
  return json({ image: await updateImageAlt(db, actor, params.id!, params.imageId!, alt) });
});

export const DELETE: APIRoute = handle(async ({ params, locals }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  await deleteProductImage(db, getStorage(), actor, params.id!, params.imageId!);
  return new Response(null, { status: 204 });
});

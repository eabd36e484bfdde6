// PUT `{ imageIds }`: the product's images in their new order.
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../../lib/server/db.ts';
import { handle, json } from '../../../../../lib/server/http/errors.ts';
import { readJson } from '../../../../../lib/server/http/request.ts';
import { reorderProductImages } from '../../../../../lib/server/images/uploads.ts';
import { reorderImagesSchema } from '../../../../../lib/shared/image-schemas.ts';

export const prerender = false;

export const PUT: APIRoute = handle(async ({ params, locals, request }) => {
  const db = getDb();
  const actor = await requireActiveUser(db, locals, 'SELLER', 'ADMIN');
  const body = await readJson(request, reorderImagesSchema);
  return json({ images: await reorderProductImages(db, actor, params.id!, body) });
});

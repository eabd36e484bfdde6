// GET /api/products/{id}/reviews?cursor=&limit=: newest first, keyset-paginated.
// POST /api/products/{id}/reviews: a buyer with a delivered order reviews it (a second post edits).
import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../../lib/server/authz/guards.ts';
import { getDb } from '../../../../lib/server/db.ts';
import { handle, json } from '../../../../lib/server/http/errors.ts';
import { parseOr400, readJson } from '../../../../lib/server/http/request.ts';
import { listProductReviews, submitReview } from '../../../../lib/server/reviews/reviews.ts';
import { productIdSchema, reviewInputSchema, reviewListQuerySchema } from '../../../../lib/shared/stores.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ params, url }) => {
  const db = getDb();
  const id = parseOr400(productIdSchema, params.id, 'id');
  const query = parseOr400(reviewListQuerySchema, Object.fromEntries(url.searchParams), 'query');
  return json(await listProductReviews(db, id, query), {
    headers: { 'Cache-Control': 'public, max-age=0, s-maxage=30' },
  });
});

export const POST: APIRoute = handle(async ({ params, request, locals }) => {
  const db = getDb();
  const user = await requireActiveUser(db, locals);
  const id = parseOr400(productIdSchema, params.id, 'id');
  const input = await readJson(request, reviewInputSchema);
  const { review, created } = await submitReview(db, user.id, id, input);
  return json({ review }, { status: created ? 201 : 200 });
});

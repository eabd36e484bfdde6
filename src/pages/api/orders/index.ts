// POST /api/orders: check out (buyers only; Idempotency-Key makes retries safe).
// GET /api/orders: the orders the caller may see (own, store's, or all for admins).
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { getEnv } from '../../../lib/server/env.ts';
import { requireActiveUser, requireRole } from '../../../lib/server/authz/guards.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { parseOr400, readJson } from '../../../lib/server/http/request.ts';
import { placeOrder } from '../../../lib/server/orders/checkout.ts';
import { listOrders } from '../../../lib/server/orders/queries.ts';
import { checkoutSchema, idempotencyKeySchema, orderListQuerySchema } from '../../../lib/shared/orders.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ request, locals }) => {
  const db = getDb();
  // The token's role first (no database), so the guard answers before validation.
  const buyer = requireRole(locals, 'BUYER');
  const rawKey = request.headers.get('idempotency-key');
  const idempotencyKey =
    rawKey === null ? undefined : parseOr400(idempotencyKeySchema, rawKey, 'header.Idempotency-Key');
  const input = await readJson(request, checkoutSchema);
  const whatsappNumber = getEnv().WHATSAPP_NUMBER;
  // The checkout's statement re-reads the account (status, token version) before it writes: a
  // suspended or signed-out-everywhere buyer gets the 401 and nothing is written.
  const result = await placeOrder(db, buyer, input, { whatsappNumber, idempotencyKey });
  return json(result, { status: 201 });
});

export const GET: APIRoute = handle(async ({ url, locals }) => {
  const db = getDb();
  // Re-read: a demoted admin's old token must not keep listing every order on the platform.
  const user = await requireActiveUser(db, locals);
  const query = parseOr400(orderListQuerySchema, Object.fromEntries(url.searchParams), 'query');
  return json(await listOrders(db, user, query));
});

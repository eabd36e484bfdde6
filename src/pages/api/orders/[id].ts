// GET /api/orders/{id or number}: one order with its history, if the caller may
// see it (someone else's order is a 404), and the status changes they may make.
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { parseOr400 } from '../../../lib/server/http/request.ts';
import { getOrder } from '../../../lib/server/orders/queries.ts';
import { allowedTransitions, partyOf } from '../../../lib/server/orders/lifecycle.ts';
import { orderRefSchema } from '../../../lib/shared/orders.ts';

export const prerender = false;

export const GET: APIRoute = handle(async ({ params, locals }) => {
  const db = getDb();
  // Re-read: a suspended, demoted or signed-out session must not keep reading orders (buyers' addresses and phones).
  const user = await requireActiveUser(db, locals);
  const id = parseOr400(orderRefSchema, params.id, 'path.id');
  const order = await getOrder(db, user, id);
  return json({
    ...order,
    allowedTransitions: allowedTransitions(partyOf(user, { sellerId: order.seller.id }), order.status),
  });
});

// PATCH /api/orders/{id}/status { status, note? }: move an order along its
// lifecycle. Invalid transitions are 409; someone else's order is 404. An
// admin's change is audited like one made on /admin/orders/{id}.
import type { APIRoute } from 'astro';
import { getDb } from '../../../../lib/server/db.ts';
import { requireActiveUser } from '../../../../lib/server/authz/guards.ts';
import { handle, json } from '../../../../lib/server/http/errors.ts';
import { parseOr400, readJson } from '../../../../lib/server/http/request.ts';
import { changeOrderStatus } from '../../../../lib/server/admin/orders.ts';
import { allowedTransitions, partyOf, transitionOrder } from '../../../../lib/server/orders/lifecycle.ts';
import { orderRefSchema, statusChangeSchema } from '../../../../lib/shared/orders.ts';

export const prerender = false;

export const PATCH: APIRoute = handle(async ({ params, request, locals }) => {
  const db = getDb();
  const user = await requireActiveUser(db, locals);
  const id = parseOr400(orderRefSchema, params.id, 'path.id');
  const { status, note } = await readJson(request, statusChangeSchema);
  const order =
    user.role === 'ADMIN'
      ? await changeOrderStatus(db, user.id, id, status, note)
      : await transitionOrder(db, user, id, status, note);
  return json({
    ...order,
    allowedTransitions: allowedTransitions(partyOf(user, { sellerId: order.seller.id }), order.status),
  });
});

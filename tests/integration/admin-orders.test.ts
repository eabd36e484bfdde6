// Admin order status changes on both engines: the lifecycle rules apply, and
// each change writes an 'order.status' audit entry in the same transaction.
import { expect, it } from 'vitest';
import { listAudit } from '../../src/lib/server/admin/audit.ts';
import { changeOrderStatus } from '../../src/lib/server/admin/orders.ts';
import { placeOrder } from '../../src/lib/server/orders/checkout.ts';
import { transitionOrder } from '../../src/lib/server/orders/lifecycle.ts';
import { checkoutSchema } from '../../src/lib/shared/orders.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { DELIVERY, makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('admin orders', (ctx) => {
  async function pendingOrder() {
    const { db } = ctx();
    const buyer = await makeUser(db, 'BUYER');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { stock: 5 });
    const r = await placeOrder(
      db,
      buyer,
      checkoutSchema.parse({ items: [{ productId: p.id, quantity: 2 }], delivery: DELIVERY }),
      { whatsappNumber: '254756185209' },
    );
    return { orderId: r.orders[0]!.id, productId: p.id, seller };
  }

  it('moves an order through the lifecycle and audits every change with before and after', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const { orderId } = await pendingOrder();
    const confirmed = await changeOrderStatus(db, admin.id, orderId, 'CONFIRMED', 'Checked by phone');
    expect(confirmed.status).toBe('CONFIRMED');
    expect(confirmed.events.at(-1)).toMatchObject({
      toStatus: 'CONFIRMED',
      actorRole: 'ADMIN',
      note: 'Checked by phone',
    });
    await changeOrderStatus(db, admin.id, orderId, 'SHIPPED');
    const audit = await listAudit(db, { page: 1, perPage: 10, targetId: orderId });
    expect(audit.items.map((a) => [a.action, a.targetType, a.before, a.after, a.actor.id])).toEqual([
      ['order.status', 'order', { status: 'CONFIRMED' }, { status: 'SHIPPED' }, admin.id],
      ['order.status', 'order', { status: 'PENDING' }, { status: 'CONFIRMED', note: 'Checked by phone' }, admin.id],
    ]);
  });

  it('refuses a transition the lifecycle forbids and writes no audit entry', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const { orderId } = await pendingOrder();
    await expect(changeOrderStatus(db, admin.id, orderId, 'DELIVERED')).rejects.toMatchObject({ status: 409 });
    expect((await listAudit(db, { page: 1, perPage: 10, targetId: orderId })).total).toBe(0);
  });

  it('rolls the status change and restored stock back when the afterChange hook fails', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const { orderId, productId } = await pendingOrder();
    const stockBefore = (await db.product.findUniqueOrThrow({ where: { id: productId } })).stock;
    await expect(
      transitionOrder(db, { id: admin.id, role: 'ADMIN' }, orderId, 'CANCELLED', undefined, {
        afterChange: async () => {
          throw new Error('audit store down');
        },
      }),
    ).rejects.toThrow('audit store down');
    const order = await db.order.findUniqueOrThrow({ where: { id: orderId }, include: { events: true } });
    expect(order.status).toBe('PENDING');
    expect(order.events.filter((e) => e.toStatus === 'CANCELLED')).toHaveLength(0);
    expect((await db.product.findUniqueOrThrow({ where: { id: productId } })).stock).toBe(stockBefore);
  });

  it('leaves seller and buyer transitions unaudited (only admin actions go to the audit log)', async () => {
    const { db } = ctx();
    const { orderId, seller } = await pendingOrder();
    await transitionOrder(db, { id: seller.id, role: 'SELLER' }, orderId, 'CONFIRMED');
    expect((await listAudit(db, { page: 1, perPage: 10, targetId: orderId })).total).toBe(0);
  });
});

// Admin domain on both engines: roles, suspension, the last-admin rule,
// moderation, platform metrics, and an audit entry for every action.
import { expect, it } from 'vitest';
import { listAudit } from '../../src/lib/server/admin/audit.ts';
import { getPlatformMetrics } from '../../src/lib/server/admin/metrics.ts';
import { hideProduct, searchProducts, unhideProduct } from '../../src/lib/server/admin/moderation.ts';
import { changeRole, searchUsers, setUserStatus } from '../../src/lib/server/admin/users.ts';
import { archiveProduct, restoreProduct, updateProduct } from '../../src/lib/server/products/manage.ts';
import { productPatchSchema } from '../../src/lib/shared/stores.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('admin', (ctx) => {
  it('promotes a buyer to seller with a store profile, bumping the token version, and audits it', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const buyer = await db.user.create({
      data: { email: `nb-${Date.now()}@example.com`, name: 'New Buyer', passwordHash: 'x' },
    });
    const { user: row } = await changeRole(db, admin.id, buyer.id, 'SELLER');
    expect(row.role).toBe('SELLER');
    const after = await db.user.findUniqueOrThrow({ where: { id: buyer.id }, include: { profile: true } });
    expect(after.tokenVersion).toBe(1);
    expect(after.profile?.displayName).toBe('New Buyer');
    const audit = await listAudit(db, { page: 1, perPage: 10, targetId: buyer.id });
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'user.role',
        before: { role: 'BUYER' },
        after: { role: 'SELLER' },
        actor: expect.objectContaining({ id: admin.id }),
      }),
    ]);
  });

  it('suspends and reactivates, revoking sessions, and refuses self-changes', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const u = await makeUser(db, 'BUYER');
    expect((await setUserStatus(db, admin.id, u.id, 'SUSPENDED')).status).toBe('SUSPENDED');
    expect((await db.user.findUniqueOrThrow({ where: { id: u.id } })).tokenVersion).toBe(1);
    expect((await setUserStatus(db, admin.id, u.id, 'ACTIVE')).status).toBe('ACTIVE');
    await expect(setUserStatus(db, admin.id, admin.id, 'SUSPENDED')).rejects.toMatchObject({ status: 409 });
    await expect(changeRole(db, admin.id, admin.id, 'BUYER')).rejects.toMatchObject({ status: 409 });
    const actions = (await listAudit(db, { page: 1, perPage: 10, targetId: u.id })).items.map((a) => a.action);
    expect(actions).toEqual(['user.reactivate', 'user.suspend']);
  });

  it('never removes the last active admin, even when two admins demote each other at once', async () => {
    const { db } = ctx();
    await db.user.updateMany({ where: { role: 'ADMIN' }, data: { role: 'BUYER' } });
    const [a1, a2] = [await makeUser(db, 'ADMIN'), await makeUser(db, 'ADMIN')];
    const results = await Promise.allSettled([
      changeRole(db, a1.id, a2.id, 'BUYER'),
      changeRole(db, a2.id, a1.id, 'BUYER'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409 });
    expect(await db.user.count({ where: { role: 'ADMIN', status: 'ACTIVE' } })).toBe(1);
    // A suspended admin does not count: the last active one cannot be suspended.
    const survivor = (await db.user.findFirstOrThrow({ where: { role: 'ADMIN' } })).id;
    const other = survivor === a1.id ? a2.id : a1.id;
    await expect(setUserStatus(db, other, survivor, 'SUSPENDED')).rejects.toMatchObject({ status: 409 });
  });

  it('searches users by email or name and filters by role', async () => {
    const { db } = ctx();
    await db.user.create({
      data: { email: 'wanjiru.k@example.com', name: 'Wanjiru Kamau', passwordHash: 'x', role: 'SELLER' },
    });
    expect((await searchUsers(db, { q: 'WANJIRU', page: 1, perPage: 10 })).items.map((u) => u.email)).toContain(
      'wanjiru.k@example.com',
    );
    expect((await searchUsers(db, { q: 'kamau', role: 'BUYER', page: 1, perPage: 10 })).total).toBe(0);
  });

  it('finds users by email alone or name alone, filters by status, and pages in a stable order', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const tag = `pg${Date.now()}`;
    const made = [];
    for (let i = 0; i < 5; i++) {
      made.push(
        await db.user.create({
          data: { email: `${tag}-${i}@mail.example`, name: `Achieng ${tag} ${i}`, passwordHash: 'x' },
        }),
      );
    }
    await setUserStatus(db, admin.id, made[1]!.id, 'SUSPENDED');
    const emails = async (s: Parameters<typeof searchUsers>[1]) => (await searchUsers(db, s)).items.map((u) => u.email);
    // The email part only in the email, the name part only in the name.
    expect(await emails({ q: `${tag}-3@MAIL`, page: 1, perPage: 10 })).toEqual([`${tag}-3@mail.example`]);
    expect((await searchUsers(db, { q: `achieng ${tag}`, page: 1, perPage: 10 })).total).toBe(5);
    expect(await emails({ q: tag, status: 'SUSPENDED', page: 1, perPage: 10 })).toEqual([`${tag}-1@mail.example`]);
    expect((await searchUsers(db, { q: tag, status: 'ACTIVE', page: 1, perPage: 10 })).total).toBe(4);
    // Newest first; pages neither repeat nor skip anyone.
    const pages = [
      ...(await emails({ q: tag, page: 1, perPage: 2 })),
      ...(await emails({ q: tag, page: 2, perPage: 2 })),
      ...(await emails({ q: tag, page: 3, perPage: 2 })),
    ];
    expect(pages).toEqual(made.map((u) => u.email).reverse());
  });

  it('hides and restores products with a reason, audited', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { title: 'Suspicious Watch' });
    await hideProduct(db, admin.id, p.id, 'Reported as counterfeit');
    expect(await db.product.findUniqueOrThrow({ where: { id: p.id } })).toMatchObject({
      status: 'HIDDEN',
      moderationReason: 'Reported as counterfeit',
    });
    await expect(hideProduct(db, admin.id, p.id, 'again')).rejects.toMatchObject({ status: 409 });
    expect(
      (await searchProducts(db, { q: 'suspicious', status: 'HIDDEN', page: 1, perPage: 10 })).items.map((x) => x.id),
    ).toEqual([p.id]);
    const other = await makeProduct(db, (await makeUser(db, 'SELLER')).id, { title: 'Suspicious Clock' });
    const bySeller = await searchProducts(db, { q: 'suspicious', sellerId: seller.id, page: 1, perPage: 10 });
    expect([bySeller.total, bySeller.items.map((x) => x.id)]).toEqual([1, [p.id]]);
    expect((await searchProducts(db, { q: 'SUSPICIOUS', page: 1, perPage: 10 })).items.map((x) => x.id)).toEqual([
      other.id,
      p.id,
    ]);
    await unhideProduct(db, admin.id, p.id);
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('ACTIVE');
    expect((await listAudit(db, { page: 1, perPage: 10, targetId: p.id })).items.map((a) => a.action)).toEqual([
      'product.restore',
      'product.hide',
    ]);
  });

  it('restores a hidden product to the status it had: an archived one does not go back on sale', async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id, { status: 'ARCHIVED' });
    await hideProduct(db, admin.id, p.id, 'Prohibited item');
    const hiddenAt = (await db.product.findUniqueOrThrow({ where: { id: p.id } })).updatedAt.getTime();
    await new Promise((r) => setTimeout(r, 5));
    expect(await unhideProduct(db, admin.id, p.id)).toBe('ARCHIVED');
    const after = await db.product.findUniqueOrThrow({ where: { id: p.id } });
    expect(after).toMatchObject({ status: 'ARCHIVED', moderationReason: null });
    // updatedAt moves, so the catalog gate re-renders the store page that lists it.
    expect(after.updatedAt.getTime()).toBeGreaterThan(hiddenAt);
    expect((await listAudit(db, { page: 1, perPage: 1, targetId: p.id })).items[0]).toMatchObject({
      action: 'product.restore',
      before: { status: 'HIDDEN', reason: 'Prohibited item' },
      after: { status: 'ARCHIVED' },
    });
    await expect(unhideProduct(db, admin.id, p.id)).rejects.toMatchObject({ status: 409 });
  });

  it("audits an admin's changes through the seller endpoints, and keeps moderation out of their reach", async () => {
    const { db } = ctx();
    const admin = await makeUser(db, 'ADMIN');
    const seller = await makeUser(db, 'SELLER');
    const asAdmin = { id: admin.id, role: 'ADMIN' as const };
    const asSeller = { id: seller.id, role: 'SELLER' as const };
    const p = await makeProduct(db, seller.id, { title: 'Kitenge Dress', price: 800_000 });
    const audited = async () =>
      (await listAudit(db, { page: 1, perPage: 20, targetId: p.id })).items.map((a) => [a.action, a.before, a.after]);

    // The seller's own changes are not admin actions.
    await updateProduct(db, asSeller, p.id, { stock: 4 });
    await archiveProduct(db, asSeller, p.id);
    await restoreProduct(db, asSeller, p.id);
    expect(await audited()).toEqual([]);

    await updateProduct(db, asAdmin, p.id, productPatchSchema.parse({ title: 'Kitenge Maxi Dress', priceKES: 7_500 }));
    await archiveProduct(db, asAdmin, p.id);
    await restoreProduct(db, asAdmin, p.id);
    expect(await audited()).toEqual([
      ['product.unarchive', { status: 'ARCHIVED' }, { status: 'ACTIVE' }],
      ['product.archive', { status: 'ACTIVE' }, { status: 'ARCHIVED' }],
      ['product.edit', { title: 'Kitenge Dress', price: 800_000 }, { title: 'Kitenge Maxi Dress', price: 750_000 }],
    ]);

    // Hidden: nobody archives it (its seller could then restore it); an admin's restore lifts the moderation, audited.
    await hideProduct(db, admin.id, p.id, 'Copied photos');
    await expect(archiveProduct(db, asAdmin, p.id)).rejects.toMatchObject({ status: 409 });
    await expect(archiveProduct(db, asSeller, p.id)).rejects.toMatchObject({ status: 409 });
    await expect(restoreProduct(db, asSeller, p.id)).rejects.toMatchObject({ status: 409 });
    expect((await db.product.findUniqueOrThrow({ where: { id: p.id } })).status).toBe('HIDDEN');
    expect((await restoreProduct(db, asAdmin, p.id)).status).toBe('ACTIVE');
    expect((await audited()).slice(0, 2)).toEqual([
      ['product.restore', { status: 'HIDDEN', reason: 'Copied photos' }, { status: 'ACTIVE' }],
      ['product.hide', { status: 'ACTIVE' }, { status: 'HIDDEN', reason: 'Copied photos' }],
    ]);
  });

  it('computes platform metrics', async () => {
    const { db } = ctx();
    const m = await getPlatformMetrics(db);
    expect(m.newUsers.d30).toBeGreaterThan(0);
    expect(m.newUsers.d7).toBeLessThanOrEqual(m.newUsers.d30);
    expect(m.lowStock.every((p) => p.stock <= 3)).toBe(true);
    expect(Object.keys(m.ordersByStatus)).toHaveLength(5);
  });
});

import { expect, it } from 'vitest';
import { listWatchlist, unwatchProduct, watchedIds, watchProduct } from '../../src/lib/server/watchlist/watchlist.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('watchlist', (ctx) => {
  it('watches idempotently, unwatches, and keeps lists per user', async () => {
    const { db } = ctx();
    const [u1, u2] = [await makeUser(db), await makeUser(db)];
    const seller = await makeUser(db, 'SELLER');
    const p = await makeProduct(db, seller.id);
    await watchProduct(db, u1.id, p.id);
    await watchProduct(db, u1.id, p.id);
    expect(await watchedIds(db, u1.id)).toEqual([p.id]);
    expect(await watchedIds(db, u2.id)).toEqual([]);
    await unwatchProduct(db, u1.id, p.id);
    await unwatchProduct(db, u1.id, p.id);
    expect(await watchedIds(db, u1.id)).toEqual([]);
  });

  it('refuses unknown and inactive products', async () => {
    const { db } = ctx();
    const u = await makeUser(db);
    const seller = await makeUser(db, 'SELLER');
    const archived = await makeProduct(db, seller.id, { status: 'ARCHIVED' });
    await expect(watchProduct(db, u.id, archived.id)).rejects.toMatchObject({ status: 404 });
    await expect(watchProduct(db, u.id, 'nope00000000')).rejects.toMatchObject({ status: 404 });
  });

  it('marks price drops and items back in stock since they were watched', async () => {
    const { db } = ctx();
    const u = await makeUser(db);
    const seller = await makeUser(db, 'SELLER');
    const cheaper = await makeProduct(db, seller.id, { price: 1_000_000, stock: 2 });
    const restocked = await makeProduct(db, seller.id, { price: 500_000, stock: 0 });
    const same = await makeProduct(db, seller.id, { price: 300_000, stock: 1 });
    for (const p of [cheaper, restocked, same]) await watchProduct(db, u.id, p.id);
    await db.product.update({ where: { id: cheaper.id }, data: { price: 800_000 } });
    await db.product.update({ where: { id: restocked.id }, data: { stock: 4 } });
    const list = await listWatchlist(db, u.id);
    const byId = new Map(list.map((w) => [w.product.id, w]));
    expect(byId.get(cheaper.id)).toMatchObject({ priceDropped: true, backInStock: false, priceAtAdd: 1_000_000 });
    expect(byId.get(cheaper.id)!.product.price).toBe(800_000);
    expect(byId.get(restocked.id)).toMatchObject({ priceDropped: false, backInStock: true });
    expect(byId.get(same.id)).toMatchObject({ priceDropped: false, backInStock: false });
  });
});

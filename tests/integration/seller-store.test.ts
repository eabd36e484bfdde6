// Store profile editing, product management and reviews, on both engines.
import { expect, it } from 'vitest';
import {
  archiveProduct,
  createProduct,
  listSellerProducts,
  restoreProduct,
  updateProduct,
} from '../../src/lib/server/products/manage.ts';
import { listProductReviews, listReviews, submitReview } from '../../src/lib/server/reviews/reviews.ts';
import { updateStoreProfile } from '../../src/lib/server/stores/store-profile.ts';
import {
  productInputSchema,
  reviewInputSchema,
  storePatchSchema,
  type StorePatch,
} from '../../src/lib/shared/stores.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { makeCategory, makeProduct, makeUser } from '../helpers/fixtures.ts';

describeEachEngine('seller store', (ctx) => {
  it('edits the store profile and keeps handles unique', async () => {
    const { db } = ctx();
    const [a, b] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
    const patch = storePatchSchema.parse({
      description: 'Line one\r\nLine two',
      location: 'Karen',
      handle: 'Amani-Gold',
    });
    const s = await updateStoreProfile(db, a.id, patch);
    expect(s).toMatchObject({ description: 'Line one\nLine two', location: 'Karen', handle: 'amani-gold' });
    await expect(updateStoreProfile(db, b.id, storePatchSchema.parse({ handle: 'amani-gold' }))).rejects.toMatchObject({
      status: 409,
      details: { field: 'handle' },
    });
  });

  it('writes only the named store fields, whatever else the patch object carries', async () => {
    const { db } = ctx();
    const [me, other] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
    const before = await db.profile.findUniqueOrThrow({ where: { userId: me.id } });
    // As if a schema change let extra keys through: none of them may reach the row.
    const smuggled = {
      ...storePatchSchema.parse({ storeName: 'Named Fields', phone: '0712345678' }),
      displayName: 'Smuggled Name',
      userId: other.id,
      logoImageId: 'nosuchimage00',
    } as StorePatch;
    const s = await updateStoreProfile(db, me.id, smuggled);
    expect(s).toMatchObject({
      sellerId: me.id,
      storeName: 'Named Fields',
      phone: '+254712345678',
      handle: before.handle,
    });
    const after = await db.profile.findUniqueOrThrow({ where: { userId: me.id } });
    expect(after).toMatchObject({
      id: before.id,
      displayName: before.displayName,
      logoImageId: null,
      location: before.location,
      description: before.description,
    });
  });

  it.each([
    [{ handle: 'ab' }, 'handle'],
    [{ handle: 'has space' }, 'handle'],
    [{ handle: 'admin' }, 'handle'],
    [{ location: 'Narnia' }, 'location'],
    [{ phone: '12345' }, 'phone'],
    [{ description: 'x'.repeat(2001) }, 'description'],
    [{ sellerId: 'someone' }, ''],
    [{}, ''],
  ])('refuses the store patch %o naming %s', (body, field) => {
    const r = storePatchSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(field);
  });

  it('lets a seller create, edit, archive and restore only their own products', async () => {
    const { db } = ctx();
    const [me, rival] = [await makeUser(db, 'SELLER'), await makeUser(db, 'SELLER')];
    const admin = await makeUser(db, 'ADMIN');
    const cat = await makeCategory(db);
    const asMe = { id: me.id, role: 'SELLER' as const };
    const input = productInputSchema.parse({
      title: 'Maasai Collar',
      description: 'Hand-beaded collar necklace.',
      categorySlug: cat.slug,
      priceKES: 12500.5,
      stock: 3,
    });
    const p = await createProduct(db, asMe, input);
    expect(p).toMatchObject({ title: 'Maasai Collar', price: 1_250_050, stock: 3, status: 'ACTIVE' });
    expect(p.slug).toMatch(/^maasai-collar-[a-f0-9]{6}$/);

    await expect(updateProduct(db, { id: rival.id, role: 'SELLER' }, p.id, { stock: 0 })).rejects.toMatchObject({
      status: 403,
    });
    await expect(archiveProduct(db, { id: rival.id, role: 'SELLER' }, p.id)).rejects.toMatchObject({ status: 403 });
    await expect(createProduct(db, { id: admin.id, role: 'ADMIN' }, input)).rejects.toMatchObject({ status: 403 });

    expect((await updateProduct(db, asMe, p.id, { stock: 7, priceKES: 9900 })).stock).toBe(7);
    expect(
      (await updateProduct(db, { id: admin.id, role: 'ADMIN' }, p.id, { title: 'Maasai Collar Necklace' })).title,
    ).toBe('Maasai Collar Necklace');
    expect((await archiveProduct(db, asMe, p.id)).status).toBe('ARCHIVED');
    expect((await restoreProduct(db, asMe, p.id)).status).toBe('ACTIVE');
    await expect(
      updateProduct(db, asMe, p.id, productInputSchema.partial().parse({ categorySlug: 'no-such-cat' })),
    ).rejects.toMatchObject({ status: 400 });

    // Hidden by moderation: the seller cannot restore it.
    await db.product.update({
      where: { id: p.id },
      data: { status: 'HIDDEN', moderationReason: 'Counterfeit report' },
    });
    await expect(restoreProduct(db, asMe, p.id)).rejects.toMatchObject({ status: 409 });
    const mine = await listSellerProducts(db, me.id);
    expect(mine.map((x) => [x.id, x.status, x.moderationReason])).toEqual([[p.id, 'HIDDEN', 'Counterfeit report']]);
  });

  it('refuses mass assignment and bad product input', () => {
    for (const body of [
      {
        title: 'Ring',
        description: 'A lovely ring.',
        categorySlug: 'jewellery',
        priceKES: 100,
        stock: 1,
        sellerId: 'x',
      },
      {
        title: 'Ring',
        description: 'A lovely ring.',
        categorySlug: 'jewellery',
        priceKES: 100,
        stock: 1,
        status: 'ACTIVE',
      },
      { title: 'Ring', description: 'A lovely ring.', categorySlug: 'jewellery', priceKES: -5, stock: 1 },
      { title: 'Ring', description: 'A lovely ring.', categorySlug: 'jewellery', priceKES: 10.001, stock: 1 },
      { title: 'Ring', description: 'A lovely ring.', categorySlug: 'jewellery', priceKES: 100, stock: 1.5 },
    ]) {
      expect(productInputSchema.safeParse(body).success).toBe(false);
    }
  });

  it('allows reviews only from buyers with a delivered order, once each, never by the seller', async () => {
    const { db } = ctx();
    const seller = await makeUser(db, 'SELLER');
    const [buyer, stranger] = [await makeUser(db), await makeUser(db)];
    const p = await makeProduct(db, seller.id);
    const review = reviewInputSchema.parse({ rating: 5, body: '<script>alert(1)</script> Lovely' });
    await expect(submitReview(db, stranger.id, p.id, review)).rejects.toMatchObject({ status: 403 });
    await expect(submitReview(db, seller.id, p.id, review)).rejects.toMatchObject({
      status: 403,
      message: /own product/,
    });

    const order = await db.order.create({
      data: {
        number: `R-${p.id}`,
        reference: 'R',
        buyerId: buyer.id,
        sellerId: seller.id,
        status: 'SHIPPED',
        subtotal: 1,
        total: 1,
        deliveryLocation: 'Karen',
        deliveryPhone: '+254712345678',
        items: { create: { productId: p.id, sellerId: seller.id, quantity: 1, unitPrice: 1, title: 'x' } },
      },
    });
    await expect(submitReview(db, buyer.id, p.id, review)).rejects.toMatchObject({ status: 403 });
    await db.order.update({ where: { id: order.id }, data: { status: 'DELIVERED' } });
    const first = await submitReview(db, buyer.id, p.id, review);
    expect(first.created).toBe(true);
    // Stored as typed; pages escape it when they render.
    expect(first.review.body).toBe('<script>alert(1)</script> Lovely');
    const second = await submitReview(
      db,
      buyer.id,
      p.id,
      reviewInputSchema.parse({ rating: 3, body: 'Changed my mind' }),
    );
    expect(second.created).toBe(false);
    expect(second.review.id).toBe(first.review.id);
    const list = await listReviews(db, p.id, { limit: 10 });
    expect(list.items.map((r) => [r.rating, r.body])).toEqual([[3, 'Changed my mind']]);
    expect(await listProductReviews(db, p.id, { limit: 10 })).toEqual(list);
    await expect(listProductReviews(db, 'no-such-product', { limit: 10 })).rejects.toMatchObject({ status: 404 });
    expect(reviewInputSchema.safeParse({ rating: 6 }).success).toBe(false);
    expect(reviewInputSchema.safeParse({ rating: 4, body: 'x'.repeat(2001) }).success).toBe(false);
  });
});

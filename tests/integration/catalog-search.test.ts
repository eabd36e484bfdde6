import { beforeAll, expect, it } from 'vitest';
import { searchProducts } from '../../src/lib/server/catalog/search.ts';
import { getProductDetail } from '../../src/lib/server/catalog/product.ts';
import { getHomeData } from '../../src/lib/server/catalog/home.ts';
import { productQuerySchema, type ProductQuery } from '../../src/lib/shared/catalog-query.ts';
import { describeEachEngine } from '../helpers/db.ts';
import { seedCatalogFixture } from '../helpers/catalog-fixtures.ts';

const q = (params: Record<string, string>): ProductQuery => productQuerySchema.parse(params);

describeEachEngine('catalog search', (ctx) => {
  beforeAll(async () => {
    await seedCatalogFixture(ctx().db);
  });
  const slugs = async (params: Record<string, string>) =>
    (await searchProducts(ctx().db, q(params))).items.map((p) => p.slug);

  it('ranks a title match above description-only matches, and never returns archived or suspended products', async () => {
    const got = await slugs({ q: 'gold' });
    expect(got[0]).toBe('gold-ring');
    expect(new Set(got)).toEqual(new Set(['gold-ring', 'gold-earrings', 'brass-cuff', 'savannah-print']));
  });

  it("leaves a suspended seller's products off the home page, featured or newest", async () => {
    const { db } = ctx();
    await db.product.update({ where: { slug: 'suspended-gold' }, data: { featured: true } });
    try {
      const home = await getHomeData(db);
      // The suspended seller's chain is the newest product of all: it would lead both lists.
      expect(home.newest.map((p) => p.slug)).not.toContain('suspended-gold');
      expect(home.newest[0]?.slug).toBe('savannah-print');
      expect(home.featured.map((p) => p.slug)).toEqual([]);
    } finally {
      await db.product.update({ where: { slug: 'suspended-gold' }, data: { featured: false } });
    }
  });

  it('matches category names and store names, with stemming', async () => {
    expect(new Set(await slugs({ q: 'coffee' }))).toEqual(new Set(['kenya-aa', 'chai-masala', 'tea-set']));
    // "Atelier" appears only in Amani's store name.
    expect(new Set(await slugs({ q: 'atelier' }))).toEqual(
      new Set(['gold-ring', 'gold-earrings', 'brass-cuff', 'savannah-print']),
    );
    expect(await slugs({ q: 'rings' })).toEqual(['gold-ring']);
    expect(await slugs({ q: 'zzzzqqq' })).toEqual([]);
  });

  it('lifts a product whose store or category name matches above one that matches only by its own text', async () => {
    const { db } = ctx();
    const [amani, highlands] = await Promise.all(
      ['amani', 'highlands'].map((handle) => db.profile.findFirstOrThrow({ where: { handle } })),
    );
    const [art, jewellery] = await Promise.all(
      ['art', 'jewellery'].map((slug) => db.category.findFirstOrThrow({ where: { slug } })),
    );
    // The same title and description, so the same own rank; the ids make the tie-break (id
    // descending) put the "plain" product first unless a name match lifts the other.
    const twin = (id: string, slug: string, sellerId: string, categoryId: string) =>
      db.product.create({
        data: {
          id,
          slug,
          title: 'Gilded Frame',
          description: 'A gilded frame.',
          price: 100_000,
          stock: 1,
          sellerId,
          categoryId,
        },
      });
    const made = ['gilded-amani', 'gilded-highlands', 'gilded-art', 'gilded-jewellery'];
    await twin('aaaaaaaalifted', 'gilded-amani', amani!.userId, art!.id);
    await twin('zzzzzzzzplain', 'gilded-highlands', highlands!.userId, art!.id);
    await twin('aaaaaaaacategory', 'gilded-art', highlands!.userId, art!.id);
    await twin('zzzzzzzzcategory', 'gilded-jewellery', highlands!.userId, jewellery!.id);
    try {
      // The store name: Amani's "Atelier".
      expect(await slugs({ q: 'gilded or atelier', category: 'art' })).toEqual([
        'gilded-amani',
        'gilded-highlands',
        'gilded-art',
        'savannah-print',
      ]);
      // The category name: "Art" (Highlands' store name matches neither word).
      expect(await slugs({ q: 'gilded or art', seller: 'highlands' })).toEqual([
        'gilded-highlands',
        'gilded-art',
        'gilded-jewellery',
      ]);
      // Without a name match the tie-break decides.
      expect(await slugs({ q: 'gilded', seller: 'highlands' })).toEqual([
        'gilded-highlands',
        'gilded-jewellery',
        'gilded-art',
      ]);
      // The other sorts filter by the same match and page through it without repeats.
      const byPrice = await searchProducts(db, q({ q: 'gilded or atelier', sort: 'price_asc', limit: '2' }));
      const next = await searchProducts(
        db,
        q({ q: 'gilded or atelier', sort: 'price_asc', limit: '50', cursor: byPrice.nextCursor! }),
      );
      const paged = [...byPrice.items, ...next.items].map((p) => p.slug);
      expect(new Set(paged).size).toBe(paged.length);
      expect(new Set(paged)).toEqual(new Set([...made, 'gold-ring', 'gold-earrings', 'brass-cuff', 'savannah-print']));
    } finally {
      await db.product.deleteMany({ where: { slug: { in: made } } });
    }
  });

  it('filters by category, seller, price range, location and stock', async () => {
    expect(await slugs({ category: 'coffee', sort: 'price_asc' })).toHaveLength(3);
    expect(new Set(await slugs({ seller: 'highlands' }))).toEqual(new Set(['kenya-aa', 'chai-masala', 'tea-set']));
    expect(new Set(await slugs({ minPrice: '9000', maxPrice: '26000' }))).toEqual(
      new Set(['gold-ring', 'brass-cuff', 'savannah-print']),
    );
    expect(new Set(await slugs({ location: 'muthaiga' }))).toEqual(new Set(['kenya-aa', 'chai-masala', 'tea-set']));
    expect(await slugs({ q: 'gold', inStock: 'true', category: 'jewellery' })).not.toContain('gold-earrings');
  });

  it('sorts by price, newest and rating with a stable tie-break', async () => {
    const asc = await searchProducts(ctx().db, q({ sort: 'price_asc' }));
    const prices = asc.items.map((p) => p.price);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const desc = (await searchProducts(ctx().db, q({ sort: 'price_desc' }))).items.map((p) => p.price);
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    expect((await slugs({ sort: 'newest' }))[0]).toBe('savannah-print');
    expect((await slugs({ sort: 'rating' })).slice(0, 3)).toEqual(['brass-cuff', 'tea-set', 'gold-ring']);
  });

  it('pages with a cursor through ties without repeats or gaps, for every sort', async () => {
    for (const sort of ['relevance', 'newest', 'price_asc', 'price_desc', 'rating']) {
      const params: Record<string, string> =
        sort === 'relevance' ? { q: 'gold or coffee or tea or ring', sort } : { sort };
      const all = await slugs({ ...params, limit: '100' });
      expect(all.length, sort).toBeGreaterThan(4);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await searchProducts(ctx().db, q({ ...params, limit: '2', ...(cursor ? { cursor } : {}) }));
        expect(page.items.length).toBeLessThanOrEqual(2);
        paged.push(...page.items.map((p) => p.slug));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(all);
    }
  });

  it('returns what a card needs', async () => {
    const [card] = (await searchProducts(ctx().db, q({ q: 'brass' }))).items;
    expect(card).toMatchObject({
      slug: 'brass-cuff',
      price: 900000,
      seller: { name: 'Amani Gold Atelier', handle: 'amani', location: 'Westlands' },
      rating: { average: 5, count: 2 },
      image: { lqip: expect.stringMatching(/^data:image\//), width: 1200, height: 1500 },
    });
  });

  it('rejects a cursor from another sort', async () => {
    const page = await searchProducts(ctx().db, q({ sort: 'newest', limit: '1' }));
    await expect(searchProducts(ctx().db, q({ sort: 'price_asc', cursor: page.nextCursor! }))).rejects.toMatchObject({
      status: 400,
    });
    await expect(searchProducts(ctx().db, q({ cursor: 'not-a-cursor' }))).rejects.toMatchObject({ status: 400 });
  });

  it('loads one product by id or slug; archived is gone, unknown is not found', async () => {
    const bySlug = await getProductDetail(ctx().db, 'gold-ring');
    expect(bySlug.images).toHaveLength(2);
    expect(bySlug.rating).toEqual({ average: 3, count: 1 });
    expect((await getProductDetail(ctx().db, bySlug.id)).slug).toBe('gold-ring');
    await expect(getProductDetail(ctx().db, 'archived-ring')).rejects.toMatchObject({ status: 410 });
    await expect(getProductDetail(ctx().db, 'suspended-gold')).rejects.toMatchObject({ status: 404 });
    await expect(getProductDetail(ctx().db, 'nope')).rejects.toMatchObject({ status: 404 });
  });
});

it('query validation names the parameter', () => {
  const bad = (p: Record<string, string>) => productQuerySchema.safeParse(p).error?.issues[0]?.path.join('.');
  expect(bad({ limit: '101' })).toBe('limit');
  expect(bad({ sort: 'cheapest' })).toBe('sort');
  expect(bad({ minPrice: '-1' })).toBe('minPrice');
  expect(bad({ minPrice: '500', maxPrice: '100' })).toBe('maxPrice');
  expect(bad({ inStock: 'yes' })).toBe('inStock');
  expect(bad({ colour: 'red' })).toBe('');
  expect(productQuerySchema.safeParse({ colour: 'red' }).error?.issues[0]).toMatchObject({ keys: ['colour'] });
});

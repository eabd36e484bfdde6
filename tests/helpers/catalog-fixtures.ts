// A small, hand-made catalog for search and page tests: every row is explicit,
// so each assertion can say exactly which products must come back.
import type { Db } from '../../src/lib/server/db.ts';

export interface Fixture {
  categories: Record<string, string>;
  sellers: Record<string, string>;
  products: Record<string, string>;
}

const img = (n: number) => ({
  sourceKey: `products/xx/${n}.jpg`,
  contentHash: `${n}`.padStart(64, 'a'),
  width: 1200,
  height: 1500,
  lqip: 'data:image/webp;base64,AAAA',
  dominantColor: '#806040',
});

export async function seedCatalogFixture(db: Db): Promise<Fixture> {
  const categories: Record<string, string> = {};
  for (const [i, [slug, name]] of [
    ['jewellery', 'Jewellery'],
    ['coffee', 'Coffee & Tea'],
    ['art', 'Art'],
  ].entries()) {
    categories[slug!] = (await db.category.create({ data: { slug: slug!, name: name!, position: i } })).id;
  }
  const sellers: Record<string, string> = {};
  for (const [handle, store, location, status] of [
    ['amani', 'Amani Gold Atelier', 'Westlands', 'ACTIVE'],
    ['highlands', 'Highlands Coffee Co.', 'Muthaiga', 'ACTIVE'],
    ['banned', 'Banned Goldsmiths', 'Karen', 'SUSPENDED'],
  ] as const) {
    const u = await db.user.create({
      data: {
        email: `${handle}@fixture.test`,
        passwordHash: 'x',
        name: `${handle} owner`,
        role: 'SELLER',
        status,
        profile: { create: { displayName: store, storeName: store, handle, location } },
      },
    });
    sellers[handle] = u.id;
  }
  const buyer = await db.user.create({
    data: { email: 'buyer@fixture.test', passwordHash: 'x', name: 'Wanjiku Kamau' },
  });
  const buyer2 = await db.user.create({
    data: { email: 'buyer2@fixture.test', passwordHash: 'x', name: 'David Otieno' },
  });

  const base = Date.UTC(2026, 0, 1);
  const rows: [string, string, string, string, number, number, string, number][] = [
    // slug, title, description, category, price KES, stock, seller, created (days after base)
    ['gold-ring', 'Gold Signet Ring', 'A heavy signet ring in 18k gold.', 'jewellery', 26000, 3, 'amani', 1],
    ['gold-earrings', 'Tanzanite Earrings', 'Drop earrings framed in gold.', 'jewellery', 64000, 0, 'amani', 2],
    ['brass-cuff', 'Brass Cuff', 'Hammered recycled brass; goes with gold.', 'jewellery', 9000, 5, 'amani', 3],
    ['kenya-aa', 'Kenya AA Beans', 'Single-origin coffee from Nyeri.', 'coffee', 2500, 40, 'highlands', 4],
    ['chai-masala', 'Chai Masala Tin', 'Spiced tea blend.', 'coffee', 2500, 12, 'highlands', 5],
    ['tea-set', 'Porcelain Tea Set', 'For the ceremony of tea.', 'coffee', 2500, 2, 'highlands', 5],
    ['savannah-print', 'Savannah Print', 'Giclee print of the Mara at dawn.', 'art', 15000, 1, 'amani', 6],
    ['archived-ring', 'Archived Gold Ring', 'No longer sold, gold.', 'jewellery', 10000, 1, 'amani', 7],
    [
      'suspended-gold',
      'Suspended Gold Chain',
      'Gold chain from a suspended seller.',
      'jewellery',
      10000,
      1,
      'banned',
      8,
    ],
  ];
  const products: Record<string, string> = {};
  for (const [i, [slug, title, description, cat, kes, stock, seller, day]] of rows.entries()) {
    const p = await db.product.create({
      data: {
        slug,
        title,
        description,
        price: kes * 100,
        stock,
        status: slug.startsWith('archived') ? 'ARCHIVED' : 'ACTIVE',
        categoryId: categories[cat]!,
        sellerId: sellers[seller]!,
        createdAt: new Date(base + day * 86_400_000),
        images: {
          create: [
            { ...img(i), position: 0 },
            { ...img(i + 100), position: 1 },
          ],
        },
      },
    });
    products[slug] = p.id;
  }
  // Ratings: brass cuff 5.0 (2), tea set 5.0 (1), gold ring 3.0 (1).
  await db.review.createMany({
    data: [
      { productId: products['brass-cuff']!, authorId: buyer.id, rating: 5, body: 'Lovely.' },
      { productId: products['brass-cuff']!, authorId: buyer2.id, rating: 5, body: 'Perfect.' },
      { productId: products['tea-set']!, authorId: buyer.id, rating: 5, body: 'Fine china.' },
      { productId: products['gold-ring']!, authorId: buyer.id, rating: 3, body: 'Heavy.' },
    ],
  });
  return { categories, sellers, products };
}

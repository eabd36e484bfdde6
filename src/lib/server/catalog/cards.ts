// Loading product cards: the one query shape every listing uses.
import type { Db } from '../db.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { ProductCard, RatingSummary } from '../../shared/types.ts';

export const cardSelect = {
  id: true,
  slug: true,
  title: true,
  price: true,
  stock: true,
  category: { select: { slug: true, name: true } },
  seller: { select: { id: true, name: true, profile: { select: { storeName: true, handle: true, location: true } } } },
  images: {
    orderBy: { position: 'asc' },
    take: 1,
    select: { id: true, contentHash: true, width: true, height: true, alt: true, lqip: true, dominantColor: true },
  },
} satisfies Prisma.ProductSelect;

type CardRow = Prisma.ProductGetPayload<{ select: typeof cardSelect }>;

/** Average rating and count per product, in one grouped query. */
export async function ratingsFor(db: Db, productIds: string[]): Promise<Map<string, RatingSummary>> {
  const map = new Map<string, RatingSummary>();
  if (productIds.length === 0) return map;
  const rows = await db.review.groupBy({
    by: ['productId'],
    where: { productId: { in: productIds } },
    _avg: { rating: true },
    _count: { _all: true },
  });
  for (const r of rows) {
    map.set(r.productId, {
      average: r._avg.rating === null ? null : Math.round(r._avg.rating * 10) / 10,
      count: r._count._all,
    });
  }
  return map;
}

/** Average rating and review count per seller, over all their products' reviews. */
export async function sellerRatings(db: Db, sellerIds: string[]): Promise<Map<string, RatingSummary>> {
  const map = new Map<string, RatingSummary>();
  if (sellerIds.length === 0) return map;
  const rows = await db.$queryRaw<{ sellerId: string; average: number; count: bigint }[]>`
    SELECT p."sellerId" AS "sellerId", AVG(r.rating)::float8 AS average, COUNT(*) AS count
    FROM "Review" r JOIN "Product" p ON p.id = r."productId"
    WHERE p."sellerId" = ANY(${sellerIds}::text[])
    GROUP BY p."sellerId"`;
  for (const r of rows) map.set(r.sellerId, { average: Math.round(r.average * 10) / 10, count: Number(r.count) });
  return map;
}

export function toCard(row: CardRow, rating: RatingSummary | undefined): ProductCard {
  const img = row.images[0];
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    price: row.price,
    stock: row.stock,
    image: img ? { ...img, alt: img.alt || row.title } : null,
    category: row.category,
    seller: {
      id: row.seller.id,
      name: row.seller.profile?.storeName ?? row.seller.name,
      handle: row.seller.profile?.handle ?? null,
      location: row.seller.profile?.location ?? null,
    },
    rating: rating ?? { average: null, count: 0 },
  };
}

export async function loadCards(
  db: Db,
  where: Prisma.ProductWhereInput,
  opts: { take: number; orderBy?: Prisma.ProductOrderByWithRelationInput[] },
): Promise<ProductCard[]> {
  const rows = await db.product.findMany({
    where,
    select: cardSelect,
    take: opts.take,
    orderBy: opts.orderBy ?? [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const ratings = await ratingsFor(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => toCard(r, ratings.get(r.id)));
}

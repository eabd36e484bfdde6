// One product, for its page and for GET /api/products/{id or slug}.
import type { Db } from '../db.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { ProductDetail } from '../../shared/catalog-query.ts';
import { ratingsFor } from './cards.ts';
import { listReviews, type ReviewView } from '../reviews/reviews.ts';
import { ON_SALE, isOnSale } from './on-sale.ts';

const imageSelect = {
  id: true,
  contentHash: true,
  width: true,
  height: true,
  alt: true,
  lqip: true,
  dominantColor: true,
};

/** Active product by id or slug. Archived answers 410 (it existed, it is gone); drafts and hidden ones 404. */
export async function getProductDetail(db: Db, idOrSlug: string): Promise<ProductDetail> {
  const row = await db.product.findFirst({
    where: { OR: [{ id: idOrSlug }, { slug: idOrSlug }] },
    include: {
      category: { select: { slug: true, name: true } },
      seller: {
        select: {
          id: true,
          name: true,
          status: true,
          profile: { select: { storeName: true, handle: true, location: true, description: true } },
        },
      },
      images: { orderBy: { position: 'asc' }, select: imageSelect },
    },
  });
  if (!row) throw notFound('Product');
  if (row.status === 'ARCHIVED') throw new AppError('GONE', 'This product is no longer sold');
  if (!isOnSale(row)) throw notFound('Product');
  const rating = (await ratingsFor(db, [row.id])).get(row.id) ?? { average: null, count: 0 };
  const images = row.images.map((img) => ({ ...img, alt: img.alt || row.title }));
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    price: row.price,
    stock: row.stock,
    status: 'ACTIVE',
    image: images[0] ?? null,
    images,
    category: row.category,
    seller: {
      id: row.seller.id,
      name: row.seller.profile?.storeName ?? row.seller.name,
      handle: row.seller.profile?.handle ?? null,
      location: row.seller.profile?.location ?? null,
      description: row.seller.profile?.description ?? '',
    },
    rating,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The first page of reviews shown on a product page (newest first). */
export const PRODUCT_PAGE_REVIEWS = 20;

/**
 * A product page rendered on demand (new since the build, or edited since):
 * the product and its first reviews, or why there is none (404, or 410 gone).
 */
export async function loadProductPage(
  db: Db,
  slug: string,
): Promise<{ product: ProductDetail; reviews: ReviewView[] } | { product: null; gone: boolean }> {
  if (!/^[a-z0-9][a-z0-9-]{0,99}$/.test(slug)) return { product: null, gone: false };
  try {
    const product = await getProductDetail(db, slug);
    const { items } = await listReviews(db, product.id, { limit: PRODUCT_PAGE_REVIEWS });
    return { product, reviews: items };
  } catch (err) {
    if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 410)) throw err;
    return { product: null, gone: err.status === 410 };
  }
}

/** Slugs of every product a page is pre-rendered for. */
export async function listActiveProductSlugs(db: Db): Promise<string[]> {
  const rows = await db.product.findMany({
    where: ON_SALE,
    select: { slug: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((r) => r.slug);
}

// Reviews: only a buyer who received the product may review it, once (a
// second post edits the first); sellers cannot review their own products.
import type { Db } from '../db.ts';
import { AppError, notFound } from '../http/errors.ts';
import type { ReviewInput } from '../../shared/stores.ts';

export interface ReviewView {
  id: string;
  rating: number;
  body: string;
  author: string;
  createdAt: string;
  updatedAt: string;
}

export async function submitReview(
  db: Db,
  authorId: string,
  productId: string,
  input: ReviewInput,
): Promise<{ review: ReviewView; created: boolean }> {
  const product = await db.product.findUnique({ where: { id: productId }, select: { sellerId: true } });
  if (!product) throw new AppError('NOT_FOUND', 'Product not found');
  if (product.sellerId === authorId) throw new AppError('FORBIDDEN', 'You cannot review your own product');
  const delivered = await db.orderItem.count({
    where: { productId, order: { buyerId: authorId, status: 'DELIVERED' } },
  });
  if (delivered === 0)
    throw new AppError('FORBIDDEN', 'You can review a product once an order of it has been delivered to you');
  const existing = await db.review.findUnique({
    where: { productId_authorId: { productId, authorId } },
    select: { id: true },
  });
  const row = await db.review.upsert({
    where: { productId_authorId: { productId, authorId } },
    create: { productId, authorId, rating: input.rating, body: input.body },
    update: { rating: input.rating, body: input.body },
    select: {
      id: true,
      rating: true,
      body: true,
      createdAt: true,
      updatedAt: true,
      author: { select: { name: true } },
    },
  });
  return { review: toView(row), created: !existing };
}

function toView(r: {
  id: string;
  rating: number;
  body: string;
  createdAt: Date;
  updatedAt: Date;
  author: { name: string };
}): ReviewView {
  // Shown as first name and initial: reviews are public.
  const [first, last] = r.author.name.trim().split(/\s+/);
  return {
    id: r.id,
    rating: r.rating,
    body: r.body,
    author: last ? `${first} ${last[0]}.` : (first ?? 'Shopper'),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The API's list of a product's reviews: a 404 when there is no such product. */
export async function listProductReviews(
  db: Db,
  productId: string,
  opts: { cursor?: string; limit: number },
): Promise<{ items: ReviewView[]; nextCursor: string | null }> {
  const product = await db.product.findUnique({ where: { id: productId }, select: { id: true } });
  if (!product) throw notFound('Product');
  return listReviews(db, productId, opts);
}

/** Newest first, keyset-paginated by (createdAt, id). */
export async function listReviews(
  db: Db,
  productId: string,
  opts: { cursor?: string; limit: number },
): Promise<{ items: ReviewView[]; nextCursor: string | null }> {
  const rows = await db.review.findMany({
    where: { productId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: opts.limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    select: {
      id: true,
      rating: true,
      body: true,
      createdAt: true,
      updatedAt: true,
      author: { select: { name: true } },
    },
  });
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toView), nextCursor: rows.length > opts.limit ? page[page.length - 1]!.id : null };
}

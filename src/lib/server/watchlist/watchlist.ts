// A shopper's watchlist: what they watch, with what changed since they
// started watching (price drop, back in stock).
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';
import { cardSelect, ratingsFor, toCard } from '../catalog/cards.ts';
import type { ProductCard } from '../../shared/types.ts';

export interface WatchedProduct {
  product: ProductCard;
  status: string;
  watchedAt: string;
  priceAtAdd: number;
  /** Current price is lower than when the shopper started watching. */
  priceDropped: boolean;
  /** Was sold out when added, in stock now. */
  backInStock: boolean;
}

export async function watchProduct(
  db: Db,
  userId: string,
  productId: string,
): Promise<{ productId: string; watching: true }> {
  const product = await db.product.findUnique({
    where: { id: productId },
    select: { price: true, stock: true, status: true },
  });
  if (!product || product.status !== 'ACTIVE') throw new AppError('NOT_FOUND', 'Product not found');
  // Watching twice is not an error: the first snapshot is kept.
  await db.watchlistItem.upsert({
    where: { userId_productId: { userId, productId } },
    create: { userId, productId, priceAtAdd: product.price, stockAtAdd: product.stock },
    update: {},
  });
  return { productId, watching: true };
}

export async function unwatchProduct(
  db: Db,
  userId: string,
  productId: string,
): Promise<{ productId: string; watching: false }> {
  await db.watchlistItem.deleteMany({ where: { userId, productId } });
  return { productId, watching: false };
}

export async function listWatchlist(db: Db, userId: string): Promise<WatchedProduct[]> {
  const rows = await db.watchlistItem.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: 500,
    select: {
      createdAt: true,
      priceAtAdd: true,
      stockAtAdd: true,
      product: { select: { ...cardSelect, status: true } },
    },
  });
  const ratings = await ratingsFor(
    db,
    rows.map((r) => r.product.id),
  );
  return rows.map((r) => ({
    product: toCard(r.product, ratings.get(r.product.id)),
    status: r.product.status,
    watchedAt: r.createdAt.toISOString(),
    priceAtAdd: r.priceAtAdd,
    priceDropped: r.product.price < r.priceAtAdd,
    backInStock: r.stockAtAdd === 0 && r.product.stock > 0,
  }));
}

/** Just the ids, for the heart buttons on cards. */
export async function watchedIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db.watchlistItem.findMany({ where: { userId }, select: { productId: true }, take: 500 });
  return rows.map((r) => r.productId);
}

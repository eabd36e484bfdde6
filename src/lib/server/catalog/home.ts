// Data for the pre-rendered home page.
import type { Db } from '../db.ts';
import type { CategorySummary, ProductCard, SellerSummary } from '../../shared/types.ts';
import { loadCards, sellerRatings } from './cards.ts';
import { ON_SALE } from './on-sale.ts';

export interface HomeData {
  featured: ProductCard[];
  newest: ProductCard[];
  categories: CategorySummary[];
  sellers: SellerSummary[];
}

export async function getHomeData(db: Db): Promise<HomeData> {
  const [featured, newest, categories, sellers] = await Promise.all([
    loadCards(db, { ...ON_SALE, featured: true }, { take: 12 }),
    loadCards(db, ON_SALE, { take: 8 }),
    listCategories(db),
    listFeaturedSellers(db, 6),
  ]);
  return { featured, newest, categories, sellers };
}

export async function listCategories(db: Db): Promise<CategorySummary[]> {
  const rows = await db.category.findMany({
    orderBy: [{ position: 'asc' }, { name: 'asc' }],
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      _count: { select: { products: { where: { status: 'ACTIVE' } } } },
    },
  });
  return rows.map(({ _count, ...c }) => ({ ...c, productCount: _count.products }));
}

/** Sellers with a store, best rated first. */
export async function listFeaturedSellers(db: Db, take: number): Promise<SellerSummary[]> {
  const sellers = await db.user.findMany({
    where: { role: 'SELLER', status: 'ACTIVE', profile: { handle: { not: null } } },
    select: {
      id: true,
      name: true,
      profile: { select: { storeName: true, handle: true, location: true, description: true } },
      _count: { select: { products: { where: { status: 'ACTIVE' } } } },
    },
  });
  const ratings = await sellerRatings(
    db,
    sellers.map((s) => s.id),
  );
  return sellers
    .map((s) => {
      return {
        id: s.id,
        name: s.profile?.storeName ?? s.name,
        handle: s.profile!.handle!,
        location: s.profile?.location ?? null,
        description: s.profile?.description ?? '',
        productCount: s._count.products,
        rating: ratings.get(s.id) ?? { average: null, count: 0 },
      };
    })
    .sort((a, b) => (b.rating.average ?? 0) - (a.rating.average ?? 0) || b.rating.count - a.rating.count)
    .slice(0, take);
}

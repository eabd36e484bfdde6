// Data for the pre-rendered category and store pages, the sitemap and the
// offline snapshot the grid falls back to.
import type { Db } from '../db.ts';
import { notFound } from '../http/errors.ts';
import type { ProductPage } from '../../shared/catalog-query.ts';
import type { CategorySummary, ProductCard, SellerSummary } from '../../shared/types.ts';
import { listCategories, listFeaturedSellers } from './home.ts';
import { loadCards } from './cards.ts';
import { searchProducts } from './search.ts';
import { ON_SALE } from './on-sale.ts';

/** The most products one snapshot file holds: keeps the fallback download small. */
export const SNAPSHOT_LIMIT = 1000;

export async function getCategoryPage(
  db: Db,
  slug: string,
): Promise<{ category: CategorySummary; first: ProductPage }> {
  const category = (await listCategories(db)).find((c) => c.slug === slug);
  if (!category) throw notFound('Category');
  const first = await searchProducts(db, { category: slug, limit: 24, inStock: false });
  return { category, first };
}

export async function listStores(db: Db): Promise<SellerSummary[]> {
  return listFeaturedSellers(db, Number.MAX_SAFE_INTEGER);
}

export async function getStorePage(db: Db, handle: string): Promise<{ store: SellerSummary; first: ProductPage }> {
  const store = (await listStores(db)).find((s) => s.handle === handle);
  if (!store) throw notFound('Store');
  const first = await searchProducts(db, { seller: handle, limit: 24, inStock: false });
  return { store, first };
}

export interface CatalogSnapshot {
  generatedAt: string;
  items: ProductCard[];
  /** True when the catalog had more than SNAPSHOT_LIMIT products and the rest were left out. */
  truncated: boolean;
}

/** Newest active products (optionally of one category), written to disk at build time. */
export async function buildSnapshot(db: Db, categorySlug?: string): Promise<CatalogSnapshot> {
  const where = {
    ...ON_SALE,
    ...(categorySlug ? { category: { slug: categorySlug } } : {}),
  };
  const items = await loadCards(db, where, { take: SNAPSHOT_LIMIT + 1 });
  return {
    generatedAt: new Date().toISOString(),
    items: items.slice(0, SNAPSHOT_LIMIT),
    truncated: items.length > SNAPSHOT_LIMIT,
  };
}

export interface SitemapEntry {
  path: string;
  lastmod?: string;
}

export async function listSitemapEntries(db: Db): Promise<SitemapEntry[]> {
  const [categories, stores, products] = await Promise.all([
    listCategories(db),
    listStores(db),
    db.product.findMany({
      where: ON_SALE,
      select: { slug: true, updatedAt: true },
      orderBy: { createdAt: 'asc' },
    }),
  ]);
  return [
    { path: '/' },
    { path: '/search' },
    ...categories.map((c) => ({ path: `/c/${c.slug}` })),
    ...stores.map((s) => ({ path: `/s/${s.handle}` })),
    ...products.map((p) => ({ path: `/p/${p.slug}`, lastmod: p.updatedAt.toISOString() })),
  ];
}

/** What the grid's filter form offers: every category and every store location. */
export async function getFilterOptions(
  db: Db,
): Promise<{ categories: { value: string; label: string }[]; locations: string[] }> {
  const [categories, stores] = await Promise.all([listCategories(db), listStores(db)]);
  return {
    categories: categories.map((c) => ({ value: c.slug, label: c.name })),
    locations: [...new Set(stores.map((s) => s.location).filter((l): l is string => !!l))].sort(),
  };
}

// The catalog query in the URL, without zod: islands import this, and the
// server validates strictly anyway (catalog-query.ts).
export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'rating'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 24;

export interface CatalogFilters {
  q?: string;
  category?: string;
  seller?: string;
  minPrice?: number;
  maxPrice?: number;
  location?: string;
  inStock?: boolean;
  sort?: ProductSort;
  cursor?: string;
  limit?: number;
}

/** Relevance only means something with a keyword; otherwise newest first. */
export function effectiveSort(q: { q?: string; sort?: ProductSort }): ProductSort {
  if (q.sort && !(q.sort === 'relevance' && !q.q)) return q.sort;
  return q.q ? 'relevance' : 'newest';
}

/** The query as URL parameters, without defaults, in a stable order (for sharing and caching). */
export function toSearchParams(q: CatalogFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.category) p.set('category', q.category);
  if (q.seller) p.set('seller', q.seller);
  if (q.minPrice !== undefined) p.set('minPrice', String(q.minPrice));
  if (q.maxPrice !== undefined) p.set('maxPrice', String(q.maxPrice));
  if (q.location) p.set('location', q.location);
  if (q.inStock) p.set('inStock', 'true');
  if (q.sort) p.set('sort', q.sort);
  if (q.cursor) p.set('cursor', q.cursor);
  if (q.limit !== undefined && q.limit !== DEFAULT_PAGE_SIZE) p.set('limit', String(q.limit));
  return p;
}

/** Lenient read of a page URL's filters: anything malformed is dropped, not an error. */
export function readFilters(params: URLSearchParams): CatalogFilters {
  const f: CatalogFilters = {};
  const str = (k: string, max: number) => {
    const v = params.get(k)?.trim();
    return v && v.length <= max ? v : undefined;
  };
  const int = (k: string) => {
    const v = params.get(k);
    return v && /^\d{1,9}$/.test(v) ? Number(v) : undefined;
  };
  f.q = str('q', 100);
  const category = str('category', 100);
  if (category && /^[a-z0-9-]+$/.test(category)) f.category = category;
  const seller = str('seller', 100);
  if (seller && /^[a-z0-9-]+$/.test(seller)) f.seller = seller;
  f.minPrice = int('minPrice');
  f.maxPrice = int('maxPrice');
  f.location = str('location', 60);
  if (params.get('inStock') === 'true') f.inStock = true;
  const sort = params.get('sort');
  if ((PRODUCT_SORTS as readonly string[]).includes(sort ?? '')) f.sort = sort as ProductSort;
  for (const k of Object.keys(f) as (keyof CatalogFilters)[]) if (f[k] === undefined) delete f[k];
  return f;
}

// The browse/search query: one schema for GET /api/products, the /search page
// and the grid island, so a filtered view has one URL everywhere.
import { z } from 'zod';
import type { ImageRef } from './images.ts';
import type { ProductCard, RatingSummary } from './types.ts';

export const PRODUCT_SORTS = ['relevance', 'newest', 'price_asc', 'price_desc', 'rating'] as const;
export type ProductSort = (typeof PRODUCT_SORTS)[number];
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 24;

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,99}$/, 'must be a lowercase slug');
/** Whole shillings in the URL (people share ?maxPrice=20000); minor units inside. */
const shillings = z.coerce.number().int('must be whole shillings').min(0).max(100_000_000);

export const productQuerySchema = z
  .object({
    q: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(100).optional()),
    category: z.preprocess(emptyToUndefined, slug.optional()),
    seller: z.preprocess(emptyToUndefined, slug.optional()),
    minPrice: z.preprocess(emptyToUndefined, shillings.optional()),
    maxPrice: z.preprocess(emptyToUndefined, shillings.optional()),
    location: z.preprocess(emptyToUndefined, z.string().trim().min(1).max(60).optional()),
    inStock: z.preprocess(emptyToUndefined, z.enum(['true', 'false']).optional()).transform((v) => v === 'true'),
    sort: z.preprocess(emptyToUndefined, z.enum(PRODUCT_SORTS).optional()),
    cursor: z.preprocess(emptyToUndefined, z.string().max(500).optional()),
    limit: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE)),
  })
  .strict()
  .refine((v) => v.minPrice === undefined || v.maxPrice === undefined || v.minPrice <= v.maxPrice, {
    path: ['maxPrice'],
    message: 'must not be below minPrice',
  });

export type ProductQuery = z.infer<typeof productQuerySchema>;

/** Relevance only means something with a keyword; otherwise newest first. */
export function effectiveSort(q: Pick<ProductQuery, 'q' | 'sort'>): ProductSort {
  if (q.sort && !(q.sort === 'relevance' && !q.q)) return q.sort;
  return q.q ? 'relevance' : 'newest';
}

/** The query as URL parameters, without defaults, in a stable order (for sharing and caching). */
export function toSearchParams(q: Partial<ProductQuery>): URLSearchParams {
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

export interface ProductPage {
  items: ProductCard[];
  nextCursor: string | null;
}

export interface ProductDetail extends ProductCard {
  description: string;
  status: 'ACTIVE';
  images: ImageRef[];
  seller: ProductCard['seller'] & { description: string };
  rating: RatingSummary;
  createdAt: string;
  updatedAt: string;
}

// The browse/search query: one schema for GET /api/products, the /search page
// and the grid island, so a filtered view has one URL everywhere.
import { z } from './zod.ts';
import type { ImageRef } from './images.ts';
import type { ProductCard, RatingSummary } from './types.ts';

import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PRODUCT_SORTS } from './catalog-url.ts';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PRODUCT_SORTS, effectiveSort, toSearchParams } from './catalog-url.ts';
export type { ProductSort } from './catalog-url.ts';

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

// Shapes shared by pages, islands and API responses.
import type { ImageRef } from './images.ts';

export interface RatingSummary {
  average: number | null;
  count: number;
}

/** Everything a product card shows. */
export interface ProductCard {
  id: string;
  slug: string;
  title: string;
  price: number;
  stock: number;
  image: ImageRef | null;
  category: { slug: string; name: string };
  seller: { id: string; name: string; handle: string | null; location: string | null };
  rating: RatingSummary;
}

export interface CategorySummary {
  id: string;
  slug: string;
  name: string;
  description: string;
  productCount: number;
}

export interface SellerSummary {
  id: string;
  name: string;
  handle: string;
  location: string | null;
  description: string;
  productCount: number;
  rating: RatingSummary;
}

// schema.org JSON-LD for product pages and breadcrumbs. Isomorphic and pure,
// so tests can check exactly what crawlers get.
import type { ProductDetail } from './catalog-query.ts';
import { imageUrl } from './images.ts';
import { toDecimal } from './money.ts';

export interface Crumb {
  name: string;
  path: string;
}

export function breadcrumbJsonLd(site: string, crumbs: Crumb[]): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: crumbs.map((c, i) => ({
      '@type': 'ListItem',
      position: i + 1,
      name: c.name,
      item: new URL(c.path, site).href,
    })),
  };
}

export function productJsonLd(site: string, p: ProductDetail): Record<string, unknown> {
  const url = new URL(`/p/${p.slug}`, site).href;
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Product',
    name: p.title,
    description: p.description,
    sku: p.id,
    image: p.images.map((img) => new URL(imageUrl(img, 1280, 'jpeg'), site).href),
    category: p.category.name,
    brand: { '@type': 'Brand', name: p.seller.name },
    offers: {
      '@type': 'Offer',
      url,
      price: toDecimal(p.price),
      priceCurrency: 'KES',
      availability: p.stock > 0 ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      itemCondition: 'https://schema.org/NewCondition',
      seller: { '@type': 'Organization', name: p.seller.name },
    },
  };
  if (p.rating.count > 0 && p.rating.average !== null) {
    ld.aggregateRating = {
      '@type': 'AggregateRating',
      ratingValue: p.rating.average,
      reviewCount: p.rating.count,
      bestRating: 5,
      worstRating: 1,
    };
  }
  return ld;
}

/** JSON safe inside a <script> element: no "</script>" or "<!--" can close it early. */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The "Ask on WhatsApp" message: names the product, its price and its URL. */
export function productEnquiry(title: string, priceText: string, url: string): string {
  return `Hello Soko Africa, I'm interested in "${title}" (${priceText}): ${url}`;
}

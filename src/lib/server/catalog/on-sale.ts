// On sale: an ACTIVE product of an ACTIVE seller (a suspended seller's products leave the
// storefront). One rule for the catalog, the cart quote, checkout and the photo listing.
// (Keyword search states it in its raw SQL, search.ts.)
import type { Prisma } from '../../../generated/prisma/client.ts';

export const ON_SALE = { status: 'ACTIVE', seller: { status: 'ACTIVE' } } as const satisfies Prisma.ProductWhereInput;

export function isOnSale(p: { status: string; seller: { status: string } }): boolean {
  return p.status === 'ACTIVE' && p.seller.status === 'ACTIVE';
}

// Cart limits and the quantity cap, without zod: the cart store and islands
// import these, and zod should not ship to the browser for them.
import type { ProductCard } from './types.ts';
import { imageUrl } from './images.ts';

export const MAX_QUANTITY = 99;
export const MAX_CART_LINES = 50;

/** The most of a product one cart line may hold. */
export const capQuantity = (quantity: number, stock: number): number =>
  Math.max(0, Math.min(Math.floor(quantity), stock, MAX_QUANTITY));

/** What the cart keeps about a product card when it is added. */
export function cartProductOf(p: ProductCard) {
  return {
    productId: p.id,
    slug: p.slug,
    title: p.title,
    price: p.price,
    stock: p.stock,
    imageUrl: p.image ? imageUrl(p.image, 160, 'jpeg') : null,
    sellerName: p.seller.name,
  };
}

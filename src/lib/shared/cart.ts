// The cart as the island keeps it (localStorage) and as the server quotes it.
import { z } from './zod.ts';
import { MAX_CART_LINES, capQuantity } from './cart-rules.ts';
import { ID_PATTERN } from './ids.ts';

export { capQuantity };

export interface CartLine {
  productId: string;
  slug: string;
  title: string;
  /** Price (KES minor units) when the shopper added it: compared with the quote. */
  price: number;
  /** Stock when last seen: quantities are capped at it. */
  stock: number;
  quantity: number;
  imageUrl: string | null;
  sellerName: string;
  addedAt: string;
}

export interface CartQuoteItem {
  productId: string;
  available: boolean;
  price: number | null;
  stock: number;
  title: string | null;
  slug: string | null;
}

export interface CartQuote {
  items: CartQuoteItem[];
}

export const cartQuoteSchema = z
  .object({
    productIds: z.array(z.string().regex(ID_PATTERN)).min(1).max(MAX_CART_LINES),
  })
  .strict();

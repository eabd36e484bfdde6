// POST /api/cart/quote { productIds }: current price, stock and availability
// of the products in a cart (public: the cart works signed out).
import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { readJson } from '../../../lib/server/http/request.ts';
import { quoteCart } from '../../../lib/server/orders/cart-quote.ts';
import { cartQuoteSchema } from '../../../lib/shared/cart.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ request }) => {
  const { productIds } = await readJson(request, cartQuoteSchema);
  return json(await quoteCart(getDb(), productIds));
});

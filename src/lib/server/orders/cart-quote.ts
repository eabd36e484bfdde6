// What a cart costs now: current price, stock and availability for the
// products in a shopper's cart, so the cart island can say what changed.
import type { Db } from '../db.ts';
import type { CartQuote } from '../../shared/cart.ts';
import { isOnSale } from '../catalog/on-sale.ts';

export async function quoteCart(db: Db, productIds: string[]): Promise<CartQuote> {
  const rows = await db.product.findMany({
    where: { id: { in: productIds } },
    select: {
      id: true,
      slug: true,
      title: true,
      price: true,
      stock: true,
      status: true,
      seller: { select: { status: true } },
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    items: productIds.map((id) => {
      const p = byId.get(id);
      if (!p) return { productId: id, available: false, price: null, stock: 0, title: null, slug: null };
      const available = isOnSale(p);
      return {
        productId: id,
        available,
        price: p.price,
        stock: available ? p.stock : 0,
        title: p.title,
        slug: p.slug,
      };
    }),
  };
}

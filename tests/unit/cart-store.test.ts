// The cart store's rules, run in Node (nanostores persistent falls back to memory without localStorage).
import { beforeEach, describe, expect, it } from 'vitest';
import {
  $cart,
  $cartCount,
  $cartTotal,
  addToCart,
  applyQuote,
  removeFromCart,
  setQuantity,
} from '../../src/stores/cart.ts';

const ring = {
  productId: 'ring00000001',
  slug: 'ring',
  title: 'Gold Ring',
  price: 1_000_000,
  stock: 3,
  imageUrl: null,
  sellerName: 'Amani',
};
const cuff = {
  productId: 'cuff00000001',
  slug: 'cuff',
  title: 'Cuff',
  price: 200_000,
  stock: 0,
  imageUrl: null,
  sellerName: 'Amani',
};

describe('cart store', () => {
  beforeEach(() => $cart.set([]));

  it('adds, merges, caps at stock and refuses sold-out items', () => {
    expect(addToCart(ring)).toBe('added');
    expect(addToCart(ring, 5)).toBe('capped');
    expect($cart.get()).toHaveLength(1);
    expect($cartCount.get()).toBe(3);
    expect($cartTotal.get()).toBe(3_000_000);
    expect(addToCart(cuff)).toBe('sold-out');
  });

  it('changes quantities and removes lines', () => {
    addToCart(ring, 2);
    setQuantity(ring.productId, 10);
    expect($cartCount.get()).toBe(3);
    setQuantity(ring.productId, 0);
    expect($cart.get()).toEqual([]);
    addToCart(ring);
    removeFromCart(ring.productId);
    expect($cart.get()).toEqual([]);
  });

  it('reports price and stock changes from a quote and takes the new figures', () => {
    addToCart(ring, 3);
    const changes = applyQuote({
      items: [
        { productId: ring.productId, available: true, price: 900_000, stock: 1, title: 'Gold Ring', slug: 'ring' },
      ],
    });
    expect(changes).toEqual([
      { productId: ring.productId, kind: 'price', before: 1_000_000, after: 900_000 },
      { productId: ring.productId, kind: 'stock', before: 3, after: 1 },
    ]);
    expect($cart.get()[0]).toMatchObject({ price: 900_000, stock: 1, quantity: 1 });
    expect(
      applyQuote({
        items: [{ productId: ring.productId, available: false, price: null, stock: 0, title: null, slug: null }],
      }),
    ).toEqual([{ productId: ring.productId, kind: 'unavailable', before: 1, after: 0 }]);
  });
});

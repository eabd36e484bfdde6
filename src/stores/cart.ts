// The cart: a nanostore persisted in localStorage (works signed out, survives
// reloads, syncs across tabs). Quantities are capped at the stock last seen.
import { persistentAtom } from '@nanostores/persistent';
import { computed } from 'nanostores';
import type { CartLine, CartQuote } from '../lib/shared/cart.ts';
import { MAX_CART_LINES, capQuantity } from '../lib/shared/cart-rules.ts';

function decode(raw: string): CartLine[] {
  try {
    const v = JSON.parse(raw) as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter(
      (l): l is CartLine =>
        typeof l === 'object' &&
        l !== null &&
        typeof l.productId === 'string' &&
        Number.isInteger(l.quantity) &&
        l.quantity > 0,
    );
  } catch {
    return [];
  }
}

export const $cart = persistentAtom<CartLine[]>('soko:cart', [], { encode: JSON.stringify, decode });

export const $cartCount = computed($cart, (lines) => lines.reduce((n, l) => n + l.quantity, 0));
export const $cartTotal = computed($cart, (lines) => lines.reduce((n, l) => n + l.price * l.quantity, 0));

export type AddResult = 'added' | 'capped' | 'sold-out' | 'full';

export function addToCart(item: Omit<CartLine, 'quantity' | 'addedAt'>, quantity = 1): AddResult {
  if (item.stock <= 0) return 'sold-out';
  const lines = $cart.get();
  const existing = lines.find((l) => l.productId === item.productId);
  if (!existing && lines.length >= MAX_CART_LINES) return 'full';
  const wanted = (existing?.quantity ?? 0) + quantity;
  const next = capQuantity(wanted, item.stock);
  const line: CartLine = {
    ...item,
    quantity: next,
    addedAt: existing?.addedAt ?? new Date().toISOString(),
    price: existing?.price ?? item.price,
  };
  $cart.set(existing ? lines.map((l) => (l.productId === item.productId ? line : l)) : [...lines, line]);
  return next < wanted ? 'capped' : 'added';
}

export function setQuantity(productId: string, quantity: number): void {
  $cart.set(
    $cart
      .get()
      .map((l) => (l.productId === productId ? { ...l, quantity: capQuantity(quantity, l.stock) } : l))
      .filter((l) => l.quantity > 0),
  );
}

export function removeFromCart(productId: string): void {
  $cart.set($cart.get().filter((l) => l.productId !== productId));
}

export function clearCart(): void {
  $cart.set([]);
}

export interface LineChange {
  productId: string;
  kind: 'price' | 'stock' | 'unavailable';
  before: number;
  after: number;
}

/**
 * Applies a server quote: records what changed since each item was added
 * (price, stock, availability), takes the new price and stock, caps quantities.
 */
export function applyQuote(quote: CartQuote): LineChange[] {
  const changes: LineChange[] = [];
  const byId = new Map(quote.items.map((q) => [q.productId, q]));
  const next: CartLine[] = [];
  for (const line of $cart.get()) {
    const q = byId.get(line.productId);
    if (!q) {
      next.push(line);
      continue;
    }
    if (!q.available || q.price === null) {
      changes.push({ productId: line.productId, kind: 'unavailable', before: line.quantity, after: 0 });
      next.push({ ...line, stock: 0, quantity: line.quantity });
      continue;
    }
    if (q.price !== line.price)
      changes.push({ productId: line.productId, kind: 'price', before: line.price, after: q.price });
    const capped = capQuantity(line.quantity, q.stock);
    if (capped < line.quantity)
      changes.push({ productId: line.productId, kind: 'stock', before: line.quantity, after: capped });
    next.push({
      ...line,
      price: q.price,
      stock: q.stock,
      title: q.title ?? line.title,
      slug: q.slug ?? line.slug,
      quantity: Math.max(capped, 0),
    });
  }
  $cart.set(next);
  return changes;
}

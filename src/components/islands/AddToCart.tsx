// Add a product to the cart (works signed out: the cart lives in localStorage).
// The full form (product page) has a quantity; the compact one (cards) adds one.
// Quantities are capped at the stock the page knows; the cart page re-checks.
import { useState } from 'react';
import type { CartLine } from '../../lib/shared/cart.ts';
import { addToCart } from '../../stores/cart.ts';
import { useHydrated } from './use-hydrated.ts';
import '../../styles/orders.css';

export type CartProduct = Omit<CartLine, 'quantity' | 'addedAt'>;

interface Props {
  product: CartProduct;
  compact?: boolean;
}

const MESSAGES = {
  added: (t: string) => `Added ${t} to your cart`,
  capped: (t: string) => `Your cart now holds all the ${t} in stock`,
  'sold-out': (t: string) => `${t} is sold out`,
  full: () => 'Your cart is full; check out or remove something first',
} as const;

export default function AddToCart({ product, compact = false }: Props) {
  const [quantity, setQuantity] = useState(1);
  const [message, setMessage] = useState('');
  // Disabled until hydrated: a click on the server-rendered button would do nothing.
  const ready = useHydrated();
  const soldOut = product.stock <= 0;
  const max = Math.min(product.stock, 99);

  function add() {
    const result = addToCart(product, compact ? 1 : quantity);
    setMessage(MESSAGES[result](product.title));
  }

  if (compact) {
    return (
      <span className="add-compact">
        <button
          type="button"
          className="btn btn-small"
          onClick={add}
          disabled={soldOut || !ready}
          aria-label={soldOut ? `${product.title} is sold out` : `Add ${product.title} to cart`}
          data-testid="add-to-cart-compact"
        >
          {soldOut ? 'Sold out' : 'Add to cart'}
        </button>
        <span className="sr-only" role="status" aria-live="polite">
          {message}
        </span>
      </span>
    );
  }
  return (
    <form
      className="add-to-cart"
      onSubmit={(e) => {
        e.preventDefault();
        add();
      }}
    >
      {!soldOut && (
        <label>
          Quantity{' '}
          <input
            type="number"
            inputMode="numeric"
            min={1}
            max={max}
            value={quantity}
            // Like the button: typing before hydration would be overwritten.
            disabled={!ready}
            onChange={(e) => setQuantity(Math.max(1, Math.min(max, Math.floor(Number(e.target.value) || 1))))}
            data-testid="add-quantity"
          />
        </label>
      )}
      <button type="submit" className="btn btn-gold" disabled={soldOut || !ready} data-testid="add-to-cart">
        {soldOut ? 'Sold out' : 'Add to cart'}
      </button>
      <p className="add-status" role="status" aria-live="polite" data-testid="add-status">
        {message}
        {message && !soldOut && (
          <>
            {' '}
            · <a href="/cart">View cart</a>
          </>
        )}
      </p>
    </form>
  );
}

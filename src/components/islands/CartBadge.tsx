// Header cart link with the number of items. The server renders the plain
// link; the count appears after hydration (the cart lives in localStorage).
import { useStore } from '@nanostores/react';
import { useEffect, useState } from 'react';
import { $cartCount } from '../../stores/cart.ts';
import '../../styles/orders.css';

export default function CartBadge() {
  const count = useStore($cartCount);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const n = mounted ? count : 0;
  return (
    <a href="/cart" className="cart-link" data-cart-link>
      Cart
      {n > 0 && (
        <span className="cart-badge" data-testid="cart-count">
          <span className="sr-only">, </span>
          {n}
          <span className="sr-only"> {n === 1 ? 'item' : 'items'}</span>
        </span>
      )}
    </a>
  );
}

// The cart page: lines with quantity controls and totals in KES, what changed
// since each item was added (from a fresh quote), and the checkout form.
// Signed-out shoppers are sent to sign in and come back; the cart stays in
// localStorage meanwhile. A checkout attempt keeps one Idempotency-Key, so a
// retry or a double click cannot place the orders twice.
import { useStore } from '@nanostores/react';
import { useEffect, useId, useRef, useState } from 'react';
import { callApi, fieldErrors, type ApiError } from '../../lib/shared/api-client.ts';
import type { CartQuote } from '../../lib/shared/cart.ts';
import { MAX_QUANTITY } from '../../lib/shared/cart-rules.ts';
import { KENYAN_COUNTIES, NAIROBI_NEIGHBOURHOODS } from '../../lib/shared/locations.ts';
import { formatKES } from '../../lib/shared/money.ts';
import type { CheckoutResult } from '../../lib/shared/orders.ts';
import { $cart, $cartTotal, applyQuote, clearCart, removeFromCart, setQuantity } from '../../stores/cart.ts';
import { $session, loadSession } from '../../stores/session.ts';
import '../../styles/orders.css';

interface ItemProblem {
  productId: string;
  message: string;
}

function describeChange(title: string, c: ReturnType<typeof applyQuote>[number]): string {
  if (c.kind === 'price')
    return `The price of ${title} changed from ${formatKES(c.before)} to ${formatKES(c.after)} since you added it.`;
  if (c.kind === 'stock')
    return c.after === 0
      ? `${title} is now sold out.`
      : `Only ${c.after} of ${title} left: your quantity went from ${c.before} to ${c.after}.`;
  return `${title} is no longer for sale; remove it to check out.`;
}

export default function CartPage() {
  const lines = useStore($cart);
  const total = useStore($cartTotal);
  const session = useStore($session);
  const [mounted, setMounted] = useState(false);
  const [notices, setNotices] = useState<string[]>([]);
  const [quoteState, setQuoteState] = useState<'idle' | 'checking' | 'done' | 'failed'>('idle');
  const [location_, setLocation] = useState('');
  const [phone, setPhone] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState('');
  const [submitting, setSubmitting] = useState(false);
  // One key per attempt at this exact cart: a retry reuses it, a changed cart gets a new one.
  const attempt = useRef<{ key: string; cart: string } | null>(null);
  const ids = useId();

  async function requote(): Promise<void> {
    const productIds = $cart.get().map((l) => l.productId);
    if (productIds.length === 0) return;
    setQuoteState('checking');
    const res = await callApi<CartQuote>('POST', '/api/cart/quote', { productIds });
    if (!res.ok) return setQuoteState('failed');
    const titles = new Map($cart.get().map((l) => [l.productId, l.title]));
    const changes = applyQuote(res.data);
    setNotices(changes.map((c) => describeChange(titles.get(c.productId) ?? 'An item', c)));
    setQuoteState('done');
  }

  useEffect(() => {
    setMounted(true);
    void requote();
  }, []);

  if (!mounted) return <p className="muted">Loading your cart…</p>;

  const unavailable = lines.filter((l) => l.stock <= 0);

  async function checkout(e: React.FormEvent) {
    e.preventDefault();
    if (submitting) return;
    setFormError('');
    setErrors({});
    let s = $session.get();
    if (s.status === 'loading') {
      await loadSession();
      s = $session.get();
    }
    if (s.status !== 'signed-in') {
      location.assign('/signin?next=%2Fcart');
      return;
    }
    const body = {
      items: $cart.get().map((l) => ({ productId: l.productId, quantity: l.quantity })),
      delivery: { location: location_, phone, ...(note.trim() ? { note: note.trim() } : {}) },
    };
    const cartKey = JSON.stringify(body);
    if (attempt.current?.cart !== cartKey) attempt.current = { key: crypto.randomUUID(), cart: cartKey };
    setSubmitting(true);
    const res = await callApi<CheckoutResult>('POST', '/api/orders', body, { 'Idempotency-Key': attempt.current.key });
    if (res.ok) {
      clearCart();
      location.assign(`/checkout/confirmation?ref=${encodeURIComponent(res.data.reference)}`);
      return;
    }
    setSubmitting(false);
    showError(res.status, res.error);
  }

  function showError(status: number, error: ApiError) {
    if (status === 401) {
      location.assign('/signin?next=%2Fcart');
      return;
    }
    if (status === 403) return setFormError('Only buyer accounts can place orders. Sign in with a buyer account.');
    if (status === 409) {
      const problems = (error.details as { items?: ItemProblem[] } | undefined)?.items ?? [];
      const titles = new Map($cart.get().map((l) => [l.productId, l.title]));
      setFormError(
        problems.length > 0
          ? problems.map((p) => p.message || titles.get(p.productId)).join(' ') + ' Your cart has been updated.'
          : error.message,
      );
      void requote();
      return;
    }
    const fields = fieldErrors(error);
    setErrors({
      location: fields['delivery.location'] ?? '',
      phone: fields['delivery.phone'] ?? '',
      note: fields['delivery.note'] ?? '',
    });
    setFormError(error.message);
  }

  if (lines.length === 0) {
    return (
      <section className="cart-empty" data-testid="cart-empty">
        <p>Your cart is empty.</p>
        <p>
          <a href="/" className="btn">
            Browse the marketplace
          </a>
        </p>
      </section>
    );
  }

  return (
    <div className="cart-layout">
      <section aria-labelledby={`${ids}-items`}>
        <h2 id={`${ids}-items`} className="sr-only">
          Items
        </h2>
        <div role="status" aria-live="polite" className="cart-notices" data-testid="cart-notices">
          {notices.length > 0 && (
            <ul>
              {notices.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {quoteState === 'failed' && <p>We could not check current prices and stock; they are checked at checkout.</p>}
        </div>
        <table className="cart-table">
          <caption className="sr-only">Your cart</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Price</th>
              <th scope="col">Quantity</th>
              <th scope="col">Total</th>
              <th scope="col">
                <span className="sr-only">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => {
              const qtyId = `${ids}-qty-${l.productId}`;
              const max = Math.min(l.stock, MAX_QUANTITY);
              return (
                <tr key={l.productId} data-testid="cart-line" data-product-id={l.productId}>
                  <th scope="row">
                    <a href={`/p/${l.slug}`}>{l.title}</a>
                    <br />
                    <small className="muted">{l.sellerName}</small>
                    {l.stock <= 0 && <p className="stock-out">No longer available</p>}
                  </th>
                  <td data-testid="line-price">{formatKES(l.price)}</td>
                  <td>
                    <label htmlFor={qtyId} className="sr-only">
                      Quantity of {l.title}
                    </label>
                    <span className="qty">
                      <button
                        type="button"
                        aria-label={`One less ${l.title}`}
                        onClick={() => setQuantity(l.productId, l.quantity - 1)}
                      >
                        −
                      </button>
                      <input
                        id={qtyId}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        max={Math.max(max, 1)}
                        value={l.quantity}
                        onChange={(e) => {
                          const n = Math.floor(Number(e.target.value));
                          if (n >= 1) setQuantity(l.productId, n);
                        }}
                        data-testid="line-quantity"
                      />
                      <button
                        type="button"
                        aria-label={`One more ${l.title}`}
                        disabled={l.quantity >= max}
                        onClick={() => setQuantity(l.productId, l.quantity + 1)}
                      >
                        +
                      </button>
                    </span>
                    {l.quantity >= max && max > 0 && <small className="muted"> {l.stock} in stock</small>}
                  </td>
                  <td data-testid="line-total">{formatKES(l.price * l.quantity)}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => removeFromCart(l.productId)}>
                      Remove<span className="sr-only"> {l.title}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                Total
              </th>
              <td data-testid="cart-total" colSpan={2}>
                <strong>{formatKES(total)}</strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </section>
      <section aria-labelledby={`${ids}-checkout`} className="checkout">
        <h2 id={`${ids}-checkout`}>Delivery and checkout</h2>
        <form onSubmit={checkout} noValidate data-testid="checkout-form">
          <div className="field">
            <label htmlFor={`${ids}-loc`}>Delivery area</label>
            <select
              id={`${ids}-loc`}
              value={location_}
              onChange={(e) => setLocation(e.target.value)}
              required
              aria-invalid={errors.location ? true : undefined}
              aria-describedby={errors.location ? `${ids}-loc-err` : undefined}
              data-testid="delivery-location"
            >
              <option value="">Choose a neighbourhood or county</option>
              <optgroup label="Nairobi">
                {NAIROBI_NEIGHBOURHOODS.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </optgroup>
              <optgroup label="Counties">
                {KENYAN_COUNTIES.map((n) => (
                  <option key={n}>{n}</option>
                ))}
              </optgroup>
            </select>
            {errors.location && (
              <p id={`${ids}-loc-err`} className="field-error">
                {errors.location}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-phone`}>Phone (M-Pesa / WhatsApp)</label>
            <input
              id={`${ids}-phone`}
              type="tel"
              autoComplete="tel"
              placeholder="0712345678"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              required
              aria-invalid={errors.phone ? true : undefined}
              aria-describedby={errors.phone ? `${ids}-phone-err` : `${ids}-phone-hint`}
              data-testid="delivery-phone"
            />
            <p id={`${ids}-phone-hint`} className="field-hint">
              A Kenyan mobile number, e.g. 0712345678 or +254712345678
            </p>
            {errors.phone && (
              <p id={`${ids}-phone-err`} className="field-error">
                {errors.phone}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-note`}>Note for the seller (optional)</label>
            <textarea
              id={`${ids}-note`}
              maxLength={500}
              rows={3}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="delivery-note"
            />
          </div>
          <div role="alert" data-testid="checkout-error">
            {formError && <p className="form-error">{formError}</p>}
          </div>
          {unavailable.length > 0 && (
            <p className="field-error">Remove the items that are no longer available to check out.</p>
          )}
          <button
            type="submit"
            className="btn btn-gold"
            disabled={submitting || unavailable.length > 0}
            aria-busy={submitting}
            data-testid="checkout-submit"
          >
            {session.status === 'signed-in'
              ? `Place order · ${formatKES(total)}`
              : session.status === 'anonymous'
                ? 'Sign in to check out'
                : 'Check out'}
          </button>
        </form>
      </section>
    </div>
  );
}

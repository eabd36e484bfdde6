// Price and stock on a product page: rendered from the build, then refreshed
// from the API. If the API cannot answer (database down, offline), the
// build-time values stay and a quiet note says they may be out of date.
import { useEffect, useState } from 'react';
import { formatKES } from '../../lib/shared/money.ts';

interface Props {
  productId: string;
  price: number;
  stock: number;
  /** When the build-time values were last true (the product's updatedAt). */
  builtAt: string;
}

type Live = { state: 'build' } | { state: 'live' } | { state: 'stale' } | { state: 'gone' };

export default function LiveOffer(props: Props) {
  const [offer, setOffer] = useState({ price: props.price, stock: props.stock });
  const [live, setLive] = useState<Live>({ state: 'build' });

  useEffect(() => {
    const ctl = new AbortController();
    fetch(`/api/products/${encodeURIComponent(props.productId)}`, {
      signal: ctl.signal,
      headers: { Accept: 'application/json' },
    })
      .then(async (res) => {
        if (res.status === 404 || res.status === 410) return setLive({ state: 'gone' });
        if (!res.ok) throw new Error(String(res.status));
        const p = (await res.json()) as { price: number; stock: number };
        setOffer({ price: p.price, stock: p.stock });
        setLive({ state: 'live' });
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setLive({ state: 'stale' });
      });
    return () => ctl.abort();
  }, [props.productId]);

  const stockText =
    live.state === 'gone'
      ? 'No longer available'
      : offer.stock === 0
        ? 'Sold out'
        : offer.stock <= 3
          ? `Only ${offer.stock} left`
          : 'In stock';
  return (
    <div className="offer" data-live={live.state}>
      <p className="offer-price price" data-testid="price">
        {formatKES(offer.price)}
      </p>
      <p
        className={offer.stock === 0 || live.state === 'gone' ? 'stock stock-out' : 'stock stock-in'}
        data-testid="stock"
      >
        {stockText}
      </p>
      {live.state === 'stale' && (
        <p className="offline-note" role="status" data-testid="offline-note">
          Live stock is unavailable right now; showing the catalog as of{' '}
          {new Date(props.builtAt).toLocaleDateString('en-KE', { dateStyle: 'medium' })}.
        </p>
      )}
    </div>
  );
}

// "More reviews" under the pre-rendered first page of a product's reviews:
// loads the next pages, newest first, from GET /api/products/{id}/reviews.
import { useState } from 'react';
import { callApi } from '../../lib/shared/api-client.ts';

interface Review {
  id: string;
  rating: number;
  body: string;
  author: string;
  createdAt: string;
}

const PAGE = 20;
const dateFmt = new Intl.DateTimeFormat('en-KE', { dateStyle: 'medium', timeZone: 'Africa/Nairobi' });

export default function MoreReviews({ productId, cursor }: { productId: string; cursor: string }) {
  const [items, setItems] = useState<Review[]>([]);
  const [next, setNext] = useState<string | null>(cursor);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  async function load() {
    if (!next) return;
    setBusy(true);
    setError('');
    const res = await callApi<{ items: Review[]; nextCursor: string | null }>(
      'GET',
      `/api/products/${encodeURIComponent(productId)}/reviews?cursor=${encodeURIComponent(next)}&limit=${PAGE}`,
    );
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setItems((list) => [...list, ...res.data.items]);
    setNext(res.data.nextCursor);
  }

  return (
    <div className="reviews-more" data-testid="more-reviews">
      {items.length > 0 && (
        <ul className="reviews">
          {items.map((r) => (
            <li key={r.id}>
              <p>
                <span className="stars" role="img" aria-label={`${r.rating} out of 5`}>
                  {'★'.repeat(r.rating)}
                  {'☆'.repeat(5 - r.rating)}
                </span>{' '}
                {r.author} · <time dateTime={r.createdAt}>{dateFmt.format(new Date(r.createdAt))}</time>
              </p>
              {r.body && <p>{r.body}</p>}
            </li>
          ))}
        </ul>
      )}
      <p aria-live="polite" className="sr-only">
        {items.length > 0 ? `${items.length} more reviews shown` : ''}
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {next && (
        <button className="btn btn-small" type="button" onClick={() => void load()} disabled={busy}>
          {busy ? 'Loading…' : 'More reviews'}
        </button>
      )}
    </div>
  );
}

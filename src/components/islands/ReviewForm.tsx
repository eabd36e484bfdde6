// "Write a review" on product pages, for signed-in buyers. The server decides
// eligibility (a delivered order of this product); its refusal is shown as is.
import { useState, type FormEvent } from 'react';
import { useStore } from '@nanostores/react';
import { callApi, fieldErrors } from '../../lib/shared/api-client.ts';
import { $session } from '../../stores/session.ts';

export default function ReviewForm({ productId }: { productId: string }) {
  const session = useStore($session);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // AccountMenu loads the session; only buyers can review.
  if (session.status !== 'signed-in' || session.user.role !== 'BUYER') return null;

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setBusy(true);
    const res = await callApi('POST', `/api/products/${encodeURIComponent(productId)}/reviews`, {
      rating: Number(f.get('rating') ?? 0),
      body: String(f.get('body') ?? ''),
    });
    setBusy(false);
    if (res.ok) {
      setErrors({});
      setMessage({
        ok: true,
        text: res.status === 201 ? 'Thank you: your review is saved.' : 'Your review is updated.',
      });
      return;
    }
    const errs = fieldErrors(res.error);
    setErrors(errs);
    setMessage(Object.keys(errs).length ? null : { ok: false, text: res.error.message });
  }

  return (
    <details className="review-form">
      <summary>Write a review</summary>
      <form className="auth-form" onSubmit={submit} noValidate data-testid="review-form">
        <fieldset aria-invalid={errors.rating ? true : undefined}>
          <legend>Your rating</legend>
          {[5, 4, 3, 2, 1].map((n) => (
            <label key={n} className="check">
              <input type="radio" name="rating" value={n} required /> {n} star{n === 1 ? '' : 's'}
            </label>
          ))}
        </fieldset>
        {errors.rating && <p className="field-error">Choose a rating from 1 to 5</p>}
        <label>
          Your review (optional)
          <textarea name="body" rows={4} maxLength={2000} aria-invalid={errors.body ? true : undefined} />
        </label>
        {errors.body && <p className="field-error">Review {errors.body}</p>}
        <button className="btn" type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Post review'}
        </button>
        <p role="status" aria-live="polite" className={message?.ok ? 'form-ok' : 'form-error-inline'}>
          {message?.text}
        </p>
      </form>
    </details>
  );
}

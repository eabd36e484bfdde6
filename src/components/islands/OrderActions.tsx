// Status buttons on an order page: only the transitions the server allows
// this viewer. After a change the page reloads to show the new state and history.
import { useEffect, useState } from 'react';
import { callApi } from '../../lib/shared/api-client.ts';
import type { OrderStatus } from '../../lib/shared/orders.ts';
import '../../styles/orders.css';

const LABELS: Record<OrderStatus, string> = {
  PENDING: 'Reopen',
  CONFIRMED: 'Confirm order',
  SHIPPED: 'Mark as shipped',
  DELIVERED: 'Mark as delivered',
  CANCELLED: 'Cancel order',
};

export default function OrderActions({ orderId, allowed }: { orderId: string; allowed: OrderStatus[] }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [note, setNote] = useState('');
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  async function move(status: OrderStatus) {
    setBusy(true);
    setMessage('');
    const res = await callApi('PATCH', `/api/orders/${encodeURIComponent(orderId)}/status`, {
      status,
      ...(note.trim() ? { note: note.trim() } : {}),
    });
    if (res.ok) {
      setMessage('Saved; updating…');
      location.reload();
      return;
    }
    setBusy(false);
    setMessage(res.error.message);
  }

  return (
    <section className="order-actions" aria-label="Change status">
      <label>
        Note (optional) <input type="text" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="order-action-buttons">
        {allowed.map((s) => (
          <button
            key={s}
            type="button"
            className={s === 'CANCELLED' ? 'btn btn-danger' : 'btn'}
            disabled={busy || !ready}
            onClick={() => move(s)}
            data-testid={`status-${s.toLowerCase()}`}
          >
            {LABELS[s]}
          </button>
        ))}
      </div>
      <p role="status" aria-live="polite" data-testid="status-message">
        {message}
      </p>
    </section>
  );
}

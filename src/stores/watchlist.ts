// Which products the signed-in shopper watches, for every heart button on a
// page: loaded once (only when the session hint cookie exists), changed
// optimistically and rolled back when the server refuses.
import { atom } from 'nanostores';
import { callApi, type ApiError } from '../lib/shared/api-client.ts';
import { SESSION_HINT_COOKIE } from '../lib/shared/session-links.ts';

export type WatchState =
  { status: 'loading' } | { status: 'anonymous' } | { status: 'ready'; ids: ReadonlySet<string> };

export const $watchlist = atom<WatchState>({ status: 'loading' });

let loading: Promise<void> | null = null;

const hasHint = () => document.cookie.split(';').some((c) => c.trim().startsWith(`${SESSION_HINT_COOKIE}=`));

/** Loads the watched ids once per page, however many buttons ask. */
export function loadWatchlist(): Promise<void> {
  loading ??= (async () => {
    if (!hasHint()) return $watchlist.set({ status: 'anonymous' });
    const res = await callApi<{ items: { product: { id: string } }[] }>('GET', '/api/watchlist');
    $watchlist.set(
      res.ok ? { status: 'ready', ids: new Set(res.data.items.map((i) => i.product.id)) } : { status: 'anonymous' },
    );
  })();
  return loading;
}

function withId(id: string, on: boolean): void {
  const s = $watchlist.get();
  const ids = new Set(s.status === 'ready' ? s.ids : []);
  if (on) ids.add(id);
  else ids.delete(id);
  $watchlist.set({ status: 'ready', ids });
}

/** Flips one product at once in the store, then asks the server; on failure restores it and returns the error. */
export async function toggleWatch(productId: string, on: boolean): Promise<ApiError | null> {
  withId(productId, on);
  const res = on
    ? await callApi('POST', '/api/watchlist', { productId })
    : await callApi('DELETE', `/api/watchlist/${encodeURIComponent(productId)}`);
  if (res.ok) return null;
  withId(productId, !on);
  if (res.status === 401) $watchlist.set({ status: 'anonymous' });
  return res.error;
}

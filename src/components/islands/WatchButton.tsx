// Heart button: watch or unwatch a product without a page reload. Optimistic;
// rolled back (with a message) when the server refuses. Signed-out shoppers
// are sent to sign in and come back to this page.
import { useStore } from '@nanostores/react';
import { useEffect, useState } from 'react';
import { signInPath } from '../../lib/shared/session-links.ts';
import { $watchlist, loadWatchlist, toggleWatch } from '../../stores/watchlist.ts';
import '../../styles/orders.css';

interface Props {
  productId: string;
  title: string;
  compact?: boolean;
}

export default function WatchButton({ productId, title, compact = false }: Props) {
  const state = useStore($watchlist);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void loadWatchlist();
  }, []);
  const watching = state.status === 'ready' && state.ids.has(productId);

  async function onClick() {
    if (state.status === 'anonymous') {
      location.assign(signInPath(location.pathname + location.search));
      return;
    }
    if (state.status !== 'ready' || busy) return;
    setBusy(true);
    setMessage('');
    const error = await toggleWatch(productId, !watching);
    setBusy(false);
    if (error) setMessage(error.code === 'UNAUTHENTICATED' ? 'Sign in to use your watchlist' : error.message);
    else setMessage(watching ? `Removed from your watchlist` : `Added to your watchlist`);
  }

  return (
    <span className={compact ? 'watch watch-compact' : 'watch'}>
      <button
        type="button"
        className="watch-button"
        aria-pressed={watching}
        aria-label={`Watch ${title}`}
        aria-busy={state.status === 'loading' || busy}
        onClick={onClick}
        data-testid="watch-button"
        data-watching={watching ? 'true' : 'false'}
      >
        <span aria-hidden="true">{watching ? '♥' : '♡'}</span>
        {!compact && <span>{watching ? ' Watching' : ' Watch'}</span>}
      </button>
      <span className={compact ? 'sr-only' : 'watch-status'} role="status" aria-live="polite">
        {message}
      </span>
    </span>
  );
}

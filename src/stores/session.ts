// Who is signed in, for islands. Filled from GET /api/auth/me only when the
// hint cookie says a session exists, so anonymous page views make no request.
import { atom } from 'nanostores';
import { callApi } from '../lib/shared/api-client.ts';
import { SESSION_HINT_COOKIE } from '../lib/shared/session-links.ts';
import type { PublicUser } from '../lib/shared/auth.ts';

export type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'signed-in'; user: PublicUser };

export const $session = atom<SessionState>({ status: 'loading' });

const hasHint = () => document.cookie.split(';').some((c) => c.trim().startsWith(`${SESSION_HINT_COOKIE}=`));

export async function loadSession(): Promise<void> {
  if (!hasHint()) {
    $session.set({ status: 'anonymous' });
    return;
  }
  const res = await callApi<{ user: PublicUser }>('GET', '/api/auth/me');
  $session.set(res.ok ? { status: 'signed-in', user: res.data.user } : { status: 'anonymous' });
}

export async function signOut(): Promise<void> {
  await callApi('POST', '/api/auth/logout', {});
  $session.set({ status: 'anonymous' });
}

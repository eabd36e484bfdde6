// Header account menu: "Sign in" for visitors, the user's name with a menu
// (account, store, admin, sign out) for a signed-in user.
import { useStore } from '@nanostores/react';
import { useEffect, useId, useRef, useState } from 'react';
import { signInPath } from '../../lib/shared/session-links.ts';
import { $session, loadSession, signOut } from '../../stores/session.ts';

export default function AccountMenu() {
  const session = useStore($session);
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  // Set after hydration so the server-rendered link and the first client render match.
  const [here, setHere] = useState('/');

  useEffect(() => {
    setHere(location.pathname + location.search);
    void loadSession();
  }, []);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('click', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('click', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  if (session.status !== 'signed-in') {
    return (
      <a href={signInPath(here)} data-account-link aria-busy={session.status === 'loading'}>
        Sign in
      </a>
    );
  }
  const { user } = session;
  return (
    <div className="account-menu" ref={root}>
      <button
        type="button"
        className="account-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        data-testid="account-button"
      >
        {user.name.split(' ')[0]}
        <span className="sr-only"> (signed in as {user.role.toLowerCase()}), account menu</span>
      </button>
      {open && (
        <ul id={menuId} className="account-dropdown">
          <li className="account-who">
            {user.name}
            <br />
            <small>{user.email}</small>
          </li>
          <li>
            <a href="/account">Your account</a>
          </li>
          {(user.role === 'SELLER' || user.role === 'ADMIN') && (
            <li>
              <a href="/sell">Your store</a>
            </li>
          )}
          {user.role === 'ADMIN' && (
            <li>
              <a href="/admin">Admin</a>
            </li>
          )}
          <li>
            <button
              type="button"
              onClick={async () => {
                await signOut();
                location.assign('/');
              }}
            >
              Sign out
            </button>
          </li>
        </ul>
      )}
    </div>
  );
}

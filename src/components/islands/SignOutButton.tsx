// Sign out: clears the session cookie (POST /api/auth/logout), then home.
import { useState } from 'react';
import { signOut } from '../../stores/session.ts';

export default function SignOutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="btn"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await signOut();
        location.assign('/');
      }}
    >
      Sign out
    </button>
  );
}

// Sign-in form: posts to /api/auth/login, shows errors inline, then returns
// to the page the visitor came from (?next=, same-site paths only).
import { useEffect, useState, type FormEvent } from 'react';
import { callApi } from '../../lib/shared/api-client.ts';
import type { PublicUser } from '../../lib/shared/auth.ts';
import { safeNextPath } from '../../lib/shared/session-links.ts';

export default function SignInForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [next, setNext] = useState('/');
  useEffect(() => setNext(safeNextPath(new URLSearchParams(location.search).get('next'))), []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    const res = await callApi<{ user: PublicUser }>('POST', '/api/auth/login', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.error.message);
      return;
    }
    location.assign(next);
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate data-testid="signin-form">
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required maxLength={254} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button className="btn" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      <p>
        New to Soko?{' '}
        <a href={next === '/' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`}>Create an account</a>
      </p>
    </form>
  );
}

// Sign-up form with a "sell on Soko" option. Checks the same schema as the
// server before sending, shows each field's error next to it, then signs the
// new user in: sellers go to their store page, buyers back where they came from.
import { useEffect, useState, type FormEvent } from 'react';
import { callApi, fieldErrors } from '../../lib/shared/api-client.ts';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS, registerInput, type PublicUser } from '../../lib/shared/auth.ts';
import { safeNextPath } from '../../lib/shared/session-links.ts';

type Errors = Record<string, string>;

export default function SignUpForm() {
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [seller, setSeller] = useState(false);
  const [next, setNext] = useState('/');
  useEffect(() => {
    const q = new URLSearchParams(location.search);
    setNext(safeNextPath(q.get('next')));
    if (q.get('role') === 'seller') setSeller(true);
  }, []);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = {
      name: String(form.get('name') ?? ''),
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      role: seller ? 'SELLER' : 'BUYER',
    };
    setFormError(null);
    const local = registerInput.safeParse(body);
    if (!local.success) {
      const errs: Errors = {};
      for (const i of local.error.issues) errs[String(i.path[0])] ??= i.message;
      setErrors(errs);
      return;
    }
    setErrors({});
    setBusy(true);
    const res = await callApi<{ user: PublicUser }>('POST', '/api/auth/register', body);
    if (!res.ok) {
      setBusy(false);
      const errs = fieldErrors(res.error);
      setErrors(errs);
      if (Object.keys(errs).length === 0 || res.status === 409) setFormError(res.error.message);
      return;
    }
    const login = await callApi('POST', '/api/auth/login', { email: body.email, password: body.password });
    if (!login.ok) {
      setBusy(false);
      setFormError('Your account was created; please sign in.');
      return;
    }
    location.assign(seller && next === '/' ? '/sell' : next);
  }

  const describe = (field: string) => (errors[field] ? `${field}-error` : undefined);
  return (
    <form className="auth-form" onSubmit={submit} noValidate data-testid="signup-form">
      {formError && (
        <p className="form-error" role="alert">
          {formError} {formError.includes('sign in') && <a href="/signin">Sign in</a>}
        </p>
      )}
      <label>
        Your name
        <input
          name="name"
          autoComplete="name"
          required
          maxLength={100}
          aria-invalid={!!errors.name}
          aria-describedby={describe('name')}
        />
      </label>
      {errors.name && (
        <p id="name-error" className="field-error">
          Name {errors.name}
        </p>
      )}
      <label>
        Email
        <input
          name="email"
          type="email"
          autoComplete="email"
          required
          aria-invalid={!!errors.email}
          aria-describedby={describe('email')}
        />
      </label>
      {errors.email && (
        <p id="email-error" className="field-error">
          Email {errors.email}
        </p>
      )}
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!errors.password}
          aria-describedby={describe('password') ?? 'password-hint'}
        />
      </label>
      {errors.password ? (
        <p id="password-error" className="field-error">
          Password {errors.password}
        </p>
      ) : (
        <p id="password-hint" className="field-hint">
          At least {PASSWORD_MIN_CHARS} characters (up to {PASSWORD_MAX_BYTES} bytes). A long phrase is best; common
          passwords are refused.
        </p>
      )}
      <label className="check">
        <input type="checkbox" name="seller" checked={seller} onChange={(e) => setSeller(e.target.checked)} />I want to
        sell on Soko (you will set up your store next)
      </label>
      <button className="btn" type="submit" disabled={busy}>
        {busy ? 'Creating your account…' : seller ? 'Create seller account' : 'Create account'}
      </button>
      <p>
        Already have an account?{' '}
        <a href={next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`}>Sign in</a>
      </p>
    </form>
  );
}

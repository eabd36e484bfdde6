// Change password on /account: requires the current password. Other sessions
// of this user end (the server bumps the token version); this one continues.
import { useState, type FormEvent } from 'react';
import { callApi, fieldErrors } from '../../lib/shared/api-client.ts';

export default function ChangePasswordForm() {
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const el = e.currentTarget;
    const form = new FormData(el);
    setBusy(true);
    setMessage(null);
    const res = await callApi('POST', '/api/auth/password', {
      currentPassword: String(form.get('currentPassword') ?? ''),
      newPassword: String(form.get('newPassword') ?? ''),
    });
    setBusy(false);
    if (!res.ok) {
      const errs = fieldErrors(res.error);
      setErrors(errs);
      if (Object.keys(errs).length === 0) setMessage({ ok: false, text: res.error.message });
      return;
    }
    el.reset();
    setErrors({});
    setMessage({ ok: true, text: 'Password changed. You have been signed out everywhere else.' });
  }

  return (
    <form className="auth-form" onSubmit={submit} noValidate data-testid="password-form">
      {message && (
        <p className={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      <label>
        Current password
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          aria-invalid={!!errors.currentPassword}
        />
      </label>
      {errors.currentPassword && <p className="field-error">Current password {errors.currentPassword}</p>}
      <label>
        New password
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={!!errors.newPassword}
        />
      </label>
      {errors.newPassword && <p className="field-error">New password {errors.newPassword}</p>}
      <button className="btn" type="submit" disabled={busy}>
        {busy ? 'Saving…' : 'Change password'}
      </button>
    </form>
  );
}

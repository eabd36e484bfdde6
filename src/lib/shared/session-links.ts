// Session bits islands need without pulling in zod: the hint cookie's name
// and safe return paths for sign-in redirects.

/** Name of the non-HttpOnly cookie that only says "a session exists", so islands can skip /api/auth/me. */
export const SESSION_HINT_COOKIE = 'soko_signed_in';

/**
 * A same-site path to return to after signing in, or '/' for anything else
 * (absolute URLs, protocol-relative '//evil', backslashes), so `next` can never
 * become an open redirect.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  try {
    const u = new URL(next, 'http://soko.invalid');
    if (u.origin !== 'http://soko.invalid') return '/';
    return u.pathname + u.search + u.hash;
  } catch {
    return '/';
  }
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInPath(path: string): string {
  const next = safeNextPath(path);
  return next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
}

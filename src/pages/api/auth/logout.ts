import type { APIRoute } from 'astro';
import { clearSessionCookies } from '../../../lib/server/auth/session.ts';
import { getEnv } from '../../../lib/server/env.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';

export const prerender = false;

// POST only: signing out is a state change, never a GET a link or image could trigger.
export const POST: APIRoute = handle(({ cookies }) => {
  clearSessionCookies(cookies, getEnv().isProduction);
  return json({ signedOut: true });
});

import type { APIRoute } from 'astro';
import { changePasswordInput } from '../../../lib/shared/auth.ts';
import { changePassword, isWrongCurrentPassword } from '../../../lib/server/auth/accounts.ts';
import { setSessionCookies } from '../../../lib/server/auth/session.ts';
import { signSessionToken } from '../../../lib/server/auth/tokens.ts';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { getAuthRateLimiter } from '../../../lib/server/auth/rate-limit.ts';
import { getDb } from '../../../lib/server/db.ts';
import { getEnv } from '../../../lib/server/env.ts';
import { clientIp } from '../../../lib/server/http/client-ip.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { readJson } from '../../../lib/server/http/request.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ request, locals, cookies, clientAddress }) => {
  const db = getDb();
  const current = await requireActiveUser(db, locals);
  const input = await readJson(request, changePasswordInput);
  // A hijacked session must not become a way to guess the current password.
  const ip = clientIp(request, clientAddress, getEnv().TRUST_PROXY);
  const limiter = getAuthRateLimiter();
  await limiter.consumeLoginAttempt(ip, current.email);
  let user;
  try {
    user = await changePassword(db, current.id, input);
  } catch (err) {
    // Only a wrong current password counts as a failed guess.
    if (!isWrongCurrentPassword(err)) await limiter.refundLoginAttempt(ip, current.email);
    throw err;
  }
  await limiter.recordLoginSuccess(ip, current.email);
  // Every older token is now revoked; this session continues with a fresh one.
  const token = await signSessionToken(user);
  setSessionCookies(cookies, token, getEnv().isProduction);
  return json({ user: { id: user.id, email: user.email, name: user.name, role: user.role }, token });
});

import type { APIRoute } from 'astro';
import { loginInput } from '../../../lib/shared/auth.ts';
import { authenticate } from '../../../lib/server/auth/accounts.ts';
import { getAuthRateLimiter } from '../../../lib/server/auth/rate-limit.ts';
import { setSessionCookies } from '../../../lib/server/auth/session.ts';
import { signSessionToken } from '../../../lib/server/auth/tokens.ts';
import { getDb } from '../../../lib/server/db.ts';
import { getEnv } from '../../../lib/server/env.ts';
import { clientIp } from '../../../lib/server/http/client-ip.ts';
import { AppError, handle, json } from '../../../lib/server/http/errors.ts';
import { readJson } from '../../../lib/server/http/request.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ request, clientAddress, cookies }) => {
  const input = await readJson(request, loginInput);
  const env = getEnv();
  const ip = clientIp(request, clientAddress, env.TRUST_PROXY);
  const limiter = getAuthRateLimiter();
  await limiter.consumeLoginAttempt(ip, input.email);
  let user;
  try {
    user = await authenticate(getDb(), input);
  } catch (err) {
    // Wrong credentials keep the attempt as a failure; anything else (database down...) gives it back.
    if (!(err instanceof AppError && err.code === 'UNAUTHENTICATED')) await limiter.refundLoginAttempt(ip, input.email);
    throw err;
  }
  await limiter.recordLoginSuccess(ip, input.email);
  const token = await signSessionToken(user);
  setSessionCookies(cookies, token, env.isProduction);
  return json({ user: { id: user.id, email: user.email, name: user.name, role: user.role }, token });
});

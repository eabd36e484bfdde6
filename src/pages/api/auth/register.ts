import type { APIRoute } from 'astro';
import { registerInput } from '../../../lib/shared/auth.ts';
import { registerUser } from '../../../lib/server/auth/accounts.ts';
import { getAuthRateLimiter } from '../../../lib/server/auth/rate-limit.ts';
import { getDb } from '../../../lib/server/db.ts';
import { getEnv } from '../../../lib/server/env.ts';
import { clientIp } from '../../../lib/server/http/client-ip.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';
import { readJson } from '../../../lib/server/http/request.ts';

export const prerender = false;

export const POST: APIRoute = handle(async ({ request, clientAddress }) => {
  const input = await readJson(request, registerInput);
  await getAuthRateLimiter().consumeRegistration(clientIp(request, clientAddress, getEnv().TRUST_PROXY), input.email);
  const user = await registerUser(getDb(), input);
  return json({ user }, { status: 201 });
});

// Runs on every on-demand request: the session (JWT from the cookie or a
// Bearer header, verified statelessly into Astro.locals.user), security
// headers, JSON errors under /api and a plain error page elsewhere.
// (Pre-rendered pages are static files; their headers come from the server in
// front of them, see server.mjs and netlify.toml, and their CSP from the meta
// tag Astro's security.csp writes.)
import { defineMiddleware } from 'astro:middleware';
import { sessionFromRequest } from './lib/server/auth/session.ts';
import { getEnv } from './lib/server/env.ts';
import { AppError, errorPage, errorResponse, toAppError } from './lib/server/http/errors.ts';
import { securityHeaders } from './lib/server/http/security-headers.ts';

// Fail at startup, naming the variable, rather than on the first request.
const env = getEnv();

export const onRequest = defineMiddleware(async (context, next) => {
  const isApi = context.url.pathname.startsWith('/api/');
  let response: Response;
  try {
    // Pre-rendering at build time has no visitor and no request headers.
    if (!context.isPrerendered) context.locals.user = await sessionFromRequest(context.request, context.cookies);
    response = await next();
  } catch (err) {
    // Answered here, not by Astro's bare 500, so a failed page (database down...) gets the headers below too.
    // `astro dev` keeps its error overlay.
    if (!isApi && import.meta.env.DEV) throw err;
    const appError = toAppError(err);
    response = isApi ? errorResponse(appError) : errorPage(appError);
  }
  if (isApi && response.status === 404 && !response.headers.get('Content-Type')?.includes('json')) {
    response = errorResponse(new AppError('NOT_FOUND', `No API route at ${context.url.pathname}`));
  }
  // Static and prerendered responses can have immutable headers: copy first.
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(securityHeaders({ production: env.isProduction, api: isApi }))) {
    if (!headers.has(k)) headers.set(k, v);
  }
  // Responses that depend on who is asking must never be cached by a shared cache.
  if (context.locals.user && !headers.has('Cache-Control')) headers.set('Cache-Control', 'private, no-store');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
});

// Runs on every on-demand request: the cross-site check, the session (JWT
// from the cookie or a Bearer header, verified statelessly into
// Astro.locals.user), security headers, JSON errors under /api (a cross-site
// 403, an unknown route's 404 and a wrong method's 405 included) and a plain
// error page elsewhere.
// (Pre-rendered pages are static files; their headers come from the server in
// front of them, see server.mjs and netlify.toml, and their CSP from the meta
// tag Astro's security.csp writes.)
import { defineMiddleware } from 'astro:middleware';
import { sessionFromRequest } from './lib/server/auth/session.ts';
import { getEnv } from './lib/server/env.ts';
import { AppError, errorPage, errorResponse, toAppError } from './lib/server/http/errors.ts';
import { isCrossSiteRequest } from './lib/server/http/origin-check.ts';
import { securityHeaders } from './lib/server/http/security-headers.ts';

// Fail at startup, naming the variable, rather than on the first request.
const env = getEnv();
// The public origin browsers send (https://... behind a TLS-terminating proxy, where this
// process sees plain http): accepted by the cross-site check beside the request's own origin.
const publicOrigin = new URL(env.PUBLIC_SITE_URL).origin;

// The endpoint modules, loaded only to name the methods of a 405's Allow header.
const API_ROUTES = import.meta.glob<Record<string, unknown>>('./pages/api/**/*.ts');
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods an API route answers, or null when no such route (or it takes ALL). */
async function allowedMethods(routePattern: string): Promise<string[] | null> {
  const load = Object.entries(API_ROUTES).find(
    ([file]) => file.replace(/^\.\/pages/, '').replace(/(\/index)?\.ts$/, '') === routePattern,
  )?.[1];
  const mod = await load?.();
  if (!mod || 'ALL' in mod) return null;
  return METHODS.filter((m) => typeof mod[m] === 'function' || (m === 'HEAD' && typeof mod.GET === 'function'));
}

export const onRequest = defineMiddleware(async (context, next) => {
  const isApi = context.url.pathname.startsWith('/api/');
  const { request } = context;
  let response: Response;
  try {
    if (!context.isPrerendered && isCrossSiteRequest(request, [context.url.origin, publicOrigin])) {
      const refused = new AppError(
        'FORBIDDEN',
        `Cross-site ${request.method} requests are refused: send this site's Origin header or a JSON body`,
      );
      response = isApi ? errorResponse(refused) : errorPage(refused);
    } else {
      // Pre-rendering at build time has no visitor and no request headers.
      if (!context.isPrerendered) context.locals.user = await sessionFromRequest(request, context.cookies);
      response = await next();
    }
  } catch (err) {
    // Answered here, not by Astro's bare 500, so a failed page (database down...) gets the headers below too.
    // `astro dev` keeps its error overlay.
    if (!isApi && import.meta.env.DEV) throw err;
    const appError = toAppError(err);
    response = isApi ? errorResponse(appError) : errorPage(appError);
  }
  if (isApi && response.status === 404 && !response.headers.get('Content-Type')?.includes('json')) {
    // Astro answers a bodiless 404 when the route exists but does not export this method.
    const allow = await allowedMethods(context.routePattern);
    const wrongMethod = allow && !allow.includes(request.method);
    response = errorResponse(
      wrongMethod
        ? new AppError('METHOD_NOT_ALLOWED', `Use ${allow.join(', ')} here`, undefined, { Allow: allow.join(', ') })
        : new AppError('NOT_FOUND', `No API route at ${context.url.pathname}`),
    );
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

// Cross-site request refusal (CSRF): the rule of Astro's security.checkOrigin.
// An unsafe method is refused unless it carries one of the site's own origins,
// or has a content type an HTML form cannot send (application/json needs a
// CORS preflight, which this server never grants). Astro's built-in check
// answers with plain text before src/middleware.ts runs, so the API could not
// answer its JSON error; the same rule lives here instead (checkOrigin is off).
//
// The site's origins are the request's own (scheme and Host as this process
// received them) and the configured public origin (PUBLIC_SITE_URL). Behind a
// proxy that terminates TLS, the request reaches Node over plain http, so its
// own origin is http://host while the browser sends Origin: https://host; the
// configured origin covers that without trusting any X-Forwarded-* header
// (Astro applies those only when security.allowedDomains is set, which this
// site does not use).
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** True when an unsafe request may come from another site; `siteOrigins` are this site's (`https://host`). */
export function isCrossSiteRequest(request: Request, siteOrigins: readonly string[]): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  const origin = request.headers.get('origin');
  // `Origin: null` (sandboxed frames, some redirects) never matches: no site origin is the string "null".
  if (origin !== null && origin !== 'null' && siteOrigins.includes(origin)) return false;
  const type = request.headers.get('content-type');
  // No body type (a bare DELETE, a form's default): only the site's own pages may send it.
  if (type === null) return true;
  const lower = type.toLowerCase();
  return FORM_TYPES.some((t) => lower.includes(t));
}

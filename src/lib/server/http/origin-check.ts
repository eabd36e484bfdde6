// Cross-site request refusal (CSRF): the rule of Astro's security.checkOrigin.
// An unsafe method is refused unless it carries the site's own Origin, or has
// a content type an HTML form cannot send (application/json needs a CORS
// preflight, which this server never grants). Astro's built-in check answers
// with plain text before src/middleware.ts runs, so the API could not answer
// its JSON error; the same rule lives here instead (checkOrigin is off).
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

export function isCrossSiteRequest(request: Request, siteOrigin: string): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (request.headers.get('origin') === siteOrigin) return false;
  const type = request.headers.get('content-type');
  // No body type (a bare DELETE, a form's default): only the site's own pages may send it.
  if (type === null) return true;
  const lower = type.toLowerCase();
  return FORM_TYPES.some((t) => lower.includes(t));
}

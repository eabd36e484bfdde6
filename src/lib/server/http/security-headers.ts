// Security headers for every response the server makes. Pages get their
// script/style hashes from Astro's CSP meta tag; these cover the rest.
export function securityHeaders(opts: { production: boolean; api: boolean }): Record<string, string> {
  const h: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Content-Security-Policy': opts.api
      ? "default-src 'none'; frame-ancestors 'none'; sandbox"
      : "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
  };
  if (opts.production) h['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  return h;
}

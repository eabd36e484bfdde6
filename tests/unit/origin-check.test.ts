import { describe, expect, it } from 'vitest';
import { isCrossSiteRequest } from '../../src/lib/server/http/origin-check.ts';

const SITE = 'https://soko.example';
const ORIGINS = [SITE];
const req = (method: string, headers: Record<string, string> = {}, url = `${SITE}/api/orders`) =>
  new Request(url, { method, headers, body: method === 'GET' || method === 'HEAD' ? null : '' });

describe('cross-site request check', () => {
  it('lets safe methods through from anywhere', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(isCrossSiteRequest(req(m), ORIGINS)).toBe(false);
  });

  it('refuses what an HTML form on another site can send', () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      expect(isCrossSiteRequest(req('POST', { 'Content-Type': type }), ORIGINS)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { 'Content-Type': type, Origin: 'https://evil.example' }), ORIGINS)).toBe(
        true,
      );
      expect(isCrossSiteRequest(req('POST', { 'Content-Type': type, Origin: SITE }), ORIGINS)).toBe(false);
    }
  });

  it('refuses a bodiless unsafe request without the site Origin', () => {
    const bare = new Request(`${SITE}/api/watchlist/p1`, { method: 'DELETE' });
    expect(bare.headers.get('content-type')).toBeNull();
    expect(isCrossSiteRequest(bare, ORIGINS)).toBe(true);
    const same = new Request(`${SITE}/api/watchlist/p1`, { method: 'DELETE', headers: { Origin: SITE } });
    expect(isCrossSiteRequest(same, ORIGINS)).toBe(false);
  });

  it('lets JSON through: another site cannot send it without a CORS preflight', () => {
    expect(isCrossSiteRequest(req('PATCH', { 'Content-Type': 'application/json' }), ORIGINS)).toBe(false);
  });

  // Behind a proxy that terminates TLS, Node sees http://soko.example/... while the browser
  // sends Origin: https://soko.example. The middleware passes [request origin, PUBLIC_SITE_URL origin].
  describe('behind a TLS-terminating proxy', () => {
    const proxied = (headers: Record<string, string>) =>
      req(
        'POST',
        { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        'http://soko.example/admin/users',
      );
    const requestOrigin = 'http://soko.example';
    const both = [requestOrigin, SITE];

    it('accepts the configured public origin even though the request arrived over http', () => {
      expect(isCrossSiteRequest(proxied({ Origin: SITE }), both)).toBe(false);
      // Without the configured origin this was the production bug: every admin form post refused.
      expect(isCrossSiteRequest(proxied({ Origin: SITE }), [requestOrigin])).toBe(true);
    });

    it('still accepts the request’s own origin (a direct request to the server)', () => {
      expect(isCrossSiteRequest(proxied({ Origin: requestOrigin }), both)).toBe(false);
    });

    it('refuses every other origin, whatever forwarded headers claim', () => {
      for (const origin of [
        'https://evil.example',
        'http://evil.example',
        'https://soko.example.evil.example',
        'null',
      ]) {
        expect(
          isCrossSiteRequest(
            proxied({ Origin: origin, 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example' }),
            both,
          ),
          origin,
        ).toBe(true);
      }
      // The same host on another port or scheme is another origin.
      expect(isCrossSiteRequest(proxied({ Origin: 'https://soko.example:8443' }), both)).toBe(true);
    });

    it('lets a bodiless DELETE from the public origin through', () => {
      const del = new Request('http://soko.example/api/watchlist/p1', { method: 'DELETE', headers: { Origin: SITE } });
      expect(isCrossSiteRequest(del, both)).toBe(false);
    });

    it('never matches an Origin of "null", even if a configured origin were that string', () => {
      expect(isCrossSiteRequest(proxied({ Origin: 'null' }), ['null'])).toBe(true);
    });
  });
});

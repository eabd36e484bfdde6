import { describe, expect, it } from 'vitest';
import { isCrossSiteRequest } from '../../src/lib/server/http/origin-check.ts';

const SITE = 'https://soko.example';
const req = (method: string, headers: Record<string, string> = {}) =>
  new Request(`${SITE}/api/orders`, { method, headers, body: method === 'GET' || method === 'HEAD' ? null : '' });

describe('cross-site request check', () => {
  it('lets safe methods through from anywhere', () => {
    for (const m of ['GET', 'HEAD', 'OPTIONS']) expect(isCrossSiteRequest(req(m), SITE)).toBe(false);
  });

  it('refuses what an HTML form on another site can send', () => {
    for (const type of ['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      expect(isCrossSiteRequest(req('POST', { 'Content-Type': type }), SITE)).toBe(true);
      expect(isCrossSiteRequest(req('POST', { 'Content-Type': type, Origin: 'https://evil.example' }), SITE)).toBe(
        true,
      );
      expect(isCrossSiteRequest(req('POST', { 'Content-Type': type, Origin: SITE }), SITE)).toBe(false);
    }
  });

  it('refuses a bodiless unsafe request without the site Origin', () => {
    const bare = new Request(`${SITE}/api/watchlist/p1`, { method: 'DELETE' });
    expect(bare.headers.get('content-type')).toBeNull();
    expect(isCrossSiteRequest(bare, SITE)).toBe(true);
    const same = new Request(`${SITE}/api/watchlist/p1`, { method: 'DELETE', headers: { Origin: SITE } });
    expect(isCrossSiteRequest(same, SITE)).toBe(false);
  });

  it('lets JSON through: another site cannot send it without a CORS preflight', () => {
    expect(isCrossSiteRequest(req('PATCH', { 'Content-Type': 'application/json' }), SITE)).toBe(false);
  });
});

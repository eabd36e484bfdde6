// The in-process cache behind the catalog API: one load per key while fresh,
// shared by concurrent misses, reloaded after its TTL, errors never kept.
import { expect, it } from 'vitest';
import { readCache } from '../../src/lib/server/http/cache.ts';

const req = (headers: Record<string, string> = {}) => new Request('http://x/api/products', { headers });

it('loads once for concurrent misses and serves the same body and ETag while fresh', async () => {
  const cache = readCache({ ttlMs: 1_000, maxBytes: 1024 * 1024 });
  let loads = 0;
  const load = async () => {
    loads++;
    await new Promise((r) => setTimeout(r, 20));
    return { items: [loads] };
  };
  const responses = await Promise.all(Array.from({ length: 20 }, () => cache.json(req(), 'k', load, 'public')));
  expect(loads).toBe(1);
  const bodies = await Promise.all(responses.map((r) => r.text()));
  expect(new Set(bodies)).toEqual(new Set(['{"items":[1]}']));
  expect(responses[0]!.headers.get('Cache-Control')).toBe('public');
  const etag = responses[0]!.headers.get('ETag')!;
  expect(etag).toMatch(/^"[\w-]{27}"$/);
  // A client holding the ETag gets a 304 without a reload.
  const revalidated = await cache.json(req({ 'If-None-Match': `W/${etag}` }), 'k', load, 'public');
  expect(revalidated.status).toBe(304);
  expect(loads).toBe(1);
  // Another key is another load.
  await cache.json(req(), 'other', load, 'public');
  expect(loads).toBe(2);
});

it('reloads after the TTL', async () => {
  const cache = readCache({ ttlMs: 300, maxBytes: 1024 * 1024 });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let version = 1;
  const load = async () => ({ version });
  expect(await (await cache.json(req(), 'p', load, 'x')).json()).toEqual({ version: 1 });
  version = 2;
  await sleep(100);
  expect(await (await cache.json(req(), 'p', load, 'x')).json()).toEqual({ version: 1 });
  await sleep(300);
  expect(await (await cache.json(req(), 'p', load, 'x')).json()).toEqual({ version: 2 });
});

it('does not keep failures: the next request loads again', async () => {
  const cache = readCache({ ttlMs: 60_000, maxBytes: 1024 * 1024 });
  let fail = true;
  const load = async () => {
    if (fail) throw new Error('database down');
    return { ok: true };
  };
  await expect(cache.json(req(), 'k', load, 'x')).rejects.toThrow('database down');
  fail = false;
  expect(await (await cache.json(req(), 'k', load, 'x')).json()).toEqual({ ok: true });
});

it('stays within its byte budget', async () => {
  const cache = readCache({ ttlMs: 60_000, maxBytes: 10_000 });
  let loads = 0;
  const load = async () => {
    loads++;
    return 'x'.repeat(3_000);
  };
  for (const k of ['a', 'b', 'c', 'd', 'e']) await cache.json(req(), k, load, 'x');
  expect(loads).toBe(5);
  // The oldest entries were evicted to make room: 'a' loads again, 'e' does not.
  await cache.json(req(), 'e', load, 'x');
  expect(loads).toBe(5);
  await cache.json(req(), 'a', load, 'x');
  expect(loads).toBe(6);
});

it('spreads the expiry of keys loaded together over the last quarter of the TTL, never beyond it', async () => {
  const cache = readCache({ ttlMs: 2_000, maxBytes: 1024 * 1024 });
  const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const t0 = Date.now();
  await Promise.all(keys.map((k) => cache.json(req(), k, async () => ({ k }), 'x')));
  const fresh = () => keys.filter((k) => cache.peek(k)).length;
  await sleep(1_000);
  expect(fresh()).toBe(40);
  await sleep(1_750 - (Date.now() - t0));
  // Between 1.5 and 2 s: some have expired, some not (all 40 on one side: p ~ 2e-12).
  const mid = fresh();
  expect(Date.now() - t0).toBeLessThan(1_950);
  expect(mid).toBeGreaterThan(0);
  expect(mid).toBeLessThan(40);
  await sleep(2_050 - (Date.now() - t0));
  expect(fresh()).toBe(0);
});

// The static fast path: lookups, compression, caching headers, 304, traversal.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaticFiles, pickEncoding } from '../../src/lib/server/http/static-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'soko-static-'));
const page = '<!doctype html><title>Ring</title>' + '<p>Gold ring</p>'.repeat(200);
let base = '';
let server: http.Server;

beforeAll(async () => {
  mkdirSync(join(dir, 'p/gold-ring'), { recursive: true });
  mkdirSync(join(dir, '_astro'), { recursive: true });
  writeFileSync(join(dir, 'p/gold-ring/index.html'), page);
  writeFileSync(join(dir, '_astro/app.abc123.js'), 'console.log(1);'.repeat(100));
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, '..', 'secret.txt'), 'nope');
  const files = createStaticFiles({ clientDir: dir, production: true });
  server = http.createServer((req, res) => {
    if (!files.serve(req, res)) {
      res.writeHead(404);
      res.end('app');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
    http
      .get(base + path, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', fail);
  });

describe('static files', () => {
  it('serves directory pages with and without the trailing slash, compressed by Accept-Encoding', async () => {
    const br = await get('/p/gold-ring', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(page);
    expect(br.body.length).toBeLessThan(page.length / 5);
    expect(br.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.headers['x-content-type-options']).toBe('nosniff');
    expect(br.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(br.headers['strict-transport-security']).toBeDefined();

    const gz = await get('/p/gold-ring/', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(page);
    const plain = await get('/p/gold-ring/', { 'accept-encoding': 'br;q=0' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(page);
  });

  it('answers 304 to a matching ETag and marks hashed assets immutable', async () => {
    const first = await get('/_astro/app.abc123.js', { 'accept-encoding': 'br' });
    expect(first.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await get('/_astro/app.abc123.js', { 'accept-encoding': 'br', 'if-none-match': first.headers.etag! });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('leaves unknown paths to the app and refuses traversal', async () => {
    expect((await get('/p/nothing-here')).body.toString()).toBe('app');
    expect((await get('/..%2Fsecret.txt')).body.toString()).toBe('app');
    expect((await get('/%2e%2e/secret.txt')).body.toString()).toBe('app');
  });

  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['identity', 'identity'],
    ['', 'identity'],
  ])('picks %s -> %s', (header, enc) => expect(pickEncoding(header)).toBe(enc));
});

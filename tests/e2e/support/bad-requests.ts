// Bad requests for every API endpoint, generated from the route files
// (tests/helpers/api-routes.ts): malformed bodies, wrong content types, 2 MB
// bodies, hostile path ids and query values. Sent over node:http so that
// paths reach the server exactly as written (fetch would resolve `..` and
// re-encode), and bodies can be chunked.
import http from 'node:http';
import { apiEndpoints, type ApiEndpoint } from '../../helpers/api-routes.ts';

export interface BadRequest {
  /** What the case is, for failure messages. */
  label: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked (no Content-Length). */
  chunked?: boolean;
}

export interface Answer {
  status: number;
  contentType: string;
  /** The first 64 KB of the body. */
  body: string;
  error?: string;
}

/** Real values for path parameters, so bad bodies and queries reach the handler past its lookups. */
export interface RealIds {
  productId: string;
  imageId: string;
  orderId: string;
}

const BIG = 2 * 1024 * 1024 + 1;
const bigJson = Buffer.from(`{"x":"${'x'.repeat(BIG)}"}`);
const BOUNDARY = 'soko-fault-boundary';
const bigMultipart = Buffer.concat([
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  ),
  Buffer.alloc(BIG, 0x5a),
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);

/** Hostile values for one path segment (already percent-encoded where needed). */
export const BAD_IDS = [
  '..%2F..%2Fetc%2Fpasswd',
  '../../etc/passwd',
  '%2e%2e',
  'x'.repeat(4000),
  encodeURIComponent('ñandú-🦒-产品'),
  '%00',
  '%ff%fe',
  `SOKO-2026-${'9'.repeat(500)}`,
  '-1',
  "'%20OR%201=1--",
];

export const BAD_QUERIES = [
  '?limit=100000',
  '?limit=-1&page=0&cursor=%00',
  '?sort=sideways&minPrice=-3&maxPrice=abc&status=LOL',
  `?q=${encodeURIComponent('ñ🦒'.repeat(500))}`,
  '?q=%ff',
  '?q=%00&cursor=%00&status=%00',
  '?w=99999&f=gif&v=zzzz',
  '?a=1&a=2&limit=1&limit=2&w=320&w=640',
  '?__proto__=x&constructor=prototype&toString=1',
  `?${'x'.repeat(8000)}`,
];

function bodyCases(origin: string, upload: boolean): Omit<BadRequest, 'method' | 'path'>[] {
  const json = (label: string, body: string | Buffer) => ({
    label,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(body),
  });
  const cases: Omit<BadRequest, 'method' | 'path'>[] = [
    json('malformed JSON', '{"email": '),
    // Without the site's Origin a form type is refused as cross-site; with it, the route sees it.
    { label: 'text/plain', headers: { 'content-type': 'text/plain' }, body: Buffer.from('hello') },
    { label: 'text/plain, same origin', headers: { 'content-type': 'text/plain', origin }, body: Buffer.from('hello') },
    { label: 'xml', headers: { 'content-type': 'application/xml', origin }, body: Buffer.from('<a/>') },
    { label: 'no content type', headers: { origin }, body: Buffer.from('{}') },
    json('empty JSON body', ''),
    json('JSON null', 'null'),
    json('JSON array', '[]'),
    json('JSON string', '"str"'),
    json('unknown field', '{"mass_assigned_field":"ADMIN"}'),
    json('deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`),
    json('prototype keys', '{"__proto__":{"role":"ADMIN"},"constructor":{"prototype":{}},"n":1e999}'),
    json('invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
    json('2 MB JSON', bigJson),
    { ...json('2 MB JSON, chunked', bigJson), chunked: true },
    {
      label: 'multipart without boundary',
      headers: { 'content-type': 'multipart/form-data', origin },
      body: Buffer.from('garbage'),
    },
  ];
  if (upload) {
    cases.push(
      {
        label: '2 MB multipart',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, origin },
        body: bigMultipart,
      },
      {
        label: '2 MB multipart, chunked',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, origin },
        body: bigMultipart,
        chunked: true,
      },
      {
        label: 'malformed multipart',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, origin },
        body: Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: nonsense\r\n\r\n\0\0\0`),
      },
      {
        label: 'empty boundary',
        headers: { 'content-type': 'multipart/form-data; boundary=', origin },
        body: Buffer.from('--\r\n'),
      },
    );
  }
  return cases;
}

function realValue(e: ApiEndpoint, param: string, ids: RealIds): string {
  if (param === 'path') return 'no/such/endpoint';
  if (param === 'kind') return 'logo';
  if (param === 'imageId') return ids.imageId;
  if (param === 'productId') return ids.productId;
  if (param === 'id' && e.pattern.startsWith('/api/orders')) return ids.orderId;
  if (param === 'id' && e.pattern.startsWith('/api/images')) return ids.imageId;
  if (param === 'id' && e.pattern.startsWith('/api/products')) return ids.productId;
  throw new Error(`${e.file}: no real value for [${param}]; add one to realValue()`);
}

/**
 * The cases for one endpoint: its path with each parameter replaced in turn by each bad id
 * (real values for the others), and, on one path, every bad query (reads) or bad body (writes).
 * Real ids are used only where the handler fails on its input before writing anything: reads,
 * and writes that parse a body (every body here is refused). A body-less write (DELETE, restore)
 * only ever gets bad ids.
 */
export function casesFor(e: ApiEndpoint, ids: RealIds, origin: string): BadRequest[] {
  const methods = e.method === 'ALL' ? ['GET', 'POST', 'DELETE'] : [e.method];
  const params = e.segments.flatMap((s) => ('param' in s ? [s.param] : []));
  const pathWith = (bad?: { param: string; value: string }) =>
    '/' +
    e.segments
      .map((s) => ('literal' in s ? s.literal : bad?.param === s.param ? bad.value : realValue(e, s.param, ids)))
      .join('/');
  const badPaths = params.flatMap((param) => BAD_IDS.map((value) => ({ param, value })));
  const realIdsSafe = e.method === 'GET' || e.readsBody || params.length === 0 || e.method === 'ALL';
  const paths = [...(realIdsSafe ? [pathWith()] : []), ...badPaths.map((b) => pathWith(b))];
  const main = paths[0]!;
  const cases: BadRequest[] = [];
  for (const method of methods) {
    const write = method !== 'GET';
    const plain: Omit<BadRequest, 'method' | 'path'> = write
      ? { label: 'malformed JSON', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":') }
      : { label: 'plain', headers: {} };
    for (const path of paths) cases.push({ ...plain, label: `${plain.label}, bad id`, method, path });
    if (write) for (const c of bodyCases(origin, e.upload)) cases.push({ ...c, method, path: main });
    else
      for (const q of BAD_QUERIES)
        cases.push({ label: `query ${q.slice(0, 40)}`, method, path: main + q, headers: {} });
  }
  return cases;
}

export function allBadRequests(ids: RealIds, origin: string): { endpoints: ApiEndpoint[]; cases: BadRequest[] } {
  const endpoints = apiEndpoints();
  return { endpoints, cases: endpoints.flatMap((e) => casesFor(e, ids, origin)) };
}

/** Sends one request as written; status 0 when the connection failed before an answer. */
export function send(base: URL, agent: http.Agent, c: BadRequest): Promise<Answer> {
  return new Promise((resolve) => {
    let answer: Answer | undefined;
    const done = (a: Answer) => {
      if (answer) return;
      answer = a;
      resolve(a);
    };
    const headers: Record<string, string> = { ...c.headers };
    if (c.body && !c.chunked) headers['content-length'] = String(c.body.length);
    // Explicit: Node's client frames a DELETE body only when asked (it sends it raw otherwise).
    if (c.body && c.chunked) headers['transfer-encoding'] = 'chunked';
    const req = http.request(
      { host: base.hostname, port: base.port, method: c.method, path: c.path, headers, agent, timeout: 20_000 },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = (error?: string) =>
          done({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
            ...(error ? { error } : {}),
          });
        res.on('data', (d: Buffer) => {
          if (size < 64 * 1024) chunks.push(d);
          size += d.length;
        });
        res.on('end', () => finish());
        res.on('error', (err) => finish(err.message));
        res.on('close', () => finish());
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => done({ status: 0, contentType: '', body: '', error: err.message }));
    if (!c.body) return req.end();
    if (!c.chunked) return req.end(c.body);
    // In 64 KB pieces, as a streaming client would send them.
    let offset = 0;
    const pump = () => {
      while (offset < c.body!.length) {
        const piece = c.body!.subarray(offset, offset + 64 * 1024);
        offset += piece.length;
        if (!req.write(piece)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

/** What is wrong with an answer, or null: no 5xx, no dropped connection, API errors in JSON. */
export function problemWith(c: BadRequest, a: Answer, base: URL): string | null {
  if (a.status === 0) return `no answer (${a.error})`;
  if (a.status >= 500) return `${a.status} ${a.body.slice(0, 300)}`;
  if (a.body.includes('root:x:0:0')) return 'served /etc/passwd';
  // A path with raw dot segments resolves outside /api (as a browser would resolve it): a page 404 is right.
  const inApi = new URL(c.path, base).pathname.startsWith('/api/');
  if (a.status >= 400 && inApi) {
    if (!/^application\/json\b/.test(a.contentType)) return `${a.status} with ${a.contentType || 'no content type'}`;
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(a.body) as typeof body;
    } catch {
      return `${a.status} with a body that is not JSON: ${a.body.slice(0, 200)}`;
    }
    if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string')
      return `${a.status} without {error:{code,message}}: ${a.body.slice(0, 200)}`;
  }
  return null;
}

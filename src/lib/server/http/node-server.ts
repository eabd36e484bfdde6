// The production HTTP server (server.mjs): behind the catalog gate, the built
// files (static-files.ts), then Astro's request pipeline for on-demand routes
// (the @astrojs/node handler, in middleware mode).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { catalogHit } from '../catalog/api-cache.ts';
import { imageHit } from '../images/variants.ts';
import type { CatalogGate } from './catalog-gate.ts';
import { badRequest, sendError, statusOf, type ErrorCode } from './errors.ts';
import { securityHeaders } from './security-headers.ts';
import { createStaticFiles } from './static-files.ts';

type NodeHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface ServerOptions {
  /** The handler exported by the build's server/entry.mjs. */
  astroHandler: NodeHandler;
  gate: CatalogGate;
  /** The build's output folder (contains client/ and server/). */
  outDir: string;
  production: boolean;
}

export function createRequestListener(opts: ServerOptions): NodeHandler {
  const goneHtml = readFileSync(join(opts.outDir, 'client/gone/index.html'));
  const pageHeaders = securityHeaders({ production: opts.production, api: false });
  const apiHeaders = securityHeaders({ production: opts.production, api: true });
  const staticFiles = createStaticFiles({ clientDir: join(opts.outDir, 'client'), production: opts.production });
  return (req, res) => {
    const [path, query] = (req.url ?? '/').split(/\?(.*)/s) as [string, string | undefined];
    if (!decodes(req.url ?? '/')) {
      const api = path.startsWith('/api/');
      const refused = badRequest('The URL has malformed percent-encoding');
      sendError(res, refused, { api, headers: api ? apiHeaders : pageHeaders });
      return;
    }
    const read = req.method === 'GET' || req.method === 'HEAD';
    // Public catalog reads and image variants this process answered a moment ago: straight from
    // memory, before Astro (catalogHit in api-cache.ts, imageHit in images/variants.ts).
    const ifNoneMatch = req.headers['if-none-match'];
    const hit = !read
      ? null
      : path.startsWith('/api/products')
        ? catalogHit(path, query, ifNoneMatch)
        : path.startsWith('/api/images/')
          ? imageHit(path, query, req.headers.accept, ifNoneMatch)
          : null;
    if (hit) {
      res.writeHead(hit.status, { ...apiHeaders, ...hit.headers, 'X-Cache': 'HIT' });
      res.end(req.method === 'HEAD' ? undefined : hit.body);
      return;
    }
    const moved = read ? opts.gate.redirectFor(path) : null;
    if (moved) {
      // A renamed store: its old handle points at the new one. Cached briefly, not for good, because the store
      // may take the old handle back (a browser holding a permanent redirect would then loop).
      res.writeHead(301, {
        ...pageHeaders,
        Location: `${moved}${query ? `?${query}` : ''}`,
        'Cache-Control': 'public, max-age=300',
        'Content-Length': 0,
      });
      res.end();
      return;
    }
    if (read && query && (path === '/search' || path === '/search/') && opts.gate.reachable) {
      // A filtered search: rendered with its first results. The static /search (the shell whose grid
      // falls back to the snapshot) serves it when the database is down.
      req.url = `/live/search?${query}`;
    }
    const verdict = read ? opts.gate.check(path) : null;
    if (verdict === 'live') {
      // Edited since the build: render from the database instead of the stale file.
      req.url = `/live${path.replace(/\/$/, '')}${query ? `?${query}` : ''}`;
    }
    if (verdict === 'gone') {
      res.writeHead(410, {
        ...pageHeaders,
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Length': goneHtml.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : goneHtml);
      return;
    }
    // Built files first (fast path); everything else is Astro's (on-demand routes, 404).
    if (staticFiles.serve(req, res)) return;
    opts.astroHandler(req, res);
  };
}

function decodes(url: string): boolean {
  try {
    decodeURI(url);
    return true;
  } catch {
    return false;
  }
}

export function createServer(opts: ServerOptions): http.Server {
  const server = http.createServer(createRequestListener(opts));
  const headers = securityHeaders({ production: opts.production, api: true });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, headers));
  return server;
}

const CLIENT_ERRORS: Record<string, [ErrorCode, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    'HEADERS_TOO_LARGE',
    'Request Header Fields Too Large',
    'The request line and headers must be at most 16 KB',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: ['REQUEST_TIMEOUT', 'Request Timeout', 'The request took too long to arrive'],
};

/**
 * A request Node's HTTP parser refuses (a request line or headers over 16 KB, broken framing,
 * too slow) never reaches the listener, and Node's own answer is a bare 400 or 431 with no body
 * and no content type. It gets the API's JSON error and security headers instead, like any
 * other refusal (the path is unknown at this point, so pages get JSON too).
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, headers: Record<string, string>): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  // Nothing to answer to, or a response is already on the wire.
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [code, reason, message] = CLIENT_ERRORS[err.code ?? ''] ?? [
    'BAD_REQUEST',
    'Bad Request',
    'The request is not valid HTTP',
  ];
  const body = JSON.stringify({ error: { code, message } });
  const lines = Object.entries({
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
  }).map(([k, v]) => `${k}: ${v}\r\n`);
  socket.end(`HTTP/1.1 ${statusOf(code)} ${reason}\r\n${lines.join('')}\r\n${body}`);
}

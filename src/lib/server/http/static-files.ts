// Serves the pre-rendered site from the build's client folder, faster than
// the adapter's generic handler: lookups are cached, text files are
// compressed once (brotli or gzip, by Accept-Encoding) and kept in a bounded
// in-memory cache, ETags answer 304, hashed /_astro assets are immutable, and
// every response carries the security headers.
import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { etagMatches } from './cache.ts';
import { AppError, sendError } from './errors.ts';
import { securityHeaders } from './security-headers.ts';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.css', '.js', '.mjs', '.json', '.xml', '.txt', '.svg', '.webmanifest']);
/** Files above this are streamed from disk, never held in memory. */
const MAX_CACHED_FILE = 1024 * 1024;

interface Entry {
  file: string;
  size: number;
  mtimeMs: number;
  ext: string;
  etag: string;
}

type Encoding = 'br' | 'gzip' | 'identity';

export interface StaticFiles {
  /** Serves the request if a built file matches; false to let the app handle it. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  readonly cachedBytes: number;
}

export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  const a = (acceptEncoding ?? '').toLowerCase();
  const allows = (name: string) =>
    new RegExp(`(^|,)\\s*${name}\\s*(;\\s*q\\s*=\\s*(?!0(\\.0+)?\\s*(,|$))[0-9.]+)?\\s*(,|$)`).test(a);
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return 'identity';
}

export function createStaticFiles(opts: {
  clientDir: string;
  production: boolean;
  maxCacheBytes?: number;
}): StaticFiles {
  const root = normalize(opts.clientDir);
  const maxCacheBytes = opts.maxCacheBytes ?? 64 * 1024 * 1024;
  const lookups = new Map<string, Entry | null>();
  // Insertion-ordered Map as an LRU of file bodies per encoding.
  const bodies = new Map<string, Buffer>();
  const pending = new Map<string, Promise<Buffer>>();
  let cachedBytes = 0;
  const baseHeaders = securityHeaders({ production: opts.production, api: false });

  function resolveEntry(pathname: string): Entry | null {
    const hit = lookups.get(pathname);
    if (hit !== undefined) return hit;
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes('\0') || decoded.split('/').some((seg) => seg === '..' || seg.startsWith('.'))) return null;
    const base = join(root, decoded);
    if (!base.startsWith(root + sep) && base !== root) return null;
    let entry: Entry | null = null;
    for (const candidate of decoded.endsWith('/') ? [join(base, 'index.html')] : [base, join(base, 'index.html')]) {
      try {
        const st = statSync(candidate);
        if (!st.isFile()) continue;
        const ext = extname(candidate).toLowerCase();
        entry = {
          file: candidate,
          size: st.size,
          mtimeMs: st.mtimeMs,
          ext,
          etag: `"${st.size.toString(36)}-${Math.floor(st.mtimeMs).toString(36)}"`,
        };
        break;
      } catch {
        // try the next candidate
      }
    }
    // The build does not change while we run: remember misses too (bounded).
    if (lookups.size > 50_000) lookups.clear();
    lookups.set(pathname, entry);
    return entry;
  }

  function remember(key: string, body: Buffer): void {
    if (body.length > MAX_CACHED_FILE) return;
    bodies.set(key, body);
    cachedBytes += body.length;
    for (const [k, v] of bodies) {
      if (cachedBytes <= maxCacheBytes) break;
      bodies.delete(k);
      cachedBytes -= v.length;
    }
  }

  function body(entry: Entry, enc: Encoding): Promise<Buffer> {
    const key = `${enc}:${entry.file}`;
    const hit = bodies.get(key);
    if (hit) {
      // Refresh LRU position.
      bodies.delete(key);
      bodies.set(key, hit);
      return Promise.resolve(hit);
    }
    let p = pending.get(key);
    if (!p) {
      p = (async () => {
        const raw = await readFile(entry.file);
        const out =
          enc === 'br'
            ? await brotli(raw, {
                params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
              })
            : enc === 'gzip'
              ? await gz(raw, { level: 7 })
              : raw;
        remember(key, out);
        return out;
      })().finally(() => pending.delete(key));
      pending.set(key, p);
    }
    return p;
  }

  return {
    get cachedBytes() {
      return cachedBytes;
    },
    serve(req, res) {
      const pathname = (req.url ?? '/').split('?')[0]!;
      const entry = resolveEntry(pathname);
      if (!entry) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // A built file is only read (as nginx answers): not Astro's 404, which would say it is missing.
        const refused = new AppError('METHOD_NOT_ALLOWED', 'This page can only be read', undefined, {
          Allow: 'GET, HEAD',
        });
        sendError(res, refused, { api: false, headers: baseHeaders });
        return true;
      }
      const compressible = COMPRESSIBLE.has(entry.ext);
      const enc: Encoding = compressible ? pickEncoding(req.headers['accept-encoding']) : 'identity';
      const etag = enc === 'identity' ? entry.etag : `${entry.etag.slice(0, -1)}-${enc}"`;
      const headers: Record<string, string | number> = {
        ...baseHeaders,
        'Content-Type': TYPES[entry.ext] ?? 'application/octet-stream',
        ETag: etag,
        'Last-Modified': new Date(entry.mtimeMs).toUTCString(),
        'Cache-Control': pathname.startsWith('/_astro/')
          ? 'public, max-age=31536000, immutable'
          : entry.ext === '.html'
            ? 'public, max-age=0, must-revalidate'
            : 'public, max-age=300',
      };
      if (compressible) headers.Vary = 'Accept-Encoding';
      if (enc !== 'identity') headers['Content-Encoding'] = enc;
      if (etagMatches(req.headers['if-none-match'] ?? null, etag)) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      if (entry.size > MAX_CACHED_FILE && enc === 'identity') {
        res.writeHead(200, { ...headers, 'Content-Length': entry.size });
        if (req.method === 'HEAD') res.end();
        else createReadStream(entry.file).pipe(res);
        return true;
      }
      body(entry, entry.size > MAX_CACHED_FILE ? 'identity' : enc).then(
        (buf) => {
          if (entry.size > MAX_CACHED_FILE) delete headers['Content-Encoding'];
          res.writeHead(200, { ...headers, 'Content-Length': buf.length });
          res.end(req.method === 'HEAD' ? undefined : buf);
        },
        (err: unknown) => {
          console.error('[static] failed to read', entry.file, err);
          if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end('Internal server error');
        },
      );
      return true;
    },
  };
}

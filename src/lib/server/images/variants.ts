// Serving stored images as resized AVIF/WebP/JPEG variants, cached on disk.
// The cache key holds everything that changes the bytes: source content hash,
// width, format, quality, AVIF effort and PIPELINE_VERSION.
import { createHash, randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import PQueue from 'p-queue';
import lockfile from 'proper-lockfile';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';
import { etagMatches, type FastAnswer } from '../http/cache.ts';
import type { Db } from '../db.ts';
import { getEnv } from '../env.ts';
import { getStorage, type BlobStorage } from './storage.ts';
import { IMAGE_FORMATS, IMAGE_WIDTHS, type ImageFormat, type ImageWidth } from '../../shared/images.ts';

/** Bump when the transform changes in a way the other key parts do not capture. */
export const PIPELINE_VERSION = 3;
export const QUALITY: Record<ImageFormat, number> = { avif: 50, webp: 72, jpeg: 78 };

/**
 * AVIF effort per output width, measured on this 2-core machine
 * (bench/images/avif-effort.ts, docs/BENCHMARKS.md): with 4:2:0 chroma a 12 MP
 * source takes under 250 ms at every width on a quiet machine, leaving room
 * for a busy one under the 500 ms target. Effort 0 at 1280-1920 px (1 and 2
 * cost 20-150 % more for 2 % fewer bytes); at 960 px effort 1 is both faster
 * and smaller than 2; at <= 640 px effort 3 saves ~10 % bytes for ~100 ms.
 * Effort 4 (sharp's default) saves 30-40 % more but takes 0.4-5 s.
 */
export function avifEffort(width: ImageWidth): number {
  if (width >= 1280) return 0;
  if (width >= 960) return 1;
  return 3;
}

/**
 * sharp's AVIF default is 4:4:4 chroma; 4:2:0 (what JPEG and WebP use) encoded
 * 1920 px from a 12 MP source in 164 ms instead of 274 ms here, 2 % smaller.
 */
export const AVIF_CHROMA = '4:2:0';

export function avifOptions(width: ImageWidth) {
  return { quality: QUALITY.avif, effort: avifEffort(width), chromaSubsampling: AVIF_CHROMA } as const;
}

/**
 * Variants are made from normalized originals (at most 2560 px a side, 6.6 MP),
 * so 24 MP leaves room for older or imported sources while staying far below
 * sharp's default of 268 MP: a decoded 24 MP RGB image is ~72 MB.
 */
export const VARIANT_MAX_INPUT_PIXELS = 24_000_000;

export const CONTENT_TYPE: Record<ImageFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };
const EXT: Record<ImageFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };

/** Sandboxed, script-free: a variant opened directly can never run anything. */
export const IMAGE_RESPONSE_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'X-Content-Type-Options': 'nosniff',
} as const;
const IMMUTABLE = 'public, max-age=31536000, immutable';

// ---------------------------------------------------------------- parsing

export interface VariantRequest {
  id: string;
  width: ImageWidth;
  /** Explicit format (f=), or undefined to negotiate from Accept. */
  format?: ImageFormat;
  /** Content-hash prefix (v=); must match the image's current content. */
  version?: string;
}

/** cuid()s as Prisma makes them: lower-case letters and digits, nothing that can walk a path. */
const ID = /^[a-z0-9]{8,40}$/;
const ALLOWED_PARAMS = new Set(['w', 'f', 'v']);

/** Strict parsing: anything outside the fixed set is refused, so nobody can mint new variants. */
export function parseVariantRequest(id: string | undefined, params: URLSearchParams): VariantRequest {
  if (!id || !ID.test(id)) throw new AppError('NOT_FOUND', 'Image not found');
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!ALLOWED_PARAMS.has(key)) throw new AppError('BAD_REQUEST', `Unknown parameter: ${key}`);
    if (seen.has(key)) throw new AppError('BAD_REQUEST', `Repeated parameter: ${key}`);
    seen.add(key);
  }
  const rawW = params.get('w');
  // Digits only: Number() would also take '0640', '640.0', '6.4e2' and mint aliases.
  if (rawW === null || !/^[1-9]\d{2,3}$/.test(rawW) || !(IMAGE_WIDTHS as readonly number[]).includes(Number(rawW))) {
    throw new AppError('BAD_REQUEST', `Invalid w: must be one of ${IMAGE_WIDTHS.join(', ')}`);
  }
  const f = params.get('f');
  if (f !== null && !(IMAGE_FORMATS as readonly string[]).includes(f)) {
    throw new AppError('BAD_REQUEST', `Invalid f: must be one of ${IMAGE_FORMATS.join(', ')}`);
  }
  const v = params.get('v');
  if (v !== null && !/^[a-f0-9]{12}$/.test(v)) throw new AppError('BAD_REQUEST', 'Invalid v: 12 hex digits');
  return {
    id,
    width: Number(rawW) as ImageWidth,
    format: (f as ImageFormat | null) ?? undefined,
    version: v ?? undefined,
  };
}

/**
 * AVIF, then WebP, then JPEG. A format counts only when named explicitly with
 * q > 0: `image/*` or `*\/*` alone do not prove a browser decodes AVIF or WebP.
 */
export function negotiateFormat(accept: string | null): ImageFormat {
  const accepted = new Set<string>();
  for (const part of (accept ?? '').toLowerCase().split(',')) {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    const q = params.find((p) => p.startsWith('q='));
    if (type && !(q && Number(q.slice(2)) === 0)) accepted.add(type);
  }
  if (accepted.has('image/avif')) return 'avif';
  if (accepted.has('image/webp')) return 'webp';
  return 'jpeg';
}

// ---------------------------------------------------------------- transforms

export interface TransformLimits {
  /** Transforms running at once (libvips also threads inside each). */
  concurrency: number;
  /** Transforms allowed to wait; one more is answered with 503. */
  maxQueue: number;
  /** sharp's per-transform time limit, whole seconds. */
  timeoutSeconds: number;
}

const limits: TransformLimits = {
  concurrency: Math.max(1, Math.min(4, availableParallelism())),
  maxQueue: 64,
  timeoutSeconds: 5,
};

/** The bounded transform queue; exported so tests can pause it and fill it. */
export let transformQueue = new PQueue({ concurrency: limits.concurrency });

export function configureTransforms(next: Partial<TransformLimits>): TransformLimits {
  Object.assign(limits, next);
  if (next.concurrency !== undefined) transformQueue = new PQueue({ concurrency: limits.concurrency });
  return { ...limits };
}

/** Counts transforms actually run (not cache hits, not joined in-flight ones); tests assert on it. */
export const transformStats = { runs: 0 };

export async function transformImage(source: Buffer, width: ImageWidth, format: ImageFormat): Promise<Buffer> {
  const pipeline = sharp(source, { limitInputPixels: VARIANT_MAX_INPUT_PIXELS, failOn: 'error' })
    .timeout({ seconds: limits.timeoutSeconds })
    .rotate()
    .resize({ width, withoutEnlargement: true });
  if (format === 'avif') return pipeline.avif(avifOptions(width)).toBuffer();
  if (format === 'webp') return pipeline.webp({ quality: QUALITY.webp, effort: 4 }).toBuffer();
  return pipeline.jpeg({ quality: QUALITY.jpeg, mozjpeg: true, progressive: true }).toBuffer();
}

/** Runs sharp work (variants, upload processing) in the bounded queue; 503 with Retry-After when it is full. */
export function queueImageWork<T>(run: () => Promise<T>): Promise<T> {
  // Waiting work holds no pixels yet; running work does. Refusing early keeps
  // memory bounded under a burst of distinct cold variants.
  if (transformQueue.size >= limits.maxQueue) {
    throw new AppError('SERVICE_UNAVAILABLE', 'Image service is busy; please retry shortly', undefined, {
      'Retry-After': '2',
    });
  }
  return transformQueue.add(run);
}

const tookTooLong = () =>
  new AppError('SERVICE_UNAVAILABLE', 'Image transform took too long; please retry', undefined, { 'Retry-After': '5' });

function toTransformError(err: unknown): unknown {
  const message = err instanceof Error ? err.message : '';
  return /timeout/i.test(message) ? tookTooLong() : err;
}

// ---------------------------------------------------------------- variants

export interface VariantStore {
  storage: BlobStorage;
  cacheDir: string;
}

export interface Variant {
  data: Buffer;
  format: ImageFormat;
  etag: string;
}

const inflight = new Map<string, Promise<Buffer>>();

/**
 * Hot-path caches, per process. Rows: id -> source, for a minute (a deleted
 * image may be served that long by other processes; this one forgets it at
 * once via forgetImage). Bytes: the most requested variants, 64 MB at most,
 * so a cache hit costs neither a query nor a file read.
 */
type ImageRow = { sourceKey: string; contentHash: string };
// One pair per process: server.mjs loads this module directly (imageHit) and
// the Astro bundle carries its own copy; both must see the same entries.
const SHARED = Symbol.for('soko.images.hot-cache');
const holder = globalThis as {
  [SHARED]?: { rows: LRUCache<string, ImageRow>; bytes: LRUCache<string, Buffer> };
};
holder[SHARED] ??= {
  rows: new LRUCache<string, ImageRow>({ max: 20_000, ttl: 60_000 }),
  bytes: new LRUCache<string, Buffer>({
    maxSize: 64 * 1024 * 1024,
    maxEntrySize: 2 * 1024 * 1024,
    sizeCalculation: (b) => b.length,
  }),
};
const rowCache = holder[SHARED].rows;
const bytesCache = holder[SHARED].bytes;

/** Called when an image is deleted or replaced, so this process stops serving it at once. */
export function forgetImage(id: string): void {
  rowCache.delete(id);
}

/** Empties the in-memory caches (tests use it to reach the disk cache and the database). */
export function clearImageMemoryCaches(): void {
  rowCache.clear();
  bytesCache.clear();
}

function defaultStore(): VariantStore {
  return { storage: getStorage(), cacheDir: getEnv().IMAGE_CACHE_DIR };
}

/** A variant's file in the cache, and the lock that lets one process make it. */
export interface VariantFiles {
  name: string;
  dir: string;
  path: string;
  lockPath: string;
}

interface Located extends VariantFiles {
  etag: string;
  sourceKey: string;
}

async function locate(db: Db, req: VariantRequest, format: ImageFormat, cacheDir: string): Promise<Located> {
  let image = rowCache.get(req.id);
  if (!image) {
    // Product photos first (nearly every request), then store logos and banners.
    const select = { sourceKey: true, contentHash: true } as const;
    const row =
      (await db.productImage.findUnique({ where: { id: req.id }, select })) ??
      (await db.storeImage.findUnique({ where: { id: req.id }, select }));
    if (!row) throw new AppError('NOT_FOUND', 'Image not found');
    rowCache.set(req.id, row);
    image = row;
  }
  return variantLocation(image, req, format, cacheDir);
}

function variantLocation(image: ImageRow, req: VariantRequest, format: ImageFormat, cacheDir: string): Located {
  // A stale or made-up version must not be cached as immutable under its URL.
  if (req.version && !image.contentHash.startsWith(req.version)) {
    throw new AppError('NOT_FOUND', 'Image version not found');
  }
  const files = variantFiles(image.contentHash, req.width, format, cacheDir);
  const etag = `"${createHash('sha1').update(`${image.contentHash}/${files.name}`).digest('base64url')}"`;
  return { ...files, etag, sourceKey: image.sourceKey };
}

/** Where the variant of a source (by content hash) lives in the cache, and its lock. */
export function variantFiles(
  contentHash: string,
  width: ImageWidth,
  format: ImageFormat,
  cacheDir: string,
): VariantFiles {
  const effort = format === 'avif' ? `-e${avifEffort(width)}` : '';
  const name = `${width}-q${QUALITY[format]}${effort}-p${PIPELINE_VERSION}.${EXT[format]}`;
  const dir = join(cacheDir, contentHash.slice(0, 2), contentHash);
  // Locks live apart from the variants, so a failed transform leaves nothing under the source's folder.
  const lockPath = join(cacheDir, '.locks', `${contentHash}-${name}.lock`);
  return { name, dir, path: join(dir, name), lockPath };
}

async function readVariantFile(path: string): Promise<Buffer | null> {
  try {
    const data = await readFile(path);
    bytesCache.set(path, data);
    return data;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function readVariant(loc: Located, req: VariantRequest, format: ImageFormat, store: VariantStore) {
  const cached = bytesCache.get(loc.path) ?? (await readVariantFile(loc.path));
  if (cached) return cached;
  // One transform per missing variant, however many requests ask at once:
  // joined here within this process, through the lock across processes.
  let pending = inflight.get(loc.path);
  if (!pending) {
    pending = produceVariant(loc, req, format, store).finally(() => inflight.delete(loc.path));
    inflight.set(loc.path, pending);
  }
  return pending;
}

// ---------------------------------------------------------------- one transform across processes

// server.mjs runs a worker per core, and hosts may share IMAGE_CACHE_DIR. The
// process that takes a variant's lock makes it; the others wait for the file.
// proper-lockfile: the lock is a directory (mkdir is atomic, NFS included),
// its owner refreshes its mtime while working, and a lock left unrefreshed for
// the transform time limit plus a margin (clock skew between hosts) belonged
// to a process that died, so it is taken over.
const LOCK_MARGIN_MS = 5_000;
const LOCK_POLL_MS = 50;
const lockStaleMs = () => limits.timeoutSeconds * 1000 + LOCK_MARGIN_MS;

/** Takes the variant's lock; null while another live process holds it. Exported for the cross-process tests. */
export async function tryLockVariant(files: VariantFiles): Promise<(() => Promise<void>) | null> {
  await mkdir(dirname(files.lockPath), { recursive: true });
  try {
    return await lockfile.lock(files.path, {
      lockfilePath: files.lockPath,
      realpath: false, // the variant does not exist yet
      stale: lockStaleMs(),
      // Taken over while still working (a frozen process): finishing is harmless,
      // both writes are atomic renames of the same bytes. The default throws.
      onCompromised: (err) => console.warn('[images] variant lock lost:', files.lockPath, err.message),
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') return null;
    throw err;
  }
}

async function produceVariant(loc: Located, req: VariantRequest, format: ImageFormat, store: VariantStore) {
  // Past the time limit plus the margin the owner is either done, dead (its lock stale) or stuck.
  const deadline = Date.now() + lockStaleMs() + 1_000;
  for (;;) {
    // A queue slot to take the lock and transform; waiting for another process holds none.
    const made = await queueImageWork(async () => {
      const release = await tryLockVariant(loc);
      if (!release) return null;
      try {
        // Its previous owner may have written it since our miss.
        return (await readVariantFile(loc.path)) ?? (await makeVariant(loc, req, format, store));
      } finally {
        await release().catch(() => {}); // already gone if the lock was taken over
      }
    });
    if (made) return made;
    const ready = await waitForVariant(loc, deadline);
    if (ready) return ready;
    // The lock is gone without a file (its owner failed) or went stale: try to take it.
  }
}

/** The variant once another process has written it; null when its lock is released or stale without one. */
async function waitForVariant(loc: Located, deadline: number): Promise<Buffer | null> {
  const options = { lockfilePath: loc.lockPath, realpath: false, stale: lockStaleMs() };
  for (;;) {
    await sleep(LOCK_POLL_MS);
    const data = await readVariantFile(loc.path);
    if (data) return data;
    if (!(await lockfile.check(loc.path, options))) return null;
    if (Date.now() > deadline) throw tookTooLong();
  }
}

async function makeVariant(loc: Located, req: VariantRequest, format: ImageFormat, store: VariantStore) {
  const source = await store.storage.get(loc.sourceKey);
  if (!source) throw new AppError('NOT_FOUND', 'Image source missing');
  transformStats.runs++;
  const out = await transformImage(source, req.width, format).catch((e: unknown) => {
    throw toTransformError(e);
  });
  await mkdir(loc.dir, { recursive: true });
  const tmp = `${loc.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, out);
  await rename(tmp, loc.path);
  bytesCache.set(loc.path, out);
  return out;
}

export async function getVariant(
  db: Db,
  req: VariantRequest,
  format: ImageFormat,
  store: VariantStore = defaultStore(),
): Promise<Variant> {
  const loc = await locate(db, req, format, store.cacheDir);
  return { data: await readVariant(loc, req, format, store), format, etag: loc.etag };
}

/**
 * GET /api/images/{id}?w=&f=&v=: the whole response, so the route stays a
 * one-liner and tests can drive it with real Requests.
 */
export async function serveImage(
  db: Db,
  id: string | undefined,
  url: URL,
  headers: Headers,
  store: VariantStore = defaultStore(),
): Promise<Response> {
  const req = parseVariantRequest(id, url.searchParams);
  const format = req.format ?? negotiateFormat(headers.get('accept'));
  const loc = await locate(db, req, format, store.cacheDir);
  const out = variantHeaders(req, format, loc.etag);
  // The ETag is derived from the key, so a revalidation needs no bytes at all.
  if (etagMatches(headers.get('if-none-match'), loc.etag)) return new Response(null, { status: 304, headers: out });
  const data = await readVariant(loc, req, format, store);
  out['Content-Length'] = String(data.length);
  return new Response(new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.length), {
    status: 200,
    headers: out,
  });
}

function variantHeaders(req: VariantRequest, format: ImageFormat, etag: string): Record<string, string> {
  const out: Record<string, string> = {
    ...IMAGE_RESPONSE_HEADERS,
    'Content-Type': CONTENT_TYPE[format],
    // Versioned URLs (v = content hash) never change; unversioned ones revalidate.
    'Cache-Control': req.version ? IMMUTABLE : 'public, max-age=300',
    ETag: etag,
  };
  if (!req.format) out.Vary = 'Accept';
  return out;
}

const IMAGE_PATH = /^\/api\/images\/([^/]+)$/;

/**
 * A variant this process served a moment ago, answered without Astro (the node
 * server's fast path, like catalogHit): the row and the bytes are both in
 * memory, so a hit costs no query and no file read. Null for anything else
 * (not an image URL, invalid, not cached): the route answers it, errors included.
 */
export function imageHit(
  pathname: string,
  query: string | undefined,
  accept: string | undefined,
  ifNoneMatch: string | undefined,
): FastAnswer | null {
  const m = IMAGE_PATH.exec(pathname);
  const image = m ? rowCache.get(m[1]!) : undefined;
  if (!m || !image) return null;
  let req: VariantRequest;
  let format: ImageFormat;
  let loc: Located;
  try {
    req = parseVariantRequest(m[1], new URLSearchParams(query ?? ''));
    format = req.format ?? negotiateFormat(accept ?? null);
    loc = variantLocation(image, req, format, getEnv().IMAGE_CACHE_DIR);
  } catch {
    return null;
  }
  const headers = variantHeaders(req, format, loc.etag);
  if (etagMatches(ifNoneMatch ?? null, loc.etag)) return { status: 304, headers };
  const body = bytesCache.get(loc.path);
  if (!body) return null;
  headers['Content-Length'] = String(body.length);
  return { status: 200, headers, body };
}

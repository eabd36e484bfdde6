// GET /api/images/{id}: negotiation, caching, refusals, single flight and back
// pressure, driven through serveImage with real Requests, real sharp and both engines.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/db.ts';
import { makeCatalog, phoneJpeg, pngBomb, solid, tempDir } from '../helpers/image-fixtures.ts';
import { errorResponse, toAppError } from '../../src/lib/server/http/errors.ts';
import { FolderStorage } from '../../src/lib/server/images/storage.ts';
import { deleteProductImage, storeProductImage } from '../../src/lib/server/images/uploads.ts';
import {
  clearImageMemoryCaches,
  configureTransforms,
  PIPELINE_VERSION,
  QUALITY,
  serveImage,
  transformQueue,
  transformStats,
  type VariantStore,
} from '../../src/lib/server/images/variants.ts';

const AVIF_ACCEPT = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const WEBP_ACCEPT = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5';

const signature = (b: Buffer) => {
  if (b.subarray(4, 12).toString('latin1') === 'ftypavif') return 'avif';
  if (b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  return 'unknown';
};

describeEachEngine('image endpoint', (ctx) => {
  let store: VariantStore;
  let imageId: string;
  let hash: string;
  let gpsImageId: string;

  /** The route, minus Astro: same function, same error mapping as handle(). */
  async function get(path: string, headers: Record<string, string> = {}) {
    const url = new URL(path, 'http://test.local');
    const id = decodeURIComponent(url.pathname.replace('/api/images/', ''));
    try {
      return await serveImage(ctx().db, id, url, new Headers(headers), store);
    } catch (err) {
      return errorResponse(toAppError(err));
    }
  }
  const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer());
  const url = (q: string) => `/api/images/${imageId}?${q}`;

  beforeAll(async () => {
    store = { storage: new FolderStorage(tempDir('uploads')), cacheDir: tempDir('cache') };
    const { product } = await makeCatalog(ctx().db);
    const photo = await solid(1400, 1000, '#8a5a2b').jpeg().toBuffer();
    const img = await storeProductImage(ctx().db, store.storage, product.id, photo, 'Brown leather bag');
    imageId = img.id;
    hash = img.contentHash;
    gpsImageId = (await storeProductImage(ctx().db, store.storage, product.id, await phoneJpeg(800, 600))).id;
  });
  afterAll(() => rmSync(store.cacheDir, { recursive: true, force: true }));

  it('negotiates AVIF, then WebP, then JPEG from Accept, and says so in the bytes', async () => {
    const avif = await get(url('w=320'), { Accept: AVIF_ACCEPT });
    expect(avif.status).toBe(200);
    expect(avif.headers.get('content-type')).toBe('image/avif');
    expect(avif.headers.get('vary')).toBe('Accept');
    expect(signature(await bytes(avif))).toBe('avif');

    const webp = await get(url('w=320'), { Accept: WEBP_ACCEPT });
    expect(webp.headers.get('content-type')).toBe('image/webp');
    expect(signature(await bytes(webp))).toBe('webp');

    for (const accept of ['image/*', '*/*', '', 'image/avif;q=0, image/webp;q=0, image/*']) {
      const jpeg = await get(url('w=320'), accept ? { Accept: accept } : {});
      expect(jpeg.headers.get('content-type')).toBe('image/jpeg');
      expect(signature(await bytes(jpeg))).toBe('jpeg');
    }
    const noAvif = await get(url('w=320'), { Accept: 'image/avif;q=0,image/webp' });
    expect(signature(await bytes(noAvif))).toBe('webp');
  });

  it('lets f= override Accept, without Vary', async () => {
    const res = await get(url('w=160&f=webp'), { Accept: AVIF_ACCEPT });
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(res.headers.get('vary')).toBeNull();
    const buf = await bytes(res);
    expect(signature(buf)).toBe('webp');
    expect((await sharp(buf).metadata()).width).toBe(160);
  });

  it('resizes to the requested width, never enlarging', async () => {
    const m = await sharp(await bytes(await get(url('w=640&f=jpeg')))).metadata();
    expect([m.width, m.height]).toEqual([640, 457]);
    const big = await sharp(await bytes(await get(url('w=1920&f=jpeg')))).metadata();
    expect(big.width).toBe(1400);
  });

  it('serves versioned URLs as immutable with an ETag, and 304s revalidation', async () => {
    const v = hash.slice(0, 12);
    const first = await get(url(`w=480&v=${v}`), { Accept: AVIF_ACCEPT });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(Number(first.headers.get('content-length'))).toBe((await bytes(first)).length);

    for (const inm of [etag, `W/${etag}`, `"nope", ${etag}`, '*']) {
      const again = await get(url(`w=480&v=${v}`), { Accept: AVIF_ACCEPT, 'If-None-Match': inm });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect((await bytes(again)).length).toBe(0);
    }
    const other = await get(url(`w=480&v=${v}`), { Accept: AVIF_ACCEPT, 'If-None-Match': '"something-else"' });
    expect(other.status).toBe(200);
    // A different format is a different representation with its own ETag.
    const jpeg = await get(url(`w=480&v=${v}`), { Accept: 'image/jpeg', 'If-None-Match': etag });
    expect(jpeg.status).toBe(200);
    expect(jpeg.headers.get('etag')).not.toBe(etag);
    // Unversioned URLs are cacheable only briefly.
    expect((await get(url('w=480'))).headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('answers with nosniff and a sandboxing CSP', async () => {
    const res = await get(url('w=160'));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('refuses other widths, unknown or repeated parameters, bad formats and versions', async () => {
    const cases: [string, number, RegExp][] = [
      ['w=500', 400, /Invalid w/],
      ['w=0640', 400, /Invalid w/],
      ['w=640.0', 400, /Invalid w/],
      ['w=6.4e2', 400, /Invalid w/],
      ['', 400, /Invalid w/],
      ['w=640&w=320', 400, /Repeated parameter: w/],
      ['w=640&q=90', 400, /Unknown parameter: q/],
      ['w=640&f=gif', 400, /Invalid f/],
      ['w=640&f=svg', 400, /Invalid f/],
      ['w=640&v=zzz', 400, /Invalid v/],
      ['w=640&v=000000000000', 404, /version not found/],
    ];
    for (const [q, status, message] of cases) {
      const res = await get(url(q));
      expect(res.status, q).toBe(status);
      const body = await res.json();
      expect(body.error.message, q).toMatch(message);
    }
  });

  it('answers 404 for unknown images and path traversal in the id', async () => {
    for (const id of [
      'cnotarealimage00000000000',
      '..%2F..%2Fetc%2Fpasswd',
      '../../etc/passwd',
      '..',
      '%00',
      'ABC12345',
      'a'.repeat(41),
    ]) {
      const res = await get(`/api/images/${id}?w=320`);
      expect(res.status, id).toBe(404);
      expect((await res.json()).error.code).toBe('NOT_FOUND');
    }
  });

  it('runs one transform for a burst of requests for the same missing variant, then serves from disk', async () => {
    const before = transformStats.runs;
    const responses = await Promise.all(Array.from({ length: 25 }, () => get(url('w=960&f=webp'))));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const bodies = await Promise.all(responses.map(bytes));
    expect(bodies.every((b) => b.equals(bodies[0]!))).toBe(true);
    expect(transformStats.runs - before).toBe(1);
    // On disk under the source's content hash, with width, quality and pipeline version in the name.
    const dir = join(store.cacheDir, hash.slice(0, 2), hash);
    expect(readdirSync(dir)).toContain(`960-q${QUALITY.webp}-p${PIPELINE_VERSION}.webp`);

    const cached = await get(url('w=960&f=webp'));
    expect((await bytes(cached)).equals(bodies[0]!)).toBe(true);
    // Past the in-memory caches: the variant comes from disk, still no transform.
    clearImageMemoryCaches();
    const fromDisk = await get(url('w=960&f=webp'));
    expect((await bytes(fromDisk)).equals(bodies[0]!)).toBe(true);
    expect(transformStats.runs - before).toBe(1);
  });

  it('answers 503 with Retry-After when the transform queue is full', async () => {
    const saved = configureTransforms({ maxQueue: 1 });
    transformQueue.pause();
    try {
      const waiting = get(url('w=1280&f=jpeg'));
      await expect.poll(() => transformQueue.size).toBe(1);
      const refused = await get(url('w=1280&f=webp'));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('2');
      expect((await refused.json()).error.code).toBe('SERVICE_UNAVAILABLE');
      // Joining the variant already queued is not more work: it is accepted.
      const joined = get(url('w=1280&f=jpeg'));
      transformQueue.start();
      expect((await waiting).status).toBe(200);
      expect((await joined).status).toBe(200);
      // With room again, the refused variant is served.
      expect((await get(url('w=1280&f=webp'))).status).toBe(200);
    } finally {
      transformQueue.start();
      configureTransforms({ maxQueue: saved.maxQueue });
    }
  });

  it('serves variants of a phone photo without its EXIF GPS position', async () => {
    for (const f of ['jpeg', 'webp', 'avif']) {
      const buf = await bytes(await get(`/api/images/${gpsImageId}?w=1920&f=${f}`));
      const m = await sharp(buf).metadata();
      expect(m.exif, f).toBeUndefined();
      expect(buf.includes('Exif\0\0'), f).toBe(false);
      // Orientation was applied to the pixels at upload: 800x600 stored as rotated 90°.
      expect([m.width, m.height], f).toEqual([600, 800]);
    }
  });

  it('stops serving a deleted image at once', async () => {
    const { product, seller } = await makeCatalog(ctx().db);
    const img = await storeProductImage(
      ctx().db,
      store.storage,
      product.id,
      await solid(200, 200, '#445566').png().toBuffer(),
    );
    expect((await get(`/api/images/${img.id}?w=160`)).status).toBe(200);
    await deleteProductImage(ctx().db, store.storage, { id: seller.id, role: 'SELLER' }, product.id, img.id);
    expect((await get(`/api/images/${img.id}?w=160`)).status).toBe(404);
  });
  it('refuses to decode a stored source over the variant pixel limit', async () => {
    // Uploads never store one (40 MP cap, then at most 2560 px a side), but an imported or
    // old original could be a bomb: 400 MP that inflates to over 1 GB.
    const { product } = await makeCatalog(ctx().db);
    const bomb = pngBomb(20_000, 20_000);
    const contentHash = createHash('sha256').update(bomb).digest('hex');
    const sourceKey = `products/${contentHash.slice(0, 2)}/${contentHash}.png`;
    await store.storage.put(sourceKey, bomb);
    const row = await ctx().db.productImage.create({
      data: {
        productId: product.id,
        sourceKey,
        contentHash,
        width: 20_000,
        height: 20_000,
        lqip: '',
        dominantColor: '#000000',
      },
    });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const res = await get(`/api/images/${row.id}?w=1920&f=webp`);
    expect(res.status).toBe(500);
    expect((await res.json()).error.code).toBe('INTERNAL');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
    expect(existsSync(join(store.cacheDir, contentHash.slice(0, 2), contentHash))).toBe(false);
  });
  it('gives up on a transform that runs past the time limit: 503 with Retry-After', async () => {
    // Legal but slow: 24 MP of 16-bit interlaced PNG (1 MB) with a Display P3 profile, so that
    // every pixel is also converted to sRGB: 1.4-1.7 s here (2026-12-01), against 0.95 s without
    // the profile, which on a fast machine finished inside the 1 s limit.
    const slow = await sharp({ create: { width: 4898, height: 4898, channels: 4, background: '#000000' } })
      .toColourspace('rgb16')
      .withIccProfile('p3')
      .png({ progressive: true })
      .toBuffer();
    const { product } = await makeCatalog(ctx().db);
    const contentHash = createHash('sha256').update(slow).digest('hex');
    const sourceKey = `products/${contentHash.slice(0, 2)}/${contentHash}.png`;
    await store.storage.put(sourceKey, slow);
    const row = await ctx().db.productImage.create({
      data: {
        productId: product.id,
        sourceKey,
        contentHash,
        width: 4898,
        height: 4898,
        lqip: '',
        dominantColor: '#000000',
      },
    });
    const saved = configureTransforms({ timeoutSeconds: 1 });
    try {
      const res = await get(`/api/images/${row.id}?w=1920&f=avif`); // the most work there is
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect((await res.json()).error.code).toBe('SERVICE_UNAVAILABLE');
      expect(existsSync(join(store.cacheDir, contentHash.slice(0, 2), contentHash))).toBe(false);
    } finally {
      configureTransforms({ timeoutSeconds: saved.timeoutSeconds });
    }
  });
});

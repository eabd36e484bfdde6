// Seller image management on both engines: who may upload, what is accepted,
// what is stripped, limits that hold while streaming, reorder, alt, delete.
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../helpers/db.ts';
import {
  formRequest,
  hasGpsIfd,
  makeCatalog,
  phoneJpeg,
  pngBomb,
  solid,
  tempDir,
  uploadRequest,
} from '../helpers/image-fixtures.ts';
import { listAudit } from '../../src/lib/server/admin/audit.ts';
import { AppError } from '../../src/lib/server/http/errors.ts';
import { FolderStorage, type BlobStorage } from '../../src/lib/server/images/storage.ts';
import {
  addProductImage,
  deleteProductImage,
  listProductImages,
  listVisibleProductImages,
  readImageUpload,
  reorderProductImages,
  storeProductImage,
  updateImageAlt,
  type Actor,
} from '../../src/lib/server/images/uploads.ts';
import { uploadsInFlight } from '../../src/lib/server/images/upload-limits.ts';
import { MAX_IMAGES_PER_PRODUCT, MAX_UPLOAD_BYTES } from '../../src/lib/shared/images.ts';

/** Rejects with an AppError of this code and status (what the route's handle() will answer). */
async function expectAppError(p: Promise<unknown>, code: string, status: number, message?: RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  expect((err as AppError).status).toBe(status);
  if (message) expect((err as AppError).message).toMatch(message);
}

const BOUNDARY = 'soko-boundary-1234';
/** The start of a multipart body: the `file` part's headers. */
const fileHead = (filename: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );

/** An upload whose body is pulled from `source` (nothing is pulled until someone reads). */
function streamedUpload(source: UnderlyingDefaultSource<Uint8Array>): Request {
  return new Request('http://test.local/upload', {
    method: 'POST',
    body: new ReadableStream<Uint8Array>(source, { highWaterMark: 0 }),
    headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
    duplex: 'half',
  } as RequestInit);
}

/** A multipart body that never ends: counts how much the server actually pulled. */
function endlessUpload() {
  const head = fileHead('huge.jpg');
  const chunk = Buffer.alloc(256 * 1024, 0x41);
  chunk[0] = 0xff;
  const stats = { pulled: 0, cancelled: false };
  let sentHead = false;
  const request = streamedUpload({
    pull(controller) {
      const next = sentHead ? chunk : head;
      sentHead = true;
      stats.pulled += next.length;
      controller.enqueue(new Uint8Array(next));
      // 200 MB without a limit would be a clear failure; stop there.
      if (stats.pulled > 200 * 1024 * 1024) controller.close();
    },
    cancel() {
      stats.cancelled = true;
    },
  });
  return { request, stats };
}

/** A multipart body that sends the file part's first bytes, then stalls until `end()` (a slow phone upload). */
function stalledUpload() {
  const head = Buffer.concat([fileHead('slow.jpg'), Buffer.from([0xff, 0xd8])]);
  const stats = { pulled: 0 };
  let end = () => {};
  const stalled = new Promise<void>((resolve) => (end = resolve));
  let sentHead = false;
  const request = streamedUpload({
    async pull(controller) {
      if (!sentHead) {
        sentHead = true;
        stats.pulled += head.length;
        controller.enqueue(new Uint8Array(head));
        return;
      }
      await stalled;
      controller.close(); // ends inside the file part: a malformed body
    },
  });
  return { request, stats, end };
}

describeEachEngine('product image uploads', (ctx) => {
  let storage: FolderStorage;
  let cat: Awaited<ReturnType<typeof makeCatalog>>;
  const as = (u: { id: string; role: string }): Actor => ({ id: u.id, role: u.role as Actor['role'] });

  beforeAll(async () => {
    storage = new FolderStorage(tempDir('uploads'));
    cat = await makeCatalog(ctx().db);
  });

  it('stores a phone photo oriented, without EXIF GPS, with a placeholder and alt text', async () => {
    const photo = await phoneJpeg(1200, 900);
    expect(hasGpsIfd((await sharp(photo).metadata()).exif!)).toBe(true);
    const img = await addProductImage(
      ctx().db,
      storage,
      as(cat.seller),
      cat.product.id,
      await uploadRequest(photo, { alt: '  Red beaded necklace ' }),
    );

    expect(img).toMatchObject({ width: 900, height: 1200, alt: 'Red beaded necklace', position: 0 });
    expect(img.lqip).toMatch(/^data:image\/webp;base64,/);
    expect(img.lqip.length).toBeLessThan(1024);
    expect(img.dominantColor).toMatch(/^#[0-9a-f]{6}$/);

    const row = await ctx().db.productImage.findUniqueOrThrow({ where: { id: img.id } });
    // Server-generated, content-addressed: nothing from the client's file name.
    expect(row.sourceKey).toBe(`products/${row.contentHash.slice(0, 2)}/${row.contentHash}.jpg`);
    expect(row.sourceKey).not.toContain('photo');
    const stored = (await storage.get(row.sourceKey))!;
    const m = await sharp(stored).metadata();
    expect(m.exif).toBeUndefined();
    expect(m.orientation).toBeUndefined();
    expect(stored.includes('Exif\0\0')).toBe(false);
    expect([m.format, m.width, m.height]).toEqual(['jpeg', 900, 1200]);
  });

  it('accepts PNG, WebP and AVIF by their bytes, whatever the file is called', async () => {
    for (const [fmt, name] of [
      ['png', 'a.png'],
      ['webp', 'b.jpg'],
      ['avif', 'c'],
    ] as const) {
      const buf = await solid(300, 200, '#228844').toFormat(fmt).toBuffer();
      const img = await addProductImage(
        ctx().db,
        storage,
        as(cat.seller),
        cat.product.id,
        await uploadRequest(buf, { name, type: 'application/octet-stream' }),
      );
      expect([img.width, img.height]).toEqual([300, 200]);
    }
  });

  it('lets an admin upload but refuses another seller and buyers without reading the body', async () => {
    const buf = await solid(64, 64).jpeg().toBuffer();
    const admin = await addProductImage(ctx().db, storage, as(cat.admin), cat.product.id, await uploadRequest(buf));
    expect(admin.id).toBeTruthy();

    for (const actor of [cat.otherSeller, cat.buyer]) {
      const { request, stats } = endlessUpload();
      await expectAppError(addProductImage(ctx().db, storage, as(actor), cat.product.id, request), 'FORBIDDEN', 403);
      expect(stats.pulled).toBe(0);
    }
    await expectAppError(
      addProductImage(ctx().db, storage, as(cat.seller), 'cnosuchproduct0000000000', await uploadRequest(buf)),
      'NOT_FOUND',
      404,
    );
    await expectAppError(
      addProductImage(ctx().db, storage, as(cat.seller), '../../etc', await uploadRequest(buf)),
      'NOT_FOUND',
      404,
    );
  });

  it(`reads at most ${uploadsInFlight.max} uploads at once; the next gets 503 before a byte of it is read`, async () => {
    const slow = Array.from({ length: uploadsInFlight.max }, () => stalledUpload());
    const pending = slow.map((u) =>
      addProductImage(ctx().db, storage, as(cat.seller), cat.product.id, u.request).then(
        () => null,
        (e: unknown) => e,
      ),
    );
    await expect.poll(() => uploadsInFlight.count).toBe(uploadsInFlight.max);
    await expect.poll(() => slow.every((u) => u.stats.pulled > 0)).toBe(true);

    const next = endlessUpload();
    const refused = await addProductImage(ctx().db, storage, as(cat.seller), cat.product.id, next.request).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).status).toBe(503);
    expect((refused as AppError).headers['Retry-After']).toBe('2');
    expect(next.stats.pulled).toBe(0);

    // The stalled uploads end inside the file part: each is refused (it used to be an
    // uncaught stream error, which crashes the process), and its slot comes back.
    for (const u of slow) u.end();
    for (const err of await Promise.all(pending)) {
      expect((err as AppError).status).toBe(400);
      expect((err as AppError).message).toMatch(/ended before the file/);
    }
    expect(uploadsInFlight.count).toBe(0);
    const buf = await solid(48, 48).jpeg().toBuffer();
    const image = await addProductImage(ctx().db, storage, as(cat.seller), cat.product.id, await uploadRequest(buf));
    await deleteProductImage(ctx().db, storage, as(cat.seller), cat.product.id, image.id);
  });

  it('refuses SVG, a text file renamed .jpg, GIF and damaged JPEGs', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    const cases: [Buffer, string, string][] = [
      [svg, 'logo.svg', 'image/svg+xml'],
      [Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'x.jpg', 'image/jpeg'],
      [Buffer.from('this is a text file pretending to be a photo\n'.repeat(20)), 'holiday.jpg', 'image/jpeg'],
      [await solid(10, 10).gif().toBuffer(), 'anim.gif', 'image/gif'],
      [
        Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('garbage after a JPEG signature').values()]),
        'broken.jpg',
        'image/jpeg',
      ],
    ];
    for (const [buf, name, type] of cases) {
      await expectAppError(
        addProductImage(ctx().db, storage, as(cat.seller), cat.product.id, await uploadRequest(buf, { name, type })),
        'UNSUPPORTED_MEDIA_TYPE',
        415,
      );
    }
  });

  it('refuses a decompression bomb without decoding it', async () => {
    const bomb = pngBomb(20_000, 20_000);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const before = process.memoryUsage().rss;
    await expectAppError(
      addProductImage(
        ctx().db,
        storage,
        as(cat.seller),
        cat.product.id,
        await uploadRequest(bomb, { name: 'bomb.png', type: 'image/png' }),
      ),
      'PAYLOAD_TOO_LARGE',
      413,
      /megapixels/,
    );
    // Decoding would need over 1 GB; refusing from the header needs next to nothing.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * 1024 * 1024);
  });

  it('stops reading an oversized upload at the limit', async () => {
    const { request, stats } = endlessUpload();
    const before = process.memoryUsage().rss;
    await expectAppError(readImageUpload(request), 'PAYLOAD_TOO_LARGE', 413, /10 MB/);
    expect(stats.pulled).toBeGreaterThan(MAX_UPLOAD_BYTES);
    expect(stats.pulled).toBeLessThan(MAX_UPLOAD_BYTES + 2 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    // A declared Content-Length over the limit is refused before reading.
    const declared = new Request('http://test.local/upload', {
      method: 'POST',
      body: 'x',
      headers: { 'Content-Type': 'multipart/form-data; boundary=b', 'Content-Length': String(50 * 1024 * 1024) },
    });
    await expectAppError(readImageUpload(declared), 'PAYLOAD_TOO_LARGE', 413);
  });

  it('refuses malformed uploads with 400/415 naming the problem', async () => {
    const buf = await solid(32, 32).jpeg().toBuffer();
    await expectAppError(readImageUpload(await uploadRequest(null, { alt: 'x' })), 'BAD_REQUEST', 400, /Missing file/);
    await expectAppError(
      readImageUpload(await uploadRequest(buf, { alt: 'x'.repeat(300) })),
      'VALIDATION_FAILED',
      400,
      /alt/,
    );
    await expectAppError(
      readImageUpload(await uploadRequest(buf, { alt: 'line\nbreak' })),
      'VALIDATION_FAILED',
      400,
      /alt/,
    );
    const form = new FormData();
    form.set('picture', new Blob([new Uint8Array(buf)]), 'a.jpg');
    await expectAppError(readImageUpload(await formRequest(form)), 'BAD_REQUEST', 400, /Unknown part: picture/);
    const two = new FormData();
    two.append('file', new Blob([new Uint8Array(buf)]), 'a.jpg');
    two.append('file', new Blob([new Uint8Array(buf)]), 'b.jpg');
    await expectAppError(readImageUpload(await formRequest(two)), 'BAD_REQUEST', 400, /one image/);
    await expectAppError(
      readImageUpload(
        new Request('http://t/', { method: 'POST', body: buf, headers: { 'Content-Type': 'image/jpeg' } }),
      ),
      'UNSUPPORTED_MEDIA_TYPE',
      415,
      /multipart/,
    );
  });

  it(`allows at most ${MAX_IMAGES_PER_PRODUCT} images per product, even with concurrent uploads`, async () => {
    const { product } = await makeCatalog(ctx().db);
    const colours = Array.from(
      { length: MAX_IMAGES_PER_PRODUCT + 3 },
      (_, i) => `#${(0x102030 + i * 0x0a0b0c).toString(16)}`,
    );
    const bufs = await Promise.all(colours.map((c) => solid(48, 48, c).jpeg().toBuffer()));
    const results = await Promise.allSettled(bufs.map((b) => storeProductImage(ctx().db, storage, product.id, b)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_IMAGES_PER_PRODUCT);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CONFLICT', status: 409 });
    }
    const images = await listProductImages(ctx().db, product.id);
    expect(images.map((i) => i.position)).toEqual([...Array(MAX_IMAGES_PER_PRODUCT).keys()]);
    const seller = await ctx().db.product.findUniqueOrThrow({ where: { id: product.id }, select: { sellerId: true } });
    await expectAppError(
      addProductImage(
        ctx().db,
        storage,
        { id: seller.sellerId, role: 'SELLER' },
        product.id,
        await uploadRequest(bufs[0]!),
      ),
      'CONFLICT',
      409,
    );
  });

  it('requires alt text on a seller upload and on an edit, and marks the product page changed', async () => {
    const { db } = ctx();
    const { product, seller } = await makeCatalog(db);
    const buf = await solid(64, 64, '#553311').jpeg().toBuffer();
    for (const alt of [null, '', '  ', 'ab']) {
      await expectAppError(
        addProductImage(db, storage, as(seller), product.id, await uploadRequest(buf, { alt })),
        'VALIDATION_FAILED',
        400,
        /^Invalid alt: is required/,
      );
    }
    expect(await db.productImage.count({ where: { productId: product.id } })).toBe(0);

    // Every change to the photos bumps the product's updatedAt: the catalog gate then renders its page live.
    const stamps: number[] = [(await db.product.findUniqueOrThrow({ where: { id: product.id } })).updatedAt.getTime()];
    const stamp = async () => {
      const t = (await db.product.findUniqueOrThrow({ where: { id: product.id } })).updatedAt.getTime();
      expect(t).toBeGreaterThan(stamps.at(-1)!);
      stamps.push(t);
    };
    const pause = () => new Promise((r) => setTimeout(r, 3));
    await pause();
    const a = await addProductImage(db, storage, as(seller), product.id, await uploadRequest(buf, { alt: 'A bowl' }));
    await stamp();
    await pause();
    const b = await storeProductImage(db, storage, product.id, buf, 'Another bowl');
    await stamp();
    await pause();
    await reorderProductImages(db, as(seller), product.id, { imageIds: [b.id, a.id] });
    await stamp();
    await pause();
    await expectAppError(updateImageAlt(db, as(seller), product.id, a.id, ''), 'VALIDATION_FAILED', 400, /alt/);
    await updateImageAlt(db, as(seller), product.id, a.id, 'The bowl from above');
    await stamp();
    await pause();
    await deleteProductImage(db, storage, as(seller), product.id, b.id);
    await stamp();
  });

  it('reorders, sets alt text and deletes, for the seller only', async () => {
    const { product, seller, otherSeller } = await makeCatalog(ctx().db);
    const bufs = await Promise.all(['#aa0000', '#00aa00', '#0000aa'].map((c) => solid(40, 40, c).jpeg().toBuffer()));
    const imgs = [];
    for (const b of bufs) imgs.push(await storeProductImage(ctx().db, storage, product.id, b));
    // The same bytes again (e.g. uploaded twice): one stored original, two rows.
    const dup = await storeProductImage(ctx().db, storage, product.id, bufs[0]!);
    const [a, b, c] = imgs as [(typeof imgs)[0], (typeof imgs)[0], (typeof imgs)[0]];
    expect(dup.contentHash).toBe(a.contentHash);

    const order = [c.id, a.id, dup.id, b.id];
    const reordered = await reorderProductImages(ctx().db, as(seller), product.id, { imageIds: order });
    expect(reordered.map((i) => i.id)).toEqual(order);
    for (const bad of [
      { imageIds: [a.id, b.id] },
      { imageIds: [a.id, a.id, b.id, c.id] },
      { imageIds: order, extra: 1 },
      {},
    ]) {
      await expectAppError(reorderProductImages(ctx().db, as(seller), product.id, bad), 'VALIDATION_FAILED', 400);
    }
    await expectAppError(
      reorderProductImages(ctx().db, as(otherSeller), product.id, { imageIds: order }),
      'FORBIDDEN',
      403,
    );

    expect((await updateImageAlt(ctx().db, as(seller), product.id, b.id, ' Green bowl ')).alt).toBe('Green bowl');
    await expectAppError(
      updateImageAlt(ctx().db, as(seller), product.id, b.id, 'x'.repeat(251)),
      'VALIDATION_FAILED',
      400,
      /alt/,
    );
    await expectAppError(updateImageAlt(ctx().db, as(otherSeller), product.id, b.id, 'mine now'), 'FORBIDDEN', 403);
    await expectAppError(
      updateImageAlt(ctx().db, as(seller), product.id, cat.product.id, 'wrong id'),
      'NOT_FOUND',
      404,
    );

    await expectAppError(deleteProductImage(ctx().db, storage, as(otherSeller), product.id, a.id), 'FORBIDDEN', 403);
    const key = (await ctx().db.productImage.findUniqueOrThrow({ where: { id: a.id } })).sourceKey;
    await deleteProductImage(ctx().db, storage, as(seller), product.id, a.id);
    expect(await storage.get(key)).not.toBeNull(); // still used by the duplicate
    await deleteProductImage(ctx().db, storage, as(seller), product.id, dup.id);
    expect(await storage.get(key)).toBeNull();
    expect((await listProductImages(ctx().db, product.id)).map((i) => i.id)).toEqual([c.id, b.id]);
    await expectAppError(deleteProductImage(ctx().db, storage, as(seller), product.id, a.id), 'NOT_FOUND', 404);
  });
  it('lists a product’s images to everyone only while shoppers can see the product', async () => {
    const { db } = ctx();
    const { product, seller, otherSeller, buyer, admin } = await makeCatalog(db);
    const img = await storeProductImage(db, storage, product.id, await solid(40, 40).jpeg().toBuffer(), 'A ring');
    const ids = async (viewer: Actor | null) =>
      (await listVisibleProductImages(db, viewer, product.id)).map((i) => i.id);
    for (const viewer of [null, as(buyer), as(otherSeller), as(seller), as(admin)]) {
      expect(await ids(viewer)).toEqual([img.id]);
    }

    const hidden = async () => {
      for (const viewer of [null, as(buyer), as(otherSeller)]) {
        await expectAppError(listVisibleProductImages(db, viewer, product.id), 'NOT_FOUND', 404);
      }
      // Its seller (the /sell editor) and admins still see them.
      expect(await ids(as(seller))).toEqual([img.id]);
      expect(await ids(as(admin))).toEqual([img.id]);
    };
    for (const status of ['DRAFT', 'HIDDEN', 'ARCHIVED'] as const) {
      await db.product.update({ where: { id: product.id }, data: { status } });
      await hidden();
    }
    await db.product.update({ where: { id: product.id }, data: { status: 'ACTIVE' } });
    await db.user.update({ where: { id: seller.id }, data: { status: 'SUSPENDED' } });
    await hidden();
    await db.user.update({ where: { id: seller.id }, data: { status: 'ACTIVE' } });

    for (const id of ['cnosuchproduct0000000000', '../../etc', '..', 'ABC12345']) {
      await expectAppError(listVisibleProductImages(db, as(admin), id), 'NOT_FOUND', 404);
    }
  });

  it('keeps the stored bytes of an image added while another with the same bytes is deleted', async () => {
    const { db } = ctx();
    const one = await makeCatalog(db);
    const two = await makeCatalog(db);
    const bytes = await solid(56, 56, '#7a1f5c').jpeg().toBuffer();
    const old = await storeProductImage(db, storage, one.product.id, bytes);
    const key = (await db.productImage.findUniqueOrThrow({ where: { id: old.id } })).sourceKey;

    // The second upload of the same bytes stops right after writing them, until released.
    let reached!: () => void;
    const atPut = new Promise<void>((r) => (reached = r));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const paused: BlobStorage = {
      get: (k) => storage.get(k),
      delete: (k) => storage.delete(k),
      put: async (k, data) => {
        await storage.put(k, data);
        reached();
        await gate;
      },
    };
    const adding = storeProductImage(db, paused, two.product.id, bytes);
    await atPut;
    // Meanwhile the seller of the first product deletes the last image that used those bytes.
    const deleting = deleteProductImage(db, storage, as(one.seller), one.product.id, old.id);
    // Give the delete time to finish if nothing holds it back (it must wait for the upload).
    await Promise.race([deleting, new Promise((r) => setTimeout(r, 500))]);
    release();
    const added = await adding;
    await deleting;

    expect((await db.productImage.findUniqueOrThrow({ where: { id: added.id } })).sourceKey).toBe(key);
    expect(await storage.get(key)).not.toBeNull();
    // And the last user going removes them.
    await deleteProductImage(db, storage, as(two.seller), two.product.id, added.id);
    expect(await storage.get(key)).toBeNull();
  });

  it("audits an admin's photo changes on a seller's product, not the seller's own", async () => {
    const { db } = ctx();
    const { product, seller, admin } = await makeCatalog(db);
    const buf = await solid(40, 40, '#775533').jpeg().toBuffer();
    const own = await addProductImage(db, storage, as(seller), product.id, await uploadRequest(buf, { alt: 'Mine' }));
    await updateImageAlt(db, as(seller), product.id, own.id, 'Still mine');
    expect((await listAudit(db, { page: 1, perPage: 10, targetId: product.id })).total).toBe(0);

    const added = await addProductImage(db, storage, as(admin), product.id, await uploadRequest(buf, { alt: 'Added' }));
    await reorderProductImages(db, as(admin), product.id, { imageIds: [added.id, own.id] });
    await updateImageAlt(db, as(admin), product.id, own.id, 'Retouched by support');
    await deleteProductImage(db, storage, as(admin), product.id, added.id);
    // A refused change leaves no entry.
    await expectAppError(updateImageAlt(db, as(admin), product.id, added.id, 'Gone'), 'NOT_FOUND', 404);
    const audit = await listAudit(db, { page: 1, perPage: 10, targetId: product.id });
    expect(audit.items.map((e) => [e.action, e.actor.id, e.before, e.after])).toEqual([
      ['product.image.delete', admin.id, { imageId: added.id, alt: 'Added' }, null],
      [
        'product.image.alt',
        admin.id,
        { imageId: own.id, alt: 'Still mine' },
        { imageId: own.id, alt: 'Retouched by support' },
      ],
      ['product.image.reorder', admin.id, { imageIds: [own.id, added.id] }, { imageIds: [added.id, own.id] }],
      ['product.image.add', admin.id, null, { imageId: added.id, alt: 'Added' }],
    ]);
  });
});

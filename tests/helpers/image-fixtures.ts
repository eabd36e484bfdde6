// Image fixtures for the image tests: real bytes made with sharp and zlib.
import { deflateSync, crc32 } from 'node:zlib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Db } from '../../src/lib/server/db.ts';

export function solid(width: number, height: number, background = '#3366cc') {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** A phone photo: pixels stored 100x50, EXIF says rotate 90°, GPS position attached. */
export function phoneJpeg(width = 100, height = 50): Promise<Buffer> {
  return solid(width, height, '#cc3333')
    .jpeg()
    .withExif({
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '1/1 17/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '36/1 49/1 0/1' },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A real decompression bomb: a valid 1-bit greyscale PNG of width x height
 * whose pixel data deflates to almost nothing (20000 x 20000 is ~50 KB on disk,
 * 400 MP, 1.2 GB once decoded to RGB).
 */
export function pngBomb(width = 20_000, height = 20_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const row = Math.ceil(width / 8) + 1; // filter byte + packed pixels
  const raw = Buffer.alloc(row * height); // all zero: filter 0, black
  const idat = deflateSync(raw, { level: 9 });
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Walk IFD0 of an EXIF blob looking for the GPSInfo pointer (tag 0x8825). */
export function hasGpsIfd(exif: Buffer): boolean {
  const tiff = exif.indexOf('Exif\0\0', 0, 'latin1') === 0 ? 6 : 0;
  const le = exif.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (o: number) => (le ? exif.readUInt16LE(o) : exif.readUInt16BE(o));
  const u32 = (o: number) => (le ? exif.readUInt32LE(o) : exif.readUInt32BE(o));
  const ifd0 = tiff + u32(tiff + 4);
  const count = u16(ifd0);
  for (let i = 0; i < count; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

export const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), `soko-${prefix}-`));

let counter = 0;

/** A seller, a second seller, a buyer, an admin, a category and one product of the first seller. */
export async function makeCatalog(db: Db) {
  const n = `${process.pid}-${++counter}-${Date.now()}`;
  const user = (role: 'SELLER' | 'BUYER' | 'ADMIN', name: string) =>
    db.user.create({ data: { email: `${name}-${n}@test.soko`, passwordHash: 'x', name, role } });
  const seller = await user('SELLER', 'seller');
  const otherSeller = await user('SELLER', 'other');
  const buyer = await user('BUYER', 'buyer');
  const admin = await user('ADMIN', 'admin');
  const category = await db.category.create({ data: { slug: `cat-${n}`, name: 'Jewellery' } });
  const product = await db.product.create({
    data: {
      sellerId: seller.id,
      categoryId: category.id,
      slug: `necklace-${n}`,
      title: 'Beaded necklace',
      description: 'Hand made',
      price: 450_000,
      stock: 3,
    },
  });
  return { seller, otherSeller, buyer, admin, category, product };
}

/**
 * A multipart upload Request, as a browser's FormData would send it. The body is
 * serialized first: undici's own FormData stream throws an unhandled rejection
 * when a reader cancels it early (a network body does not).
 */
export async function uploadRequest(
  file: Buffer | null,
  /** `alt` defaults to a description (product photos need one); null sends no `alt` part. */
  opts: { name?: string; type?: string; alt?: string | null } = {},
): Promise<Request> {
  const form = new FormData();
  const alt = opts.alt === undefined ? 'A test photo' : opts.alt;
  if (alt !== null) form.set('alt', alt);
  if (file)
    form.set('file', new Blob([new Uint8Array(file)], { type: opts.type ?? 'image/jpeg' }), opts.name ?? 'photo.jpg');
  return formRequest(form);
}

export async function formRequest(form: FormData): Promise<Request> {
  const encoded = new Response(form);
  return new Request('http://test.local/api/products/x/images', {
    method: 'POST',
    body: await encoded.arrayBuffer(),
    headers: { 'Content-Type': encoded.headers.get('content-type')! },
  });
}

import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { renderProductShot } from '../../prisma/seed/product-art.ts';
import { detectImageType, normalizeImage } from '../../src/lib/server/images/normalize.ts';
import { MAX_INPUT_PIXELS, makePlaceholder } from '../../src/lib/server/images/placeholder.ts';
import { contentKey, FolderStorage } from '../../src/lib/server/images/storage.ts';
import { tempDir } from '../helpers/image-fixtures.ts';

// ---------------------------------------------------------------- fixtures

function solid(width: number, height: number, background = '#3366cc') {
  return sharp({ create: { width, height, channels: 3, background } });
}

/** Deterministic noise: the worst case for LQIP size (nothing compresses). */
function noise(width: number, height: number) {
  const px = Buffer.alloc(width * height * 3);
  let s = 12345;
  for (let i = 0; i < px.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    px[i] = s >>> 24;
  }
  return sharp(px, { raw: { width, height, channels: 3 } });
}

/** A photo as a phone would send it: pixels stored 100x50, EXIF says rotate 90°, GPS attached. */
function phoneJpeg(width = 100, height = 50) {
  return solid(width, height, '#cc3333')
    .jpeg()
    .withExif({ IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '1/1 17/1 0/1' } })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** Walk IFD0 of an EXIF blob looking for the GPSInfo pointer (tag 0x8825). */
function hasGpsIfd(exif: Buffer): boolean {
  const tiff = exif.indexOf('Exif\0\0', 0, 'latin1') === 0 ? 6 : 0;
  const le = exif.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (o: number) => (le ? exif.readUInt16LE(o) : exif.readUInt16BE(o));
  const u32 = (o: number) => (le ? exif.readUInt32LE(o) : exif.readUInt32BE(o));
  const ifd0 = tiff + u32(tiff + 4);
  const count = u16(ifd0);
  for (let i = 0; i < count; i++) if (u16(ifd0 + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** A valid 1x1 PNG whose IHDR is rewritten to claim huge dimensions: a decompression-bomb header. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await solid(1, 1).png().toBuffer());
  // signature(8) + length(4) + 'IHDR'(4) → width @16, height @20, CRC over type+data @29
  png.writeUInt32BE(width, 16);
  png.writeUInt32BE(height, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

// ---------------------------------------------------------------- placeholder

describe('makePlaceholder', () => {
  it('returns a tiny WebP data URI, the dominant colour and the real dimensions', async () => {
    const input = await solid(1200, 800).jpeg().toBuffer();
    const p = await makePlaceholder(input);

    expect(p.width).toBe(1200);
    expect(p.height).toBe(800);
    expect(p.dominantColor).toMatch(/^#[0-9a-f]{6}$/);
    // #3366cc lands in a histogram bin near itself: clearly blue.
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(p.dominantColor.slice(i, i + 2), 16)) as [number, number, number];
    expect(b).toBeGreaterThan(r + 80);
    expect(b).toBeGreaterThan(g + 50);

    expect(p.lqip).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
    expect(p.lqip.length).toBeLessThan(1024);
    const decoded = await sharp(Buffer.from(p.lqip.split(',')[1]!, 'base64')).metadata();
    expect(decoded.format).toBe('webp');
    expect(decoded.width).toBeLessThanOrEqual(16);
    expect(decoded.width).toBe(16);
    expect(decoded.height).toBe(11); // aspect kept: 16 * 800/1200 ≈ 10.7
  });

  it('stays under 1 KB for incompressible input and for extreme aspect ratios', async () => {
    for (const [w, h] of [
      [2000, 1500],
      [100, 4000],
      [4000, 100],
    ] as const) {
      const p = await makePlaceholder(await noise(w, h).png().toBuffer());
      expect(p.lqip.length).toBeLessThan(1024);
      const m = await sharp(Buffer.from(p.lqip.split(',')[1]!, 'base64')).metadata();
      expect(m.width).toBeLessThanOrEqual(16);
      expect(m.height).toBeLessThanOrEqual(16);
    }
  });

  it('reports dimensions after EXIF orientation', async () => {
    const p = await makePlaceholder(await phoneJpeg(100, 50));
    expect([p.width, p.height]).toEqual([50, 100]);
    const m = await sharp(Buffer.from(p.lqip.split(',')[1]!, 'base64')).metadata();
    expect(m.height!).toBeGreaterThan(m.width!);
  });

  it('refuses images above MAX_INPUT_PIXELS and non-images', async () => {
    expect(MAX_INPUT_PIXELS).toBe(40_000_000);
    await expect(makePlaceholder(await pngClaiming(8000, 5001))).rejects.toThrow(/pixel limit/i);
    await expect(makePlaceholder(Buffer.from('definitely not an image'))).rejects.toThrow();
  });
});

// ---------------------------------------------------------------- normalize

describe('normalizeImage', () => {
  it('strips EXIF (GPS included) and applies the orientation to the pixels', async () => {
    const input = await phoneJpeg(100, 50);
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(hasGpsIfd(before.exif!)).toBe(true);
    expect(before.orientation).toBe(6);
    expect([before.width, before.height]).toEqual([100, 50]);

    const out = await normalizeImage(input);
    const after = await sharp(out.data).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(out.data.includes('Exif\0\0')).toBe(false);
    expect([out.width, out.height]).toEqual([50, 100]);
    expect([after.width, after.height]).toEqual([50, 100]);
  });

  it('strips a GPS position written as XMP (photo editors do) too', async () => {
    const xmp =
      '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
      '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" ' +
      'exif:GPSLatitude="1,17.0S" exif:GPSLongitude="36,49.0E"/></rdf:RDF></x:xmpmeta>';
    const input = await solid(64, 48).jpeg().withXmp(xmp).toBuffer();
    expect((await sharp(input).metadata()).xmp?.toString()).toContain('GPSLatitude');
    const out = await normalizeImage(input);
    expect((await sharp(out.data).metadata()).xmp).toBeUndefined();
    expect(out.data.includes('GPSLatitude')).toBe(false);
  });

  it('converts to sRGB and drops the ICC profile', async () => {
    const input = await solid(64, 64, '#20a040').jpeg().withIccProfile('p3').toBuffer();
    expect((await sharp(input).metadata()).icc).toBeDefined();
    const after = await sharp((await normalizeImage(input)).data).metadata();
    expect(after.icc).toBeUndefined();
    expect(after.space).toBe('srgb');
  });

  it('caps the longest side at 2560 px without enlarging small images', async () => {
    const big = await normalizeImage(await solid(3000, 1000).png().toBuffer());
    expect([big.width, big.height]).toEqual([2560, 853]);
    const tall = await normalizeImage(await solid(600, 3200).jpeg().toBuffer());
    expect([tall.width, tall.height]).toEqual([480, 2560]);
    const small = await normalizeImage(await solid(320, 200).webp().toBuffer());
    expect([small.width, small.height]).toEqual([320, 200]);
  });

  it('returns JPEG bytes with their sha256 and a white background for transparency', async () => {
    const transparent = await sharp({
      create: { width: 40, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const out = await normalizeImage(transparent);
    expect(out.format).toBe('jpeg');
    expect(detectImageType(out.data)).toBe('jpeg');
    expect(out.contentHash).toBe(createHash('sha256').update(out.data).digest('hex'));
    const { channels } = await sharp(out.data).stats();
    for (const c of channels) expect(c.mean).toBeGreaterThan(250);
  });

  it('refuses decompression bombs', async () => {
    await expect(normalizeImage(await pngClaiming(20_000, 20_000))).rejects.toThrow(/pixel limit/i);
  });
});

// ---------------------------------------------------------------- sniffing

describe('detectImageType', () => {
  it('recognises the formats sharp writes', async () => {
    const img = solid(8, 8);
    expect(detectImageType(await img.clone().jpeg().toBuffer())).toBe('jpeg');
    expect(detectImageType(await img.clone().png().toBuffer())).toBe('png');
    expect(detectImageType(await img.clone().webp().toBuffer())).toBe('webp');
    expect(detectImageType(await img.clone().avif().toBuffer())).toBe('avif');
  });

  it('finds AVIF in the compatible brands and rejects other ISO-BMFF files', () => {
    const ftyp = (major: string, ...compatible: string[]) => {
      const box = Buffer.alloc(16 + 4 * compatible.length + 8);
      box.writeUInt32BE(16 + 4 * compatible.length, 0);
      box.write('ftyp', 4, 'latin1');
      box.write(major, 8, 'latin1');
      compatible.forEach((b, i) => box.write(b, 16 + 4 * i, 'latin1'));
      box.write('meta', 16 + 4 * compatible.length + 4, 'latin1'); // next box, must not be scanned
      return box;
    };
    expect(detectImageType(ftyp('mif1', 'miaf', 'avif'))).toBe('avif');
    expect(detectImageType(ftyp('msf1', 'avis'))).toBe('avif');
    expect(detectImageType(ftyp('heic', 'mif1', 'heic'))).toBeNull();
    expect(detectImageType(ftyp('isom', 'mp41'))).toBeNull(); // MP4 video
    // 'avif' outside the ftyp box does not count
    const tricky = ftyp('mif1', 'miaf');
    tricky.write('avif', tricky.length - 4, 'latin1');
    expect(detectImageType(tricky)).toBeNull();
  });

  it('rejects SVG, GIF, text and truncated input', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><script>alert(1)</script></svg>',
    );
    expect(detectImageType(svg)).toBeNull();
    expect(detectImageType(Buffer.from('<?xml version="1.0"?><svg/>'))).toBeNull();
    expect(detectImageType(await solid(8, 8).gif().toBuffer())).toBeNull();
    expect(detectImageType(Buffer.from('GIF89a'))).toBeNull();
    expect(detectImageType(Buffer.from('just some random text, not an image'))).toBeNull();
    expect(detectImageType(Buffer.alloc(0))).toBeNull();
    expect(detectImageType(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(detectImageType(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
  });
});

// ---------------------------------------------------------------- storage

describe('FolderStorage', () => {
  const sha = createHash('sha256').update('bytes').digest('hex');

  it('stores, reads and deletes under server-generated content keys', async () => {
    const root = tempDir('storage');
    const storage = new FolderStorage(root);
    const key = contentKey(sha);
    expect(key).toBe(`products/${sha.slice(0, 2)}/${sha}.jpg`);
    expect(contentKey(sha, 'stores')).toBe(`stores/${sha.slice(0, 2)}/${sha}.jpg`);
    expect(await storage.get(key)).toBeNull();
    await storage.put(key, Buffer.from('one'));
    await storage.put(key, Buffer.from('two')); // same key again: replaced whole
    expect((await storage.get(key))!.toString()).toBe('two');
    expect(readdirSync(join(root, 'products', sha.slice(0, 2)))).toEqual([`${sha}.jpg`]); // no temp files left
    await storage.delete(key);
    await storage.delete(key); // idempotent
    expect(await storage.get(key)).toBeNull();
    expect(() => contentKey('../../etc/passwd')).toThrow(/SHA-256/);
  });

  it('refuses keys that could leave its folder', async () => {
    const storage = new FolderStorage(tempDir('storage'));
    for (const key of ['../outside.jpg', 'products/../../outside.jpg', '/etc/passwd.jpg', 'a/./b.jpg', 'x.svg', '']) {
      await expect(storage.put(key, Buffer.from('x')), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.get(key), key).rejects.toThrow(/Invalid storage key/);
      await expect(storage.delete(key), key).rejects.toThrow(/Invalid storage key/);
    }
  });
});

// ---------------------------------------------------------------- seed art

describe('renderProductShot', () => {
  const base = { seed: 7, category: 'jewellery', label: 'Maasai Beaded Necklace', variant: 0 };

  it('renders a 1200x1200 JPEG', async () => {
    const buf = await renderProductShot(base);
    expect(detectImageType(buf)).toBe('jpeg');
    const m = await sharp(buf).metadata();
    expect([m.format, m.width, m.height]).toEqual(['jpeg', 1200, 1200]);
  });

  it('is deterministic for the same inputs', async () => {
    const a = await renderProductShot(base);
    const b = await renderProductShot({ ...base });
    expect(a.equals(b)).toBe(true);
  });

  it('gives different seeds, variants and categories different pictures', async () => {
    const stats = async (opts: typeof base) => {
      const s = await sharp(await renderProductShot(opts)).stats();
      return { dominant: s.dominant, means: s.channels.map((c) => Math.round(c.mean * 10)) };
    };
    const one = await stats(base);
    const two = await stats({ ...base, seed: 8 });
    expect(two).not.toEqual(one);
    expect(two.dominant).not.toEqual(one.dominant);

    const variant = await renderProductShot({ ...base, variant: 1 });
    expect(variant.equals(await renderProductShot(base))).toBe(false);
    const other = await renderProductShot({ ...base, category: 'coffee-tea' });
    expect(other.equals(await renderProductShot(base))).toBe(false);
  });

  it('copes with every category, unknown ones and hostile labels', async () => {
    for (const category of [
      'fashion',
      'art',
      'home-decor',
      'leather-goods',
      'beauty',
      'coffee-tea',
      'safari-outdoor',
      'no-such-category',
    ]) {
      const m = await sharp(
        await renderProductShot({ seed: 3, category, label: `</text><script>&"'\u0000 ${'W'.repeat(60)}`, variant: 3 }),
      ).metadata();
      expect([m.width, m.height]).toEqual([1200, 1200]);
    }
  });
});

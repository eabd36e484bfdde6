// The "normalized original" we keep for every upload. Variants are derived from
// it, never from the user's file, so stored bytes carry no camera metadata.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { MAX_INPUT_PIXELS } from './placeholder.ts';

/** Longest side kept; enough for 2x retina at 1280 CSS px, far smaller than phone originals. */
const MAX_SIDE = 2560;
const JPEG_QUALITY = 88;

export type ImageType = 'jpeg' | 'png' | 'webp' | 'avif';

export interface NormalizedImage {
  data: Buffer;
  format: 'jpeg';
  width: number;
  height: number;
  /** sha256 hex of `data`: lets storage deduplicate and caches key on content. */
  contentHash: string;
}

export async function normalizeImage(input: Buffer): Promise<NormalizedImage> {
  const { data, info } = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    // A hostile file that decodes slowly must not hold a worker for long.
    .timeout({ seconds: 20 })
    // Bake EXIF orientation into pixels: the tag itself is dropped below.
    .rotate()
    .resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    // JPEG has no alpha; without this transparent PNGs turn black.
    .flatten({ background: '#ffffff' })
    // Converts using the embedded ICC profile (Display P3, Adobe RGB, CMYK) so
    // colours survive the profile being stripped.
    .toColourspace('srgb')
    // No withMetadata/keepExif/keepIccProfile: sharp then writes no EXIF (GPS,
    // camera serial), XMP, IPTC or ICC. The tests check this stays true.
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
    .toBuffer({ resolveWithObject: true });

  return {
    data,
    format: 'jpeg',
    width: info.width,
    height: info.height,
    contentHash: createHash('sha256').update(data).digest('hex'),
  };
}

const ascii = (buf: Buffer, start: number, end: number): string => buf.toString('latin1', start, end);

/**
 * Sniff the real type from the first bytes; the file name and the client's
 * Content-Type are attacker-controlled. SVG (scriptable), GIF, HEIC and
 * anything else return null and must be rejected by the caller.
 */
export function detectImageType(buf: Buffer): ImageType | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';

  const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (buf.length >= 8 && PNG_SIGNATURE.every((b, i) => buf[i] === b)) return 'png';

  if (buf.length >= 12 && ascii(buf, 0, 4) === 'RIFF' && ascii(buf, 8, 12) === 'WEBP') return 'webp';

  // ISO-BMFF: [size u32][ 'ftyp' ][major brand][minor version][compatible brands...]
  // HEIC shares the container, so the brand list decides, not the box type.
  if (buf.length >= 16 && ascii(buf, 4, 8) === 'ftyp') {
    const boxSize = buf.readUInt32BE(0);
    // 0 = box runs to end of file; 1 (64-bit size) never occurs for ftyp in practice.
    const end = boxSize === 0 ? buf.length : Math.min(boxSize, buf.length);
    if (boxSize !== 0 && boxSize < 16) return null;
    const isAvifBrand = (offset: number) => {
      const brand = ascii(buf, offset, offset + 4);
      return brand === 'avif' || brand === 'avis';
    };
    if (isAvifBrand(8)) return 'avif';
    for (let offset = 16; offset + 4 <= end; offset += 4) {
      if (isAvifBrand(offset)) return 'avif';
    }
  }
  return null;
}

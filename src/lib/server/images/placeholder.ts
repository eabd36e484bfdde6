// Tiny inline previews (LQIP) and a dominant colour, stored with each image so
// pages can paint something meaningful before the real image arrives.
import sharp, { type SharpOptions } from 'sharp';

/**
 * Refuse decoding anything larger than 40 MP (e.g. 8000x5000). Phone photos are
 * ~12-50 MP; the cap bounds memory per upload and blocks decompression bombs,
 * which sharp checks from the header before decoding pixels.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

/** Input options for decoding untrusted bytes. */
const SAFE_INPUT: SharpOptions = {
  limitInputPixels: MAX_INPUT_PIXELS,
  // 'error' rejects broken pixel data but tolerates the harmless warnings that
  // many phone/camera JPEGs trigger (sharp's default, 'warning', is stricter).
  failOn: 'error',
};

/** Data URIs longer than this defeat the point of inlining them in HTML. */
const MAX_LQIP_CHARS = 1024;
const LQIP_MAX_SIDE = 16;
/** Tried in order until the data URI fits; all of them look the same once blurred. */
const LQIP_QUALITIES = [40, 25, 10, 1] as const;
/** Dominant colour from a small copy: same 4096-bin histogram, a fraction of the work. */
const STATS_SIDE = 64;

export interface Placeholder {
  lqip: string;
  dominantColor: string;
  width: number;
  height: number;
}

export async function makePlaceholder(input: Buffer): Promise<Placeholder> {
  // Header-only read; autoOrient gives the dimensions as displayed (EXIF 5-8 swap them).
  const meta = await sharp(input, SAFE_INPUT).metadata();
  const width = meta.autoOrient?.width ?? meta.width;
  const height = meta.autoOrient?.height ?? meta.height;
  if (!width || !height) throw new Error('Image has no dimensions');

  // Decode once (JPEG shrink-on-load makes this cheap) into small sRGB 8-bit pixels,
  // then derive both outputs from that, so big uploads are not decoded twice.
  const small = await sharp(input, SAFE_INPUT)
    .rotate()
    .resize(STATS_SIDE, STATS_SIDE, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const raw = {
    raw: { width: small.info.width, height: small.info.height, channels: small.info.channels },
  };

  const { dominant } = await sharp(small.data, raw).stats();
  const dominantColor = `#${[dominant.r, dominant.g, dominant.b]
    .map((v) => Math.round(v).toString(16).padStart(2, '0'))
    .join('')}`;

  // Cap both sides, not just the width: a tall panorama at 16 px wide could
  // still be hundreds of pixels high and blow the size budget.
  const tiny = await sharp(small.data, raw)
    .resize(LQIP_MAX_SIDE, LQIP_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
    .blur(0.5)
    .raw()
    .toBuffer({ resolveWithObject: true });

  for (const quality of LQIP_QUALITIES) {
    const webp = await sharp(tiny.data, {
      raw: { width: tiny.info.width, height: tiny.info.height, channels: tiny.info.channels },
    })
      .webp({ quality, alphaQuality: quality, effort: 6 })
      .toBuffer();
    const lqip = `data:image/webp;base64,${webp.toString('base64')}`;
    if (lqip.length < MAX_LQIP_CHARS) return { lqip, dominantColor, width, height };
  }
  // A 16x16 WebP is ~100-300 bytes; reaching this means something is badly off.
  throw new Error(`LQIP exceeds ${MAX_LQIP_CHARS} chars even at the lowest quality`);
}

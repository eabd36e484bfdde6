// Serving stored images as resized AVIF/WebP/JPEG variants, cached on disk.
// The cache key holds everything that changes the bytes: source content hash,
// width, format, quality and PIPELINE_VERSION.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';
import type { Db } from '../db.ts';
import { getEnv } from '../env.ts';
import { getStorage } from './storage.ts';
import { IMAGE_FORMATS, IMAGE_WIDTHS, type ImageFormat, type ImageWidth } from '../../shared/images.ts';

export const PIPELINE_VERSION = 1;
export const QUALITY: Record<ImageFormat, number> = { avif: 50, webp: 72, jpeg: 78 };
/** AVIF effort: chosen so a 12 MP source stays well under 500 ms here (see docs/BENCHMARKS.md). */
export const AVIF_EFFORT = 2;
export const CONTENT_TYPE: Record<ImageFormat, string> = { avif: 'image/avif', webp: 'image/webp', jpeg: 'image/jpeg' };
const EXT: Record<ImageFormat, string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg' };

export interface VariantRequest {
  id: string;
  width: ImageWidth;
  /** Explicit format (f=), or undefined to negotiate from Accept. */
  format?: ImageFormat;
  version?: string;
}

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
  const w = Number(params.get('w'));
  if (!params.has('w') || !(IMAGE_WIDTHS as readonly number[]).includes(w)) {
    throw new AppError('BAD_REQUEST', `Invalid w: must be one of ${IMAGE_WIDTHS.join(', ')}`);
  }
  const f = params.get('f');
  if (f !== null && !(IMAGE_FORMATS as readonly string[]).includes(f)) {
    throw new AppError('BAD_REQUEST', `Invalid f: must be one of ${IMAGE_FORMATS.join(', ')}`);
  }
  const v = params.get('v');
  if (v !== null && !/^[a-f0-9]{6,64}$/.test(v)) throw new AppError('BAD_REQUEST', 'Invalid v');
  return { id, width: w as ImageWidth, format: (f as ImageFormat | null) ?? undefined, version: v ?? undefined };
}

/** AVIF, then WebP, then JPEG, by what the Accept header says the client takes. */
export function negotiateFormat(accept: string | null): ImageFormat {
  const a = accept ?? '';
  if (/image\/avif/.test(a)) return 'avif';
  if (/image\/webp/.test(a)) return 'webp';
  return 'jpeg';
}

export interface Variant {
  data: Buffer;
  format: ImageFormat;
  etag: string;
}

async function transform(source: Buffer, width: number, format: ImageFormat): Promise<Buffer> {
  const pipeline = sharp(source, { limitInputPixels: 40_000_000, failOn: 'error' })
    .rotate()
    .resize({ width, withoutEnlargement: true });
  if (format === 'avif') return pipeline.avif({ quality: QUALITY.avif, effort: AVIF_EFFORT }).toBuffer();
  if (format === 'webp') return pipeline.webp({ quality: QUALITY.webp, effort: 4 }).toBuffer();
  return pipeline.jpeg({ quality: QUALITY.jpeg, mozjpeg: true, progressive: true }).toBuffer();
}

const inflight = new Map<string, Promise<Buffer>>();

export async function getVariant(db: Db, req: VariantRequest, format: ImageFormat): Promise<Variant> {
  const image = await db.productImage.findUnique({
    where: { id: req.id },
    select: { sourceKey: true, contentHash: true },
  });
  if (!image) throw new AppError('NOT_FOUND', 'Image not found');
  const name = `${req.width}-q${QUALITY[format]}-p${PIPELINE_VERSION}.${EXT[format]}`;
  const dir = join(getEnv().IMAGE_CACHE_DIR, image.contentHash.slice(0, 2), image.contentHash);
  const path = join(dir, name);
  const etag = `"${createHash('sha1').update(`${image.contentHash}/${name}`).digest('base64url')}"`;
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch {
    // One transform per missing variant, however many requests ask at once.
    let pending = inflight.get(path);
    if (!pending) {
      pending = (async () => {
        const source = await getStorage().get(image.sourceKey);
        if (!source) throw new AppError('NOT_FOUND', 'Image source missing');
        const out = await transform(source, req.width, format);
        await mkdir(dir, { recursive: true });
        const tmp = `${path}.${process.pid}.tmp`;
        await writeFile(tmp, out);
        await rename(tmp, path);
        return out;
      })().finally(() => inflight.delete(path));
      inflight.set(path, pending);
    }
    data = await pending;
  }
  return { data, format, etag };
}

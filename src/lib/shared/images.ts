// Image URLs, srcsets and upload limits for the image endpoint. Widths come
// from one fixed set: the endpoint refuses any other, so the variant cache
// cannot be flooded. No zod here: islands on every catalog page import this
// module, and zod would add about 22 KB (compressed) to their first load. The
// upload, alt-text and store-image schemas live in image-schemas.ts.
export const IMAGE_WIDTHS = [160, 320, 480, 640, 960, 1280, 1920] as const;
export type ImageWidth = (typeof IMAGE_WIDTHS)[number];
export const IMAGE_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** What a page needs to render one stored image. */
export interface ImageRef {
  id: string;
  contentHash: string;
  width: number;
  height: number;
  alt: string;
  lqip: string;
  dominantColor: string;
}

/** The URL carries a content-hash version, so responses can be cached as immutable. */
export function imageUrl(img: Pick<ImageRef, 'id' | 'contentHash'>, width: ImageWidth, format?: ImageFormat): string {
  const f = format ? `&f=${format}` : '';
  return `/api/images/${img.id}?w=${width}&v=${img.contentHash.slice(0, 12)}${f}`;
}

/** srcset over the widths that do not upscale the source (always at least the smallest). */
export function imageSrcset(img: Pick<ImageRef, 'id' | 'contentHash' | 'width'>, format?: ImageFormat): string {
  const widths = IMAGE_WIDTHS.filter((w, i) => i === 0 || w <= img.width);
  return widths.map((w) => `${imageUrl(img, w, format)} ${w}w`).join(', ');
}

/** The largest allowed width not above `target` (or the smallest width). */
export function nearestWidth(target: number): ImageWidth {
  let best: ImageWidth = IMAGE_WIDTHS[0];
  for (const w of IMAGE_WIDTHS) if (w <= target) best = w;
  return best;
}

/** Images a product may have; the upload after the last is refused with 409. */
export const MAX_IMAGES_PER_PRODUCT = 8;
/** Upload size limit, enforced while the body streams in. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_ALT_CHARS = 250;

/** Alt text of a product photo: required on upload and edit, at least this long. */
export const MIN_ALT_CHARS = 3;
/** Image types an upload may be (decided by magic bytes on the server). */
export const UPLOAD_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif';

/** A store's logo and banner: what the public page needs and the smallest size that looks right there. */
export const STORE_IMAGE_KINDS = ['logo', 'banner'] as const;
export type StoreImageKind = (typeof STORE_IMAGE_KINDS)[number];
export const STORE_IMAGE_RULES: Record<
  StoreImageKind,
  { minWidth: number; minHeight: number; minAspect: number; maxAspect: number; hint: string }
> = {
  logo: {
    minWidth: 96,
    minHeight: 96,
    minAspect: 0.5,
    maxAspect: 2,
    hint: 'At least 96 x 96 pixels, roughly square. JPEG, PNG, WebP or AVIF, up to 10 MB.',
  },
  banner: {
    minWidth: 960,
    minHeight: 160,
    minAspect: 1.5,
    maxAspect: 8,
    hint: 'At least 960 pixels wide and landscape (e.g. 1920 x 480). JPEG, PNG, WebP or AVIF, up to 10 MB.',
  },
};

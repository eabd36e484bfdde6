// Input schemas of the seller image endpoints (reorder, alt text, store image
// kind). Kept apart from images.ts so the catalog islands that build image
// URLs do not load zod.
import { z } from './zod.ts';
import { MAX_ALT_CHARS, MAX_IMAGES_PER_PRODUCT, MIN_ALT_CHARS, STORE_IMAGE_KINDS } from './images.ts';
import { ID_PATTERN } from './ids.ts';

const imageId = z.string().regex(ID_PATTERN, 'must be an image id');

/** Alt text: one line of plain text (screen readers read it aloud; control characters have no place there). */
export const imageAltSchema = z
  .string()
  .trim()
  .max(MAX_ALT_CHARS, `must be at most ${MAX_ALT_CHARS} characters`)
  .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be a single line of text');

/** A product photo's alt text as a seller sets it (upload and edit): required, so every photo is described. */
export const requiredAltSchema = imageAltSchema.min(
  MIN_ALT_CHARS,
  `is required: describe the photo in at least ${MIN_ALT_CHARS} characters`,
);

export const reorderImagesSchema = z.strictObject({
  imageIds: z.array(imageId).min(1).max(MAX_IMAGES_PER_PRODUCT),
});

export const updateImageAltSchema = z.strictObject({ alt: requiredAltSchema });

/** The `kind` in /api/stores/me/{kind}. */
export const storeImageKindSchema = z.enum(STORE_IMAGE_KINDS);

// A store's logo and banner: POST /api/stores/me/{logo|banner} uploads (or
// replaces) one, DELETE removes it. The upload goes through the same pipeline
// as product photos (images/uploads.ts: streamed multipart with the 10 MB
// limit, magic-byte type check, 40 MP header check, normalization, LQIP) and
// the same transform queue; the route applies the same per-account upload
// limit. Only the seller edits their own store: the route takes the seller id
// from the session, there is no id in the path.
//
// Rows are StoreImage; Profile.logoImageId / bannerImageId point at the current
// one, so a change bumps Profile.updatedAt and the catalog gate renders the
// public store page on demand until the next build. Served by /api/images/{id}
// like product images (variants.ts looks in both tables).
import type { Db } from '../db.ts';
import type { Prisma } from '../../../generated/prisma/client.ts';
import { AppError } from '../http/errors.ts';
import type { BlobStorage } from '../images/storage.ts';
import { deleteSourceIfUnused, putSource } from '../images/sources.ts';
import { processImage, readImageUpload, type UploadLimits } from '../images/uploads.ts';
import { forgetImage, queueImageWork } from '../images/variants.ts';
import { withUploadSlot } from '../images/upload-limits.ts';
import { STORE_IMAGE_RULES, type ImageRef, type StoreImageKind } from '../../shared/images.ts';

/** Store images live under their own key prefix, so deleting one never touches a product photo's bytes. */
export const STORE_IMAGE_PREFIX = 'stores';

const FIELD: Record<StoreImageKind, 'logoImageId' | 'bannerImageId'> = {
  logo: 'logoImageId',
  banner: 'bannerImageId',
};
const KIND: Record<StoreImageKind, 'LOGO' | 'BANNER'> = { logo: 'LOGO', banner: 'BANNER' };

export const STORE_IMAGE_SELECT = {
  id: true,
  contentHash: true,
  width: true,
  height: true,
  lqip: true,
  dominantColor: true,
} as const;

/** A stored store image without alt text (the page words it from the store name). */
export type StoreImageRef = Omit<ImageRef, 'alt'>;

/** Refuses an image too small or of the wrong shape for where the page draws it (400 naming `file`). */
export function checkStoreImageSize(kind: StoreImageKind, size: { width: number; height: number }): void {
  const rule = STORE_IMAGE_RULES[kind];
  const aspect = size.width / size.height;
  let problem: string | null = null;
  if (size.width < rule.minWidth || size.height < rule.minHeight) {
    problem = `is ${size.width} x ${size.height} pixels; a ${kind} needs at least ${rule.minWidth} x ${rule.minHeight}`;
  } else if (aspect < rule.minAspect || aspect > rule.maxAspect) {
    problem =
      kind === 'logo'
        ? `is ${size.width} x ${size.height} pixels; a logo should be roughly square (at most twice as wide as tall, or tall as wide)`
        : `is ${size.width} x ${size.height} pixels; a banner should be landscape, between 3:2 and 8:1`;
  }
  if (problem) {
    throw new AppError('VALIDATION_FAILED', `Invalid file: the image ${problem}`, {
      issues: [{ path: 'file', message: `The image ${problem}` }],
    });
  }
}

async function profileOf(db: Db, sellerId: string) {
  const profile = await db.profile.findUnique({ where: { userId: sellerId }, select: { id: true } });
  if (!profile) throw new AppError('NOT_FOUND', 'Store not found');
  return profile;
}

/** The seller's profile row, locked for the transaction, and its current image of that kind. */
async function lockedProfile(tx: Prisma.TransactionClient, sellerId: string, field: 'logoImageId' | 'bannerImageId') {
  // Two changes at once: the second waits, then replaces the first (no orphaned current image).
  await tx.$queryRaw`SELECT id FROM "Profile" WHERE "userId" = ${sellerId} FOR UPDATE`;
  const p = await tx.profile.findUnique({
    where: { userId: sellerId },
    select: { id: true, logoImageId: true, bannerImageId: true },
  });
  if (!p) throw new AppError('NOT_FOUND', 'Store not found');
  return { id: p.id, current: p[field] };
}

/**
 * Stores already-read bytes as the seller's logo or banner, replacing the
 * current one (its row goes; its bytes too unless shared). Returns the new image.
 */
export async function setStoreImage(
  db: Db,
  storage: BlobStorage,
  sellerId: string,
  kind: StoreImageKind,
  data: Buffer,
): Promise<StoreImageRef> {
  await profileOf(db, sellerId);
  const { normal, placeholder, sourceKey } = await queueImageWork(() =>
    processImage(data, { prefix: STORE_IMAGE_PREFIX, check: (n) => checkStoreImageSize(kind, n) }),
  );
  const field = FIELD[kind];
  const { image, previous } = await db.$transaction(async (tx) => {
    // Two uploads at once: the second waits, then replaces the first (no orphaned current image).
    const row = await lockedProfile(tx, sellerId, field);
    await putSource(tx, storage, sourceKey, normal.data);
    const image = await tx.storeImage.create({
      data: {
        sellerId,
        kind: KIND[kind],
        sourceKey,
        contentHash: normal.contentHash,
        width: normal.width,
        height: normal.height,
        lqip: placeholder.lqip,
        dominantColor: placeholder.dominantColor,
      },
      select: STORE_IMAGE_SELECT,
    });
    await tx.profile.update({ where: { id: row.id }, data: { [field]: image.id } });
    const previous = row.current
      ? await tx.storeImage.delete({ where: { id: row.current }, select: { id: true, sourceKey: true } })
      : null;
    return { image, previous };
  });
  if (previous) {
    forgetImage(previous.id);
    await deleteSourceIfUnused(db, storage, previous.sourceKey);
  }
  return image;
}

/** POST /api/stores/me/{kind}: stream and check the upload (no `alt` part), then store it. */
export async function uploadStoreImage(
  db: Db,
  storage: BlobStorage,
  sellerId: string,
  kind: StoreImageKind,
  request: Request,
  limits?: UploadLimits,
): Promise<StoreImageRef> {
  await profileOf(db, sellerId);
  return withUploadSlot(async () => {
    const upload = await readImageUpload(request, limits, 'none');
    return setStoreImage(db, storage, sellerId, kind, upload.data);
  });
}

/** DELETE /api/stores/me/{kind}: removes the logo or banner; removing none is not an error (idempotent). */
export async function removeStoreImage(
  db: Db,
  storage: BlobStorage,
  sellerId: string,
  kind: StoreImageKind,
): Promise<void> {
  const field = FIELD[kind];
  const previous = await db.$transaction(async (tx) => {
    const row = await lockedProfile(tx, sellerId, field);
    if (!row.current) return null;
    await tx.profile.update({ where: { id: row.id }, data: { [field]: null } });
    return tx.storeImage.delete({ where: { id: row.current }, select: { id: true, sourceKey: true } });
  });
  if (previous) {
    forgetImage(previous.id);
    await deleteSourceIfUnused(db, storage, previous.sourceKey);
  }
}

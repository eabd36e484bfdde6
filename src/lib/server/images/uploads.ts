// Seller image management: upload, reorder, alt text, delete. Routes (once
// auth lands) pass the signed-in user as `actor` and the raw Request:
//
//   const image = await addProductImage(getDb(), getStorage(), locals.user, params.id, request);
//   return json(image, { status: 201 });
//
// Uploads are multipart/form-data with one `file` part and an optional `alt`
// field. The body is streamed with busboy so the size limit holds before the
// bytes are in memory; the type comes from magic bytes, never from the name.
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { AppError } from '../http/errors.ts';
import { auditIfAdmin } from '../admin/audit.ts';
import type { Db } from '../db.ts';
import { detectImageType, normalizeImage, type ImageType } from './normalize.ts';
import { MAX_INPUT_PIXELS, makePlaceholder } from './placeholder.ts';
import { deleteSourceIfUnused, putSource } from './sources.ts';
import { contentKey, type BlobStorage } from './storage.ts';
import { forgetImage, queueImageWork } from './variants.ts';
import { withUploadSlot } from './upload-limits.ts';
import { MAX_IMAGES_PER_PRODUCT, MAX_UPLOAD_BYTES, type ImageRef } from '../../shared/images.ts';
import { imageAltSchema, reorderImagesSchema, requiredAltSchema } from '../../shared/image-schemas.ts';
import type { NormalizedImage } from './normalize.ts';
import { fromZod } from '../http/errors.ts';
import { isOnSale } from '../catalog/on-sale.ts';
import { ID_PATTERN } from '../../shared/ids.ts';

/** Who is acting: the session user. Sellers manage their own products; admins any. */
export interface Actor {
  id: string;
  role: 'BUYER' | 'SELLER' | 'ADMIN';
}

export interface UploadLimits {
  maxBytes: number;
}

/**
 * The `alt` field of an upload: 'optional' (empty allowed), 'required' (a
 * seller's product photo must be described) or 'none' (store logo and banner:
 * their alt text comes from the store name, so an `alt` part is refused).
 */
export type AltPolicy = 'optional' | 'required' | 'none';

export interface ImageUpload {
  data: Buffer;
  type: ImageType;
  alt: string;
}

export interface StoredProductImage extends ImageRef {
  position: number;
}

const IMAGE_SELECT = {
  id: true,
  contentHash: true,
  width: true,
  height: true,
  alt: true,
  lqip: true,
  dominantColor: true,
  position: true,
} as const;

// ---------------------------------------------------------------- authorization

// Path ids are checked against ID_PATTERN before a query: a NUL (`%00`) in a raw
// id made PostgreSQL fail the query, a 500 where a 404 is meant.

/** The product's seller or an admin; everyone else is refused before any bytes are read. */
export async function authorizeProductImages(db: Db, actor: Actor, productId: string): Promise<void> {
  if (!ID_PATTERN.test(productId)) throw new AppError('NOT_FOUND', 'Product not found');
  const product = await db.product.findUnique({ where: { id: productId }, select: { sellerId: true } });
  if (!product) throw new AppError('NOT_FOUND', 'Product not found');
  if (actor.role === 'ADMIN') return;
  if (actor.role !== 'SELLER' || product.sellerId !== actor.id) {
    throw new AppError('FORBIDDEN', 'Only the product’s seller or an admin can change its images');
  }
}

// ---------------------------------------------------------------- reading the upload

const tooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `Image too large: the limit is ${Math.floor(maxBytes / (1024 * 1024))} MB`);

/**
 * Streams a multipart body: at most one `file` part of `maxBytes` and one `alt`
 * field. Stops reading (and cancels the body) the moment the limit is crossed.
 */
export async function readImageUpload(
  request: Request,
  limits: UploadLimits = { maxBytes: MAX_UPLOAD_BYTES },
  altPolicy: AltPolicy = 'optional',
): Promise<ImageUpload> {
  const contentType = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the image as multipart/form-data with a "file" part');
  }
  // An honest Content-Length over the limit is refused without reading anything.
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limits.maxBytes + 64 * 1024) throw tooLarge(limits.maxBytes);
  if (!request.body) throw new AppError('BAD_REQUEST', 'Missing file: send one "file" part');

  const source = Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>);
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': contentType },
      limits: { files: 1, fileSize: limits.maxBytes, fields: 1, fieldSize: 4096, parts: 3, headerPairs: 20 },
    });
  } catch {
    throw new AppError('BAD_REQUEST', 'Malformed multipart body');
  }

  return new Promise<ImageUpload>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let sawFile = false;
    let fileDone = false;
    let alt = '';
    let settled = false;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      source.unpipe(parser);
      source.destroy();
      parser.removeAllListeners();
      parser.on('error', () => {});
      reject(err);
    };

    parser.on('file', (name, file) => {
      if (name !== 'file') {
        file.resume();
        return fail(new AppError('BAD_REQUEST', `Unknown part: ${name.slice(0, 40)} (expected "file")`));
      }
      sawFile = true;
      file.on('data', (chunk: Buffer) => {
        size += chunk.length;
        chunks.push(chunk);
      });
      file.on('limit', () => fail(tooLarge(limits.maxBytes)));
      // A body that ends inside the file part: busboy destroys the part's stream
      // with an error, which would crash the process without a listener.
      file.on('error', () => fail(new AppError('BAD_REQUEST', 'The upload ended before the file did')));
      file.on('end', () => {
        fileDone = true;
      });
    });
    parser.on('field', (name, value, info) => {
      if (name !== 'alt' || altPolicy === 'none')
        return fail(new AppError('BAD_REQUEST', `Unknown field: ${name.slice(0, 40)}`));
      if (info.valueTruncated) return fail(new AppError('BAD_REQUEST', 'Invalid alt: too long'));
      alt = value;
    });
    parser.on('filesLimit', () => fail(new AppError('BAD_REQUEST', 'Send one image per request')));
    parser.on('fieldsLimit', () => fail(new AppError('BAD_REQUEST', 'Too many fields')));
    parser.on('partsLimit', () => fail(new AppError('BAD_REQUEST', 'Too many parts')));
    parser.on('error', () => fail(new AppError('BAD_REQUEST', 'Malformed multipart body')));
    source.on('error', () => fail(new AppError('BAD_REQUEST', 'The upload was interrupted')));
    parser.on('close', () => {
      if (settled) return;
      if (!sawFile || !fileDone || size === 0)
        return fail(new AppError('BAD_REQUEST', 'Missing file: send one "file" part'));
      const data = Buffer.concat(chunks, size);
      const type = detectImageType(data);
      if (!type) {
        return fail(new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported image: upload a JPEG, PNG, WebP or AVIF file'));
      }
      const parsedAlt = (altPolicy === 'required' ? requiredAltSchema : imageAltSchema).safeParse(alt);
      if (!parsedAlt.success) return fail(fromZod(parsedAlt.error, 'alt'));
      settled = true;
      resolve({ data, type, alt: parsedAlt.data });
    });
    source.pipe(parser);
  });
}

// ---------------------------------------------------------------- storing

export interface ProcessOptions {
  /** Key prefix in storage: 'products' (default) or 'stores'. Keys are content-addressed within a prefix. */
  prefix?: string;
  /** Checks the normalized image (e.g. its size) before anything is stored; throws an AppError to refuse it. */
  check?: (normal: NormalizedImage) => void;
}

/**
 * Normalizes (orient, strip metadata, cap size), makes the placeholder and the
 * content key. The one pipeline for every uploaded image (product photos, store
 * logos and banners); callers run it through queueImageWork, then write the
 * bytes with putSource in the transaction that inserts the row.
 */
export async function processImage(data: Buffer, opts: ProcessOptions = {}) {
  if (!detectImageType(data)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported image: upload a JPEG, PNG, WebP or AVIF file');
  }
  try {
    const normal = await normalizeImage(data);
    opts.check?.(normal);
    const placeholder = await makePlaceholder(normal.data);
    return { normal, placeholder, sourceKey: contentKey(normal.contentHash, opts.prefix) };
  } catch (err) {
    const message = err instanceof Error ? err.message : '';
    if (/pixel limit/i.test(message)) {
      throw new AppError(
        'PAYLOAD_TOO_LARGE',
        `Image too large: at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels (e.g. 8000 x 5000)`,
      );
    }
    if (err instanceof AppError) throw err;
    if (/timeout/i.test(message)) throw new AppError('SERVICE_UNAVAILABLE', 'Image processing took too long');
    // Anything else sharp throws means the bytes do not decode as the image they claim to be.
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'The image could not be read; it may be damaged');
  }
}

/**
 * Stores already-read image bytes as the product's next image (limit and
 * position under a row lock). `actor`, when an admin, is audited.
 */
export async function storeProductImage(
  db: Db,
  storage: BlobStorage,
  productId: string,
  data: Buffer,
  alt = '',
  actor?: Actor,
): Promise<StoredProductImage> {
  // Shares the transform queue: a burst of uploads cannot decode more images at once than variants can.
  const { normal, placeholder, sourceKey } = await queueImageWork(() => processImage(data));
  return db.$transaction(async (tx) => {
    // Serializes concurrent uploads to one product so the limit cannot be overrun.
    await tx.$queryRaw`SELECT id FROM "Product" WHERE id = ${productId} FOR UPDATE`;
    const existing = await tx.productImage.aggregate({
      where: { productId },
      _count: { _all: true },
      _max: { position: true },
    });
    if (existing._count._all >= MAX_IMAGES_PER_PRODUCT) {
      throw new AppError('CONFLICT', `A product can have at most ${MAX_IMAGES_PER_PRODUCT} images`);
    }
    await putSource(tx, storage, sourceKey, normal.data);
    await touchProduct(tx, productId);
    const image = await tx.productImage.create({
      data: {
        productId,
        sourceKey,
        contentHash: normal.contentHash,
        width: normal.width,
        height: normal.height,
        alt,
        lqip: placeholder.lqip,
        dominantColor: placeholder.dominantColor,
        position: (existing._max.position ?? -1) + 1,
      },
      select: IMAGE_SELECT,
    });
    if (actor) {
      await auditIfAdmin(tx, actor, {
        action: 'product.image.add',
        targetType: 'product',
        targetId: productId,
        after: { imageId: image.id, alt },
      });
    }
    return image;
  });
}

/**
 * The product page shows its images: bumping updatedAt makes the catalog gate
 * render the page (and its store's) on demand until the next build.
 */
async function touchProduct(db: Pick<Db, 'product'>, productId: string): Promise<void> {
  await db.product.update({ where: { id: productId }, data: { updatedAt: new Date() }, select: { id: true } });
}

/** POST /api/products/{id}/images: authorize, stream and check the upload (alt text required), store it. */
export async function addProductImage(
  db: Db,
  storage: BlobStorage,
  actor: Actor,
  productId: string,
  request: Request,
  limits?: UploadLimits,
): Promise<StoredProductImage> {
  await authorizeProductImages(db, actor, productId);
  // Cheap early refusal; storeProductImage re-checks under the lock.
  if ((await db.productImage.count({ where: { productId } })) >= MAX_IMAGES_PER_PRODUCT) {
    throw new AppError('CONFLICT', `A product can have at most ${MAX_IMAGES_PER_PRODUCT} images`);
  }
  return withUploadSlot(async () => {
    const upload = await readImageUpload(request, limits, 'required');
    return storeProductImage(db, storage, productId, upload.data, upload.alt, actor);
  });
}

// ---------------------------------------------------------------- managing

/**
 * GET /api/products/{id}/images: a product's images for whoever asks. Shoppers
 * see those of a product the catalog shows (active, seller active); its seller
 * and admins see them in any status (the /sell editor lists a draft's photos).
 * Anything else is a 404, as on GET /api/products/{id}: a draft's or a hidden
 * product's photos are not public.
 */
export async function listVisibleProductImages(
  db: Db,
  viewer: Actor | null | undefined,
  productId: string,
): Promise<StoredProductImage[]> {
  if (!ID_PATTERN.test(productId)) throw new AppError('NOT_FOUND', 'Product not found');
  const product = await db.product.findUnique({
    where: { id: productId },
    select: { sellerId: true, status: true, seller: { select: { status: true } } },
  });
  if (!product) throw new AppError('NOT_FOUND', 'Product not found');
  const manages = viewer?.role === 'ADMIN' || (viewer?.role === 'SELLER' && viewer.id === product.sellerId);
  if (!manages && !isOnSale(product)) {
    throw new AppError('NOT_FOUND', 'Product not found');
  }
  return listProductImages(db, productId);
}

export async function listProductImages(db: Db, productId: string): Promise<StoredProductImage[]> {
  return db.productImage.findMany({
    where: { productId },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    select: IMAGE_SELECT,
  });
}

/** PUT /api/products/{id}/images/order with `{ imageIds }`: a permutation of the product's images. */
export async function reorderProductImages(
  db: Db,
  actor: Actor,
  productId: string,
  input: unknown,
): Promise<StoredProductImage[]> {
  const parsed = reorderImagesSchema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  await authorizeProductImages(db, actor, productId);
  const { imageIds } = parsed.data;
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "Product" WHERE id = ${productId} FOR UPDATE`;
    const current = await tx.productImage.findMany({
      where: { productId },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
      select: { id: true },
    });
    const have = new Set(current.map((i) => i.id));
    if (
      new Set(imageIds).size !== imageIds.length ||
      imageIds.length !== have.size ||
      imageIds.some((id) => !have.has(id))
    ) {
      throw new AppError('VALIDATION_FAILED', 'Invalid body.imageIds: list each of the product’s images exactly once');
    }
    for (const [position, id] of imageIds.entries()) {
      await tx.productImage.update({ where: { id }, data: { position } });
    }
    await touchProduct(tx, productId);
    await auditIfAdmin(tx, actor, {
      action: 'product.image.reorder',
      targetType: 'product',
      targetId: productId,
      before: { imageIds: current.map((i) => i.id) },
      after: { imageIds },
    });
  });
  return listProductImages(db, productId);
}

/** PATCH /api/products/{id}/images/{imageId} with `{ alt }`. */
export async function updateImageAlt(
  db: Db,
  actor: Actor,
  productId: string,
  imageId: string,
  alt: unknown,
): Promise<StoredProductImage> {
  const parsed = requiredAltSchema.safeParse(alt);
  if (!parsed.success) throw fromZod(parsed.error, 'body.alt');
  await authorizeProductImages(db, actor, productId);
  if (!ID_PATTERN.test(imageId)) throw new AppError('NOT_FOUND', 'Image not found');
  return db.$transaction(async (tx) => {
    const image = await tx.productImage.findFirst({ where: { id: imageId, productId }, select: { alt: true } });
    if (!image) throw new AppError('NOT_FOUND', 'Image not found');
    const updated = await tx.productImage.update({
      where: { id: imageId },
      data: { alt: parsed.data },
      select: IMAGE_SELECT,
    });
    await touchProduct(tx, productId);
    await auditIfAdmin(tx, actor, {
      action: 'product.image.alt',
      targetType: 'product',
      targetId: productId,
      before: { imageId, alt: image.alt },
      after: { imageId, alt: parsed.data },
    });
    return updated;
  });
}

/**
 * DELETE /api/products/{id}/images/{imageId}. The stored original goes too
 * unless another image shares its bytes (keys are content-addressed). Cached
 * variants are keyed by content, cost only disk, and stop being reachable.
 */
export async function deleteProductImage(
  db: Db,
  storage: BlobStorage,
  actor: Actor,
  productId: string,
  imageId: string,
): Promise<void> {
  await authorizeProductImages(db, actor, productId);
  if (!ID_PATTERN.test(imageId)) throw new AppError('NOT_FOUND', 'Image not found');
  const image = await db.$transaction(async (tx) => {
    const found = await tx.productImage.findFirst({
      where: { id: imageId, productId },
      select: { sourceKey: true, alt: true },
    });
    if (!found) throw new AppError('NOT_FOUND', 'Image not found');
    await tx.productImage.delete({ where: { id: imageId } });
    await touchProduct(tx, productId);
    await auditIfAdmin(tx, actor, {
      action: 'product.image.delete',
      targetType: 'product',
      targetId: productId,
      before: { imageId, alt: found.alt },
    });
    return found;
  });
  forgetImage(imageId);
  await deleteSourceIfUnused(db, storage, image.sourceKey);
}

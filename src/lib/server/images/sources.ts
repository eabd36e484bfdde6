// Stored originals are content-addressed: every image row (product photo or
// store logo/banner) with the same bytes shares one file. Writing the file for
// a new row and deleting the file after the last row both hold the key's
// advisory lock, so a delete can never remove a file that a row being added at
// that moment relies on (the file would be gone and the image 404 for good).
import type { Prisma } from '../../../generated/prisma/client.ts';
import type { Db } from '../db.ts';
import type { BlobStorage } from './storage.ts';

async function lockSourceKey(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`image-source:${key}`}))`;
}

/** In the transaction that inserts the row referring to `key`: writes its bytes under the key's lock. */
export async function putSource(
  tx: Prisma.TransactionClient,
  storage: BlobStorage,
  key: string,
  data: Buffer,
): Promise<void> {
  await lockSourceKey(tx, key);
  await storage.put(key, data);
}

/** After an image row is deleted: removes its stored original unless another image still uses the bytes. */
export async function deleteSourceIfUnused(db: Db, storage: BlobStorage, key: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await lockSourceKey(tx, key);
    const users =
      (await tx.productImage.count({ where: { sourceKey: key } })) +
      (await tx.storeImage.count({ where: { sourceKey: key } }));
    if (users === 0) await storage.delete(key);
  });
}

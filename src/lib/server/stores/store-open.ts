// A product is on sale only while its owner is a seller: changing a seller's
// role closes the store and hides its products (admin/users.ts changeRole).
// Whatever puts a product on sale (creating, restoring, lifting a hide) calls
// lockOpenStore in its transaction first.
import type { Db } from '../db.ts';
import { AppError } from '../http/errors.ts';

type Tx = Pick<Db, '$executeRaw'>;

/**
 * 409 unless `sellerId` is a seller now. A no-op write to their row, not a
 * read: a role change waiting on it sees the new product once this commits,
 * and a serializable role change that already took its snapshot fails with a
 * serialization error and retries instead of missing the product.
 */
export async function lockOpenStore(tx: Tx, sellerId: string): Promise<void> {
  const n = await tx.$executeRaw`
    UPDATE "User" SET "role" = "role" WHERE "id" = ${sellerId} AND "role" = 'SELLER'`;
  if (n !== 1) {
    throw new AppError('CONFLICT', 'The store is closed: its owner is no longer a seller', { reason: 'STORE_CLOSED' });
  }
}

// Stock moves (checkout takes, cancelling returns). They leave updatedAt
// alone on purpose: updatedAt marks edits to what a product page shows, and
// the catalog gate re-renders pages edited after the build. Stock on a page is
// fetched live by its island, so a sale must not turn a static page into an
// on-demand one (under load, every sold product would stop being static).
import type { Db } from '../db.ts';

type Tx = Pick<Db, '$executeRaw'>;

/** Takes `quantity` if the product is on sale and has that many; false otherwise (nothing changed). */
export async function takeStock(tx: Tx, productId: string, quantity: number): Promise<boolean> {
  const n = await tx.$executeRaw`
    UPDATE "Product" SET "stock" = "stock" - ${quantity}::int
    WHERE "id" = ${productId} AND "status" = 'ACTIVE' AND "stock" >= ${quantity}::int`;
  return n === 1;
}

/** Puts `quantity` back (a cancelled order). */
export async function returnStock(tx: Tx, productId: string, quantity: number): Promise<void> {
  await tx.$executeRaw`UPDATE "Product" SET "stock" = "stock" + ${quantity}::int WHERE "id" = ${productId}`;
}

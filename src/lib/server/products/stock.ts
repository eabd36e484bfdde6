// Stock moves (checkout takes, in orders/checkout.ts; cancelling returns). They leave updatedAt
// alone on purpose: updatedAt marks edits to what a product page shows, and
// the catalog gate re-renders pages edited after the build. Stock on a page is
// fetched live by its island, so a sale must not turn a static page into an
// on-demand one (under load, every sold product would stop being static).
import type { Db } from '../db.ts';

type Tx = Pick<Db, '$executeRaw'>;

/** Puts `quantity` back (a cancelled order). */
export async function returnStock(tx: Tx, productId: string, quantity: number): Promise<void> {
  await tx.$executeRaw`UPDATE "Product" SET "stock" = "stock" + ${quantity}::int WHERE "id" = ${productId}`;
}

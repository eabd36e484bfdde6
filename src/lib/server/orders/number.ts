// Human-readable order numbers from a database sequence: unique under
// concurrency, e.g. SOKO-2026-001042. Checkout numbers its orders in SQL the same way
// (writeOrders in checkout.ts; a test keeps the two in step).
import type { Db } from '../db.ts';

type Tx = Pick<Db, '$queryRaw'>;

export function formatOrderNumber(seq: number | bigint, year: number): string {
  return `SOKO-${year}-${String(seq).padStart(6, '0')}`;
}

export async function nextOrderNumber(tx: Tx, now = new Date()): Promise<string> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`SELECT nextval('order_number_seq') AS n`;
  return formatOrderNumber(row!.n, now.getUTCFullYear());
}

// Human-readable order numbers from a database sequence: unique under
// concurrency, e.g. SOKO-2026-001042.
import type { Db } from '../db.ts';

type Tx = Pick<Db, '$queryRaw'>;

export function formatOrderNumber(seq: number | bigint, year: number): string {
  return `SOKO-${year}-${String(seq).padStart(6, '0')}`;
}

export async function nextOrderNumber(tx: Tx, now = new Date()): Promise<string> {
  return (await nextOrderNumbers(tx, 1, now))[0]!;
}

/** `count` numbers in one round trip (a checkout makes one order per seller). */
export async function nextOrderNumbers(tx: Tx, count: number, now = new Date()): Promise<string[]> {
  const rows = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT nextval('order_number_seq') AS n FROM generate_series(1, ${count}::int) ORDER BY n`;
  return rows.map((r) => formatOrderNumber(r.n, now.getUTCFullYear()));
}

// Prices are integer KES minor units (cents) everywhere; format only at the edge.
const kes = new Intl.NumberFormat('en-KE', { style: 'currency', currency: 'KES', maximumFractionDigits: 0 });
const kesCents = new Intl.NumberFormat('en-KE', { style: 'currency', currency: 'KES', minimumFractionDigits: 2 });

/** 1250000 -> "Ksh 12,500" (cents shown only when there are any). */
export function formatKES(minor: number): string {
  return minor % 100 === 0 ? kes.format(minor / 100) : kesCents.format(minor / 100);
}

/** Whole shillings to minor units, e.g. 12500 -> 1250000. */
export const shillings = (kesAmount: number): number => Math.round(kesAmount * 100);

/** Minor units to a plain decimal string for machines (JSON-LD, meta tags): 1250000 -> "12500.00". */
export const toDecimal = (minor: number): string => (minor / 100).toFixed(2);

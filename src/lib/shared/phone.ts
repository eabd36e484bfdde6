// Kenyan phone numbers: accepts 0712345678, 712345678, 254712345678 and
// +254 712 345 678 (spaces, dashes) for mobile (7xx, 1xx) lines; stores E.164.
const KENYAN_MOBILE = /^(?:\+?254|0)?([17]\d{8})$/;

export function normalizeKenyanPhone(input: string): string | null {
  const compact = input.replace(/[\s-]/g, '');
  const m = KENYAN_MOBILE.exec(compact);
  return m ? `+254${m[1]}` : null;
}

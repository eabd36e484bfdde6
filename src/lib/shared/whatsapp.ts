// wa.me links with a prefilled message. The number is digits only, in
// international form (the business number is 254756185209).
export const DEFAULT_WHATSAPP_NUMBER = '254756185209';

export function whatsappLink(number: string, message?: string): string {
  const digits = number.replace(/\D/g, '');
  const base = `https://wa.me/${digits}`;
  return message ? `${base}?text=${encodeURIComponent(message)}` : base;
}

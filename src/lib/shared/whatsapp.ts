// wa.me links with a prefilled message. The number is digits only, in
// international form (the business number is 254756185209).
import { formatKES } from './money.ts';

export const DEFAULT_WHATSAPP_NUMBER = '254756185209';

export function whatsappLink(number: string, message?: string): string {
  const digits = number.replace(/\D/g, '');
  const base = `https://wa.me/${digits}`;
  return message ? `${base}?text=${encodeURIComponent(message)}` : base;
}

interface MessageOrder {
  number: string;
  total: number;
  items: { title: string; quantity: number; unitPrice: number }[];
  delivery: { location: string };
}

/** The prefilled WhatsApp message that confirms one checkout (one or more orders). */
export function orderConfirmationMessage(orders: MessageOrder[]): string {
  const lines = ['Hello Soko Africa, I would like to confirm my order' + (orders.length > 1 ? 's' : '') + ':'];
  for (const o of orders) {
    lines.push('', `Order ${o.number}`);
    for (const i of o.items) lines.push(`- ${i.quantity} x ${i.title} @ ${formatKES(i.unitPrice)}`);
    lines.push(`Subtotal: ${formatKES(o.total)}`);
  }
  const total = orders.reduce((s, o) => s + o.total, 0);
  lines.push('', `Total: ${formatKES(total)}`, `Delivery to: ${orders[0]?.delivery.location ?? ''}`);
  return lines.join('\n');
}

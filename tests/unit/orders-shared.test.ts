import { describe, expect, it } from 'vitest';
import { checkoutSchema } from '../../src/lib/shared/orders.ts';
import { normalizeKenyanPhone } from '../../src/lib/shared/phone.ts';
import { orderConfirmationMessage, whatsappLink } from '../../src/lib/shared/whatsapp.ts';

describe('Kenyan phone numbers', () => {
  it.each([
    ['0712345678', '+254712345678'],
    ['+254712345678', '+254712345678'],
    ['254712345678', '+254712345678'],
    ['0712 345 678', '+254712345678'],
    ['0110-123-456', '+254110123456'],
  ])('%s -> %s', (input, out) => expect(normalizeKenyanPhone(input)).toBe(out));

  it.each(['071234567', '+255712345678', '0212345678', 'hello', ''])('refuses %s', (input) =>
    expect(normalizeKenyanPhone(input)).toBeNull(),
  );
});

describe('checkout schema', () => {
  const good = {
    items: [{ productId: 'cabcdefgh123', quantity: 2 }],
    delivery: { location: 'Kilimani', phone: '0712345678' },
  };
  it('accepts a valid checkout and normalizes the phone', () => {
    expect(checkoutSchema.parse(good).delivery.phone).toBe('+254712345678');
  });
  it.each([
    ['an empty cart', { ...good, items: [] }, 'items'],
    ['a zero quantity', { ...good, items: [{ productId: 'cabcdefgh123', quantity: 0 }] }, 'items.0.quantity'],
    ['an unknown location', { ...good, delivery: { ...good.delivery, location: 'Atlantis' } }, 'delivery.location'],
    ['a foreign phone', { ...good, delivery: { ...good.delivery, phone: '+14155550123' } }, 'delivery.phone'],
    ['a duplicated product', { ...good, items: [...good.items, ...good.items] }, 'items'],
    ['an unknown field', { ...good, total: 1 }, ''],
  ])('refuses %s', (_name, body, path) => {
    const r = checkoutSchema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('WhatsApp links', () => {
  it('builds wa.me links with an encoded message', () => {
    expect(whatsappLink('254756185209')).toBe('https://wa.me/254756185209');
    expect(whatsappLink('+254 756 185 209', 'Hi & bye')).toBe('https://wa.me/254756185209?text=Hi%20%26%20bye');
  });
  it('lists order numbers, items, quantities, total in KES and the delivery area', () => {
    const msg = orderConfirmationMessage([
      {
        number: 'SOKO-2026-001001',
        total: 2_500_000,
        items: [{ title: 'Gold Ring', quantity: 2, unitPrice: 1_250_000 }],
        delivery: { location: 'Karen' },
      },
      {
        number: 'SOKO-2026-001002',
        total: 300_000,
        items: [{ title: 'Coffee', quantity: 1, unitPrice: 300_000 }],
        delivery: { location: 'Karen' },
      },
    ]);
    expect(msg).toContain('SOKO-2026-001001');
    expect(msg).toContain('SOKO-2026-001002');
    expect(msg).toContain('2 x Gold Ring @ Ksh');
    expect(msg).toMatch(/Total: Ksh\s?28,000/);
    expect(msg).toContain('Delivery to: Karen');
  });
});

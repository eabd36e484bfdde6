// Order shapes shared by the checkout API, the cart island and pages.
import { z } from './zod.ts';
import { LOCATIONS } from './locations.ts';
import { normalizeKenyanPhone } from './phone.ts';

export const ORDER_STATUSES = ['PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

import { MAX_CART_LINES, MAX_QUANTITY } from './cart-rules.ts';
import { ID_PATTERN } from './ids.ts';

export { MAX_CART_LINES, MAX_QUANTITY };

const id = z.string().regex(ID_PATTERN, 'must be a product id');

export const checkoutSchema = z
  .object({
    items: z
      .array(z.object({ productId: id, quantity: z.number().int().min(1).max(MAX_QUANTITY) }).strict())
      .min(1, 'the cart is empty')
      .max(MAX_CART_LINES, `at most ${MAX_CART_LINES} different products per checkout`)
      .refine(
        (items) => new Set(items.map((i) => i.productId)).size === items.length,
        'each product once per checkout',
      ),
    delivery: z
      .object({
        location: z
          .string()
          .refine((l) => LOCATIONS.includes(l), 'must be a Nairobi neighbourhood or Kenyan county from the list'),
        phone: z
          .string()
          .max(20)
          .transform((p, ctx) => {
            const n = normalizeKenyanPhone(p);
            if (!n)
              ctx.addIssue({
                code: 'custom',
                message: 'must be a Kenyan mobile number such as 0712345678 or +254712345678',
              });
            return n ?? p;
          }),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
  })
  .strict();

export type CheckoutInput = z.infer<typeof checkoutSchema>;

export interface OrderLine {
  productId: string;
  title: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

export interface OrderSummary {
  id: string;
  number: string;
  reference: string;
  status: OrderStatus;
  total: number;
  createdAt: string;
  seller: { id: string; name: string; handle: string | null };
  delivery: { location: string; phone: string; note: string | null };
  items: OrderLine[];
}

export interface CheckoutResult {
  reference: string;
  orders: OrderSummary[];
  whatsappUrl: string;
}

/** PATCH /api/orders/{id}/status */
export const statusChangeSchema = z
  .object({
    status: z.enum(ORDER_STATUSES),
    note: z.string().trim().max(500).optional(),
  })
  .strict();

/** The Idempotency-Key header of POST /api/orders: a client-made token, e.g. a UUID. */
export const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_:-]+$/, 'must be 1-100 characters of letters, digits, "_", "-" or ":"');

/** GET /api/orders and the order list pages. */
export const orderListQuerySchema = z
  .object({
    status: z.enum(ORDER_STATUSES).optional(),
    cursor: z.string().regex(ID_PATTERN, 'must be an order id').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();

/** An order id or its number (SOKO-2026-000123) in a path. */
export const orderRefSchema = z.string().regex(/^([a-z0-9]{8,40}|SOKO-\d{4}-\d{6,})$/, 'must be an order id or number');

/** The checkout reference (CHK-...) that groups one checkout's orders. */
export const checkoutReferenceSchema = z.string().regex(/^CHK-[A-Z0-9-]{1,60}$/, 'must be a checkout reference');

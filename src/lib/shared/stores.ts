// Store profile and product inputs, shared by the editor islands and the API.
import { z } from './zod.ts';
import { LOCATIONS } from './locations.ts';
import { normalizeKenyanPhone } from './phone.ts';

/** Handles that would collide with routes or mislead shoppers. */
const RESERVED_HANDLES = new Set([
  'admin',
  'api',
  'sell',
  'account',
  'soko',
  'soko-africa',
  'support',
  'help',
  'new',
  'edit',
  'settings',
]);

export const handleSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3, 'must be at least 3 characters')
  .max(40, 'must be at most 40 characters')
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'may use lower-case letters, digits and single dashes, e.g. amani-gold')
  .refine((h) => !h.includes('--'), 'may not contain two dashes in a row')
  .refine((h) => !RESERVED_HANDLES.has(h), 'is reserved; please choose another');

const plainText = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    // Plain text with line breaks: normalize newlines, drop other control characters.
    .transform((s) =>
      s
        .replace(/\r\n?/g, '\n')
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
        .trim(),
    );

export const storePatchSchema = z
  .object({
    storeName: z.string().trim().min(2, 'must be at least 2 characters').max(60, 'must be at most 60 characters'),
    handle: handleSchema,
    description: plainText(2000),
    location: z
      .string()
      .refine((l) => LOCATIONS.includes(l), 'must be a Nairobi neighbourhood or Kenyan county from the list'),
    phone: z
      .string()
      .max(20)
      .transform((p, ctx) => {
        const n = normalizeKenyanPhone(p);
        if (!n) ctx.addIssue({ code: 'custom', message: 'must be a Kenyan mobile number such as 0712345678' });
        return n ?? p;
      }),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

export type StorePatch = z.infer<typeof storePatchSchema>;

/** Prices are entered in whole or decimal KES and stored as minor units. */
const kesPrice = z
  .number()
  .positive('must be more than zero')
  .max(100_000_000, 'must be at most KES 100,000,000')
  .refine(
    (n) => Number.isInteger(Math.round(n * 100)) && Math.abs(n * 100 - Math.round(n * 100)) < 1e-6,
    'at most two decimals',
  )
  .transform((n) => Math.round(n * 100));

export const productInputSchema = z
  .object({
    title: z.string().trim().min(3, 'must be at least 3 characters').max(120, 'must be at most 120 characters'),
    description: plainText(5000).pipe(z.string().min(10, 'must be at least 10 characters')),
    categorySlug: z.string().regex(/^[a-z0-9-]{2,60}$/, 'must be a category'),
    priceKES: kesPrice,
    stock: z.number().int('must be a whole number').min(0).max(100_000),
  })
  .strict();

export const productPatchSchema = productInputSchema
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

export type ProductInput = z.infer<typeof productInputSchema>;
export type ProductPatch = z.infer<typeof productPatchSchema>;

export const reviewInputSchema = z
  .object({
    rating: z.number().int().min(1, 'must be 1 to 5').max(5, 'must be 1 to 5'),
    body: plainText(2000).default(''),
  })
  .strict();

export type ReviewInput = z.infer<typeof reviewInputSchema>;

/** A product id in a path (cuid). */
export const productIdSchema = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be a product id');

export const reviewListQuerySchema = z
  .object({
    cursor: productIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .strict();

/** A product as its seller manages it (/sell and the product endpoints' answers). */
export interface ManagedProduct {
  id: string;
  slug: string;
  title: string;
  description: string;
  price: number;
  stock: number;
  status: string;
  moderationReason: string | null;
  category: { slug: string; name: string };
  imageCount: number;
  updatedAt: string;
}

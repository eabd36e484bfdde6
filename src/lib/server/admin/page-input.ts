// Input of the server-rendered /admin pages: query strings (filters, pages)
// and the plain HTML forms they post. Strict zod schemas; an empty form field
// (an "All" option) means "not set". Failures become a message naming the field.
import { z } from 'zod';
import { ORDER_STATUSES } from '../../shared/orders.ts';
import { AppError, fromZod } from '../http/errors.ts';
import { checkPageAccess, type SessionUser } from '../authz/guards.ts';
import type { Db } from '../db.ts';
import { STORE_CLOSED_REASON } from './moderation.ts';
import { ID_PATTERN } from '../../shared/ids.ts';

/** An <input> or <select> left empty is "no filter", not an empty string to match. */
const opt = <S extends z.ZodType>(s: S) => z.preprocess((v) => (v === '' ? undefined : v), s.optional());

export const idSchema = z.string().regex(ID_PATTERN, 'must be an id');
const page = z.coerce.number().int().min(1, 'must be 1 or more').max(10_000, 'must be at most 10000').default(1);
const q = z.string().trim().max(100, 'must be at most 100 characters');
/** The flash code of the last action (Post/Redirect/Get); unknown codes are ignored. */
const done = z.string().max(40);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-01-31');

export const ROLES = ['BUYER', 'SELLER', 'ADMIN'] as const;
export const USER_STATUSES = ['ACTIVE', 'SUSPENDED'] as const;
export const PRODUCT_STATUSES = ['ACTIVE', 'HIDDEN', 'DRAFT', 'ARCHIVED'] as const;

export const usersQuery = z.strictObject({
  q: opt(q),
  role: opt(z.enum(ROLES)),
  status: opt(z.enum(USER_STATUSES)),
  page,
  done: opt(done),
});

export const productsQuery = z.strictObject({
  q: opt(q),
  status: opt(z.enum(PRODUCT_STATUSES)),
  seller: opt(idSchema),
  page,
  done: opt(done),
});

export const ordersQuery = z
  .strictObject({
    status: opt(z.enum(ORDER_STATUSES)),
    seller: opt(idSchema),
    from: opt(day),
    to: opt(day),
    cursor: opt(idSchema),
    done: opt(done),
  })
  .refine((v) => !v.from || !v.to || v.from <= v.to, { message: 'must not be before from', path: ['to'] });

export const orderQuery = z.strictObject({ done: opt(done) });

export const auditQuery = z.strictObject({
  target: opt(idSchema),
  page,
});

export const userForm = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('role'), userId: idSchema, role: z.enum(ROLES) }),
  z.strictObject({ action: z.literal('suspend'), userId: idSchema }),
  z.strictObject({ action: z.literal('reactivate'), userId: idSchema }),
]);

export const productForm = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('hide'),
    productId: idSchema,
    reason: z.string().trim().min(3, 'is required (at least 3 characters)').max(500, 'must be at most 500 characters'),
  }),
  z.strictObject({ action: z.literal('restore'), productId: idSchema }),
]);

export const orderForm = z.strictObject({
  status: z.enum(ORDER_STATUSES),
  note: opt(z.string().trim().max(500, 'must be at most 500 characters')),
});

export type Parsed<T> = { ok: true; data: T } | { ok: false; error: AppError };

/** Parses the query string; a bad parameter is an AppError naming `query.<name>`. */
export function parseQuery<S extends z.ZodType>(schema: S, url: URL): Parsed<z.output<S>> {
  const raw: Record<string, string> = {};
  for (const [k, v] of url.searchParams) {
    if (k in raw) return { ok: false, error: new AppError('VALIDATION_FAILED', `Invalid query.${k}: given twice`) };
    raw[k] = v;
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, error: fromZod(r.error, 'query') };
}

/** Reads a posted form (urlencoded or multipart); anything else is a 400. */
export async function parseForm<S extends z.ZodType>(schema: S, request: Request): Promise<Parsed<z.output<S>>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { ok: false, error: new AppError('BAD_REQUEST', 'Send the form as application/x-www-form-urlencoded') };
  }
  const raw: Record<string, string> = {};
  for (const [k, v] of form) {
    if (typeof v !== 'string') return { ok: false, error: new AppError('BAD_REQUEST', `Invalid form.${k}: not text`) };
    raw[k] = v;
  }
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, data: r.data } : { ok: false, error: fromZod(r.error, 'form') };
}

/** Where to go after a successful POST: the same page and filters, with a flash code. */
export function afterPost(url: URL, code: string): string {
  const next = new URL(url);
  next.searchParams.set('done', code);
  return next.pathname + next.search;
}

/** A URL of the same page with some parameters changed (undefined removes one); drops the flash. */
export function withParams(url: URL, changes: Record<string, string | number | undefined>): string {
  const next = new URL(url);
  next.searchParams.delete('done');
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') next.searchParams.delete(k);
    else next.searchParams.set(k, String(v));
  }
  return next.pathname + next.search;
}

export const FLASH: Record<string, string> = {
  'role-changed': 'The role was changed. The user signs in again to use it.',
  'role-changed-store-closed': `The role was changed and their store is closed: its products on sale were hidden (reason "${STORE_CLOSED_REASON}").`,
  'role-changed-store-reopened':
    'The role was changed and their store is open again: the products hidden when it closed are back.',
  suspended: 'The user was suspended; their sessions stopped working at once.',
  reactivated: 'The user was reactivated.',
  hidden: 'The product was hidden from the storefront. The seller sees your reason.',
  restored: 'The product is back on the storefront.',
  'restored-offsale':
    'The product is no longer hidden. Its seller had archived it or left it as a draft, so it stays off the storefront.',
  'status-changed': 'The order status was changed.',
};

/** Dates in the filters are Nairobi calendar days (UTC+3, no daylight saving). */
export function nairobiDayStart(d: string, plusDays = 0): Date {
  const t = new Date(`${d}T00:00:00+03:00`);
  t.setUTCDate(t.getUTCDate() + plusDays);
  return t;
}

export const nairobiDateTime = new Intl.DateTimeFormat('en-KE', {
  timeZone: 'Africa/Nairobi',
  dateStyle: 'medium',
  timeStyle: 'short',
});

export const pageCount = (total: number, perPage: number) => Math.max(1, Math.ceil(total / perPage));

/** 303 for Post/Redirect/Get and for sign-in; never cached, like every admin response. */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'private, no-store' } });
}

/**
 * The start of every admin page: anonymous visitors get a 303 to sign-in
 * (`redirect`), the response is never cached, other roles get a 403 status
 * (the page then renders the forbidden body), and `me` is the admin as the
 * database has them now.
 */
export async function openAdminPage(
  db: Db,
  astro: { locals: App.Locals; url: URL; response: ResponseInit & { headers: Headers } },
): Promise<{ redirect: Response; me?: undefined } | { redirect?: undefined; me: SessionUser | undefined }> {
  const access = await checkPageAccess(db, astro.locals, astro.url, 'ADMIN');
  if (access.kind === 'redirect') return { redirect: seeOther(access.location) };
  astro.response.headers.set('Cache-Control', 'private, no-store');
  if (access.kind === 'forbidden') astro.response.status = 403;
  return { me: access.kind === 'ok' ? access.user : undefined };
}

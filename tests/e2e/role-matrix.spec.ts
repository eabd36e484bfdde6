// Who can do what: one row per endpoint or page, the expected status for each
// actor. The single place that shows the access rules; later issues add their
// endpoints as rows. Pages that need a sign-in answer 303 to /signin for
// anonymous visitors and 403 for the wrong role.
//   api rows send the session as `Authorization: Bearer`, page rows as the cookie.
// `suspended` is a buyer who signed in, then was suspended by an admin (the
// /admin/users form, before the table runs): their token is still signed and
// unexpired, so only the database re-read stops it. It must get a 401 from every
// private or state-changing API row and the sign-in redirect from every page row;
// public rows answer it like anyone else.
import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { imageUrl } from '../../src/lib/shared/images.ts';
import { ACCOUNTS, signIn, type Actor } from './support/auth.ts';
import { sql } from './support/db.ts';

interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  kind: 'api' | 'page';
  /** JSON body for api rows. */
  body?: unknown;
  /** Form fields for page rows that post (sent with this site's Origin, as a browser would). */
  form?: Record<string, string>;
  expect: Record<Actor, number>;
  /** Why the numbers are what they are, when it is not obvious. */
  note?: string;
  /** Send a same-origin Origin header, as a browser does (the origin check needs it on a body-less DELETE). */
  sameOrigin?: boolean;
}

const ROWS: Row[] = [
  {
    method: 'GET',
    path: '/api/auth/me',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, suspended: 401, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    kind: 'api',
    body: {},
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
    note: 'idempotent; clears the cookie only (a Bearer token stays valid until it expires)',
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 400, seller: 400, otherSeller: 400, suspended: 401, admin: 400 },
    note: 'the guard runs before validation: anonymous is 401 whatever the body',
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    kind: 'api',
    body: {},
    expect: { anonymous: 400, buyer: 400, seller: 400, otherSeller: 400, suspended: 400, admin: 400 },
    note: 'public; a session changes nothing (the body is checked before any password)',
  },
  {
    method: 'POST',
    path: '/api/auth/register',
    kind: 'api',
    body: { email: 'matrix@example.com', password: 'x', name: 'M', role: 'ADMIN' },
    expect: { anonymous: 400, buyer: 400, seller: 400, otherSeller: 400, suspended: 400, admin: 400 },
    note: 'nobody becomes ADMIN by signing up, not even an admin',
  },
  {
    method: 'GET',
    path: '/account',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 200, otherSeller: 200, suspended: 303, admin: 200 },
  },
  {
    method: 'GET',
    path: '/sell',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 200, otherSeller: 200, suspended: 303, admin: 200 },
  },
  // ---- Admin area (issue 8): ADMIN only, role re-checked in the database. ----
  ...['/admin', '/admin/users', '/admin/products', '/admin/orders', '/admin/audit'].map((path): Row => ({
    method: 'GET',
    path,
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 200 },
  })),
  {
    method: 'GET',
    path: '/admin/orders/nosuchorder0',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 404 },
  },
  {
    method: 'GET',
    path: '/admin/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 200 },
    note: 'the buyer and the seller of the order get a 403 too: their views are /account/orders and /sell/orders',
  },

  // ---- Orders, cart and watchlist (issue 6). `{order}` is a PENDING order the
  // buyer placed with the seller's store, made before the table runs.
  {
    method: 'POST',
    path: '/api/orders',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 400, seller: 403, otherSeller: 403, suspended: 400, admin: 403 },
    note:
      'buyers only; the token’s role is checked before validation, the database re-read runs beside the ' +
      'product read (docs/ARCHITECTURE.md, Checkout), so a malformed cart is a 400 even for a suspended buyer: ' +
      'nothing is read or written for it',
  },
  {
    method: 'POST',
    path: '/api/orders',
    kind: 'api',
    body: {
      items: [{ productId: 'doesnotexist00', quantity: 1 }],
      delivery: { location: 'Karen', phone: '0712345678' },
    },
    expect: { anonymous: 401, buyer: 409, seller: 403, otherSeller: 403, suspended: 401, admin: 403 },
    note: 'a well-formed cart (of a product that does not exist): the suspended buyer’s 401 comes before the cart’s 409',
  },
  {
    method: 'GET',
    path: '/api/orders',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, suspended: 401, admin: 200 },
    note: 'each sees their own, their store’s, or (admin) all',
  },
  {
    method: 'GET',
    path: '/api/orders/{order}',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 404, suspended: 401, admin: 200 },
    note: 'someone else’s order is a 404, not a 403',
  },
  {
    method: 'PATCH',
    path: '/api/orders/{order}/status',
    kind: 'api',
    body: { status: 'DELIVERED' },
    expect: { anonymous: 401, buyer: 409, seller: 409, otherSeller: 404, suspended: 401, admin: 409 },
    note: 'PENDING cannot jump to DELIVERED; the order is not changed',
  },
  {
    method: 'GET',
    path: '/checkout/confirmation?ref={checkout}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 404, otherSeller: 404, suspended: 303, admin: 404 },
    note: 'only the buyer who placed the checkout sees its confirmation',
  },
  {
    method: 'POST',
    path: '/api/cart/quote',
    kind: 'api',
    body: { productIds: ['doesnotexist00'] },
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
    note: 'public: the cart works signed out',
  },
  {
    method: 'GET',
    path: '/api/health',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
    note: 'public, for load balancers: the database state and nothing about the caller',
  },
  {
    method: 'GET',
    path: '{image}',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
    note: 'a photo of a product on sale (/api/images/{id}?w=320&v=...): public, the same bytes for everyone',
  },
  {
    method: 'GET',
    path: '/api/images/cnosuchimage000000000000?w=320',
    kind: 'api',
    expect: { anonymous: 404, buyer: 404, seller: 404, otherSeller: 404, suspended: 404, admin: 404 },
  },
  {
    method: 'GET',
    path: '/api/watchlist',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, suspended: 401, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/watchlist',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 400, seller: 400, otherSeller: 400, suspended: 401, admin: 400 },
  },
  {
    method: 'DELETE',
    path: '/api/watchlist/doesnotexist00',
    kind: 'api',
    sameOrigin: true,
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, suspended: 401, admin: 200 },
    note: 'idempotent',
  },
  {
    method: 'GET',
    path: '/account/orders',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 200, otherSeller: 200, suspended: 303, admin: 200 },
  },
  {
    method: 'GET',
    path: '/account/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 404, otherSeller: 404, suspended: 303, admin: 404 },
    note: 'your purchases only; sellers and admins read store orders under /sell/orders',
  },
  {
    method: 'GET',
    path: '/account/watchlist',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 200, otherSeller: 200, suspended: 303, admin: 200 },
  },
  {
    method: 'GET',
    path: '/sell/orders',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 200, otherSeller: 200, suspended: 303, admin: 200 },
  },
  {
    method: 'GET',
    path: '/sell/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 200, otherSeller: 404, suspended: 303, admin: 200 },
  },
  // ---- end of issue 6 rows
  // ---- Seller store and product management, reviews (issue 7) ----
  // ':matrixProduct' is a product the seller creates for this test (archive and restore change it).
  {
    method: 'GET',
    path: '/api/stores/me',
    kind: 'api',
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 200, suspended: 401, admin: 403 },
    note: 'each seller reads only their own store: there is no id to change',
  },
  {
    method: 'PATCH',
    path: '/api/stores/me',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 400, suspended: 401, admin: 403 },
    note: 'guard first, then the strict schema (an empty patch is a 400)',
  },
  {
    method: 'POST',
    path: '/api/products',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 400, suspended: 401, admin: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 403, suspended: 401, admin: 400 },
    note: 'ownership is checked before the body: another seller gets 403, the owner and admins reach validation',
  },
  {
    method: 'DELETE',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 403, suspended: 401, admin: 200 },
    note: "the body is ignored; a JSON content type (or the page's Origin) passes the cross-site check",
  },
  {
    method: 'POST',
    path: '/api/products/:matrixProduct/restore',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 403, suspended: 401, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/products/:matrixProduct/reviews',
    kind: 'api',
    body: { rating: 5, body: 'Matrix' },
    expect: { anonymous: 401, buyer: 403, seller: 403, otherSeller: 403, suspended: 401, admin: 403 },
    note: 'nobody has a delivered order of a brand-new product; the seller never reviews their own',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
    note: 'public catalog read',
  },
  {
    method: 'GET',
    path: '/api/products?seller=amani-gold',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
    note: 'public catalog read',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct/reviews',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
  },
  // Store logo and banner, product photos (issue 7, media).
  {
    method: 'POST',
    path: '/api/stores/me/logo',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 415, otherSeller: 415, suspended: 401, admin: 403 },
    note: 'sellers only, their own store (no id in the path); a JSON body is not an image upload (415)',
  },
  {
    method: 'DELETE',
    path: '/api/stores/me/banner',
    kind: 'api',
    sameOrigin: true,
    expect: { anonymous: 401, buyer: 403, seller: 204, otherSeller: 204, suspended: 401, admin: 403 },
    note: 'idempotent: removing no banner is fine',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct/images',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, suspended: 200, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/products/:matrixProduct/images',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 415, otherSeller: 403, suspended: 401, admin: 415 },
    note: 'ownership before a byte is read; the owner and admins reach the upload checks',
  },
  {
    method: 'PUT',
    path: '/api/products/:matrixProduct/images/order',
    kind: 'api',
    body: { imageIds: ['nosuchimage00'] },
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 403, suspended: 401, admin: 400 },
    note: 'not a permutation of the product’s images',
  },
  {
    method: 'PATCH',
    path: '/api/products/:matrixProduct/images/nosuchimage00',
    kind: 'api',
    body: { alt: 'A described photo' },
    expect: { anonymous: 401, buyer: 403, seller: 404, otherSeller: 403, suspended: 401, admin: 404 },
  },
  {
    method: 'DELETE',
    path: '/api/products/:matrixProduct/images/nosuchimage00',
    kind: 'api',
    sameOrigin: true,
    expect: { anonymous: 401, buyer: 403, seller: 404, otherSeller: 403, suspended: 401, admin: 404 },
  },
  {
    method: 'DELETE',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 403, suspended: 401, admin: 200 },
    note: 'archived again, for the next row',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct/images',
    kind: 'api',
    expect: { anonymous: 404, buyer: 404, seller: 200, otherSeller: 404, suspended: 404, admin: 200 },
    note: 'the photos of a product shoppers cannot see (archived, draft, hidden): its seller and admins only',
  },
  // ---- end of issue 7 rows ----
  {
    method: 'POST',
    path: '/admin/users',
    kind: 'page',
    form: { action: 'suspend' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 400 },
    note: 'the guard runs before the form is read: only an admin gets as far as "form.userId is missing"',
  },
  {
    method: 'POST',
    path: '/admin/users',
    kind: 'page',
    form: { action: 'role', userId: 'nosuchuser0', role: 'SELLER' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/users',
    kind: 'page',
    form: { action: 'reactivate', userId: 'nosuchuser0' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/products',
    kind: 'page',
    form: { action: 'hide', productId: 'nosuchproduct0', reason: 'matrix' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/products',
    kind: 'page',
    form: { action: 'restore', productId: 'nosuchproduct0' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/orders/nosuchorder0',
    kind: 'page',
    form: { status: 'CONFIRMED' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/orders/{order}',
    kind: 'page',
    form: { status: 'CONFIRMED', note: 'Confirmed by the role matrix' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, suspended: 303, admin: 303 },
    note:
      'a real change on a real target: only the admin’s post confirms the order (303 back to the page with ' +
      '?done=, checked after the table); everyone else is stopped before the form is read',
  },
  // ---- end of admin area rows ----
];

/** Places the `{order}` the order rows use (and its `{checkout}` reference): the buyer buys one of the seller's products. */
async function placeMatrixOrder(
  request: APIRequestContext,
  buyerToken: string,
): Promise<{ orderId: string; checkout: string }> {
  // amani-gold is the store of ACCOUNTS.seller in the demo seed.
  const found = (await (await request.get('/api/products?seller=amani-gold')).json()) as {
    items: { id: string; stock: number }[];
  };
  const product = found.items.find((p) => p.stock > 0);
  if (!product) throw new Error('no in-stock product of the seller on the first page');
  const res = await request.post('/api/orders', {
    headers: { Authorization: `Bearer ${buyerToken}` },
    data: { items: [{ productId: product.id, quantity: 1 }], delivery: { location: 'Karen', phone: '0712345678' } },
  });
  if (res.status() !== 201) throw new Error(`matrix order failed: ${res.status()} ${await res.text()}`);
  const placed = (await res.json()) as { reference: string; orders: { id: string }[] };
  return { orderId: placed.orders[0]!.id, checkout: placed.reference };
}

const ACTORS: Actor[] = ['anonymous', 'buyer', 'seller', 'otherSeller', 'suspended', 'admin'];

/**
 * The `suspended` actor: a buyer account made for this run (with the demo buyer's password hash, so it
 * signs in with the demo password), signed in, then suspended by the admin through /admin/users.
 * Returns its token from before the suspension.
 */
async function suspendedActorToken(
  playwright: { request: { newContext(o: { baseURL?: string }): Promise<APIRequestContext> } },
  baseURL: string | undefined,
  adminToken: string,
): Promise<string> {
  const id = `matrixsuspended${randomBytes(4).toString('hex')}`;
  const email = `${id}@example.com`;
  await sql(
    `INSERT INTO "User" (id, email, name, "passwordHash", "updatedAt")
     SELECT $1, $2, 'Matrix Suspended', "passwordHash", now() FROM "User" WHERE email = $3`,
    [id, email, ACCOUNTS.buyer],
  );
  await sql(
    `INSERT INTO "Profile" (id, "userId", "displayName", "updatedAt") VALUES ($1, $1, 'Matrix Suspended', now())`,
    [id],
  );
  const ctx = await playwright.request.newContext({ baseURL });
  try {
    const { token } = await signIn(ctx, email);
    // Valid until now: the same token reads private data.
    expect((await ctx.get('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(200);
    const suspend = await ctx.post('/admin/users', {
      form: { action: 'suspend', userId: id },
      headers: { Origin: baseURL!, Cookie: `soko_session=${adminToken}` },
      maxRedirects: 0,
    });
    expect(suspend.status()).toBe(303);
    expect(suspend.headers().location).toBe('/admin/users?done=suspended');
    return token;
  } finally {
    await ctx.dispose();
  }
}

async function send(
  request: APIRequestContext,
  row: Row,
  actor: Actor,
  token: string | undefined,
  origin?: string,
): Promise<number> {
  const headers: Record<string, string> = {};
  // Forms and bodyless unsafe requests need a same-origin Origin (the cross-site check), as browsers send.
  if ((row.sameOrigin || row.form) && origin) headers.Origin = origin;
  if (token) {
    if (row.kind === 'api') headers.Authorization = `Bearer ${token}`;
    else headers.Cookie = `soko_session=${token}`;
  }
  const res = await request.fetch(row.path, {
    method: row.method,
    headers,
    ...(row.body !== undefined ? { data: row.body } : {}),
    ...(row.form !== undefined ? { form: row.form } : {}),
    maxRedirects: 0,
  });
  if (res.status() === 303) {
    const location = res.headers().location;
    // Anonymous and ended sessions go to sign-in with a way back; anyone else's 303 is a done action.
    if (actor === 'anonymous' || actor === 'suspended')
      expect(location, `${row.method} ${row.path} as ${actor}`).toBe(`/signin?next=${encodeURIComponent(row.path)}`);
    else expect(location, `${row.method} ${row.path} as ${actor}`).toMatch(/^\/admin\/[^?]*\?(.*&)?done=/);
  }
  return res.status();
}

test('role matrix: every endpoint answers each actor as the table says', async ({ playwright, baseURL }) => {
  // Hundreds of requests, one fresh context each: 30 s is too short on a busy two-core machine.
  test.setTimeout(180_000);
  // A fresh context per actor: no cookie jar shared between columns.
  const tokens: Partial<Record<Actor, string>> = {};
  for (const actor of ACTORS) {
    if (actor === 'anonymous' || actor === 'suspended') continue;
    const ctx = await playwright.request.newContext({ baseURL });
    tokens[actor] = (await signIn(ctx, ACCOUNTS[actor])).token;
    await ctx.dispose();
  }
  tokens.suspended = await suspendedActorToken(playwright, baseURL, tokens.admin!);
  const setup = await playwright.request.newContext({ baseURL });
  const { orderId, checkout } = await placeMatrixOrder(setup, tokens.buyer!);
  await setup.dispose();
  // A product of the seller's for the product rows (issue 7).
  const setupProduct = await playwright.request.newContext({ baseURL });
  const created = await setupProduct.post('/api/products', {
    headers: { Authorization: `Bearer ${tokens.seller}` },
    data: {
      title: 'Role matrix brooch',
      description: 'Made for the role matrix test.',
      categorySlug: 'jewellery',
      priceKES: 1000,
      stock: 1,
    },
  });
  expect(created.status()).toBe(201);
  const matrixProduct = ((await created.json()) as { product: { id: string } }).product.id;
  // A photo of one of the seller's products on sale, for the image row.
  const listed = (await (await setupProduct.get('/api/products?seller=amani-gold')).json()) as {
    items: { image: { id: string; contentHash: string } | null }[];
  };
  const photo = listed.items.find((p) => p.image)?.image;
  if (!photo) throw new Error('no product with a photo on the seller’s first page');
  await setupProduct.dispose();
  const rows = ROWS.map((r) => ({
    ...r,
    path: r.path
      .replace('{order}', orderId)
      .replace('{checkout}', checkout)
      .replace(':matrixProduct', matrixProduct)
      .replace('{image}', imageUrl(photo, 320)),
  }));
  const actual: string[] = [];
  const expected: string[] = [];
  for (const row of rows) {
    for (const actor of ACTORS) {
      const ctx = await playwright.request.newContext({ baseURL });
      const status = await send(ctx, row, actor, tokens[actor], baseURL);
      await ctx.dispose();
      actual.push(`${row.method} ${row.path} as ${actor}: ${status}`);
      expected.push(`${row.method} ${row.path} as ${actor}: ${row.expect[actor]}`);
    }
  }
  // Compared as one list so a failure shows every cell that differs.
  expect(actual).toEqual(expected);

  // The admin's confirmation went through, once, audited; the refused actors changed nothing.
  const check = await playwright.request.newContext({ baseURL });
  const order = await check.get(`/api/orders/${orderId}`, { headers: { Authorization: `Bearer ${tokens.admin}` } });
  expect(((await order.json()) as { status: string }).status).toBe('CONFIRMED');
  await check.dispose();
  expect(
    await sql(`SELECT action, after->>'status' AS status FROM "AuditLog" WHERE "targetId" = $1`, [orderId]),
  ).toEqual([{ action: 'order.status', status: 'CONFIRMED' }]);
});

// Who can do what: one row per endpoint or page, the expected status for each
// actor. The single place that shows the access rules; later issues add their
// endpoints as rows. Pages that need a sign-in answer 303 to /signin for
// anonymous visitors and 403 for the wrong role.
//   api rows send the session as `Authorization: Bearer`, page rows as the cookie.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ACCOUNTS, signIn, type Actor } from './support/auth.ts';

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
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/auth/logout',
    kind: 'api',
    body: {},
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
    note: 'idempotent; clears the cookie only (a Bearer token stays valid until it expires)',
  },
  {
    method: 'POST',
    path: '/api/auth/password',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 400, seller: 400, otherSeller: 400, admin: 400 },
    note: 'the guard runs before validation: anonymous is 401 whatever the body',
  },
  {
    method: 'POST',
    path: '/api/auth/login',
    kind: 'api',
    body: {},
    expect: { anonymous: 400, buyer: 400, seller: 400, otherSeller: 400, admin: 400 },
    note: 'public; a session changes nothing (the body is checked before any password)',
  },
  {
    method: 'POST',
    path: '/api/auth/register',
    kind: 'api',
    body: { email: 'matrix@example.com', password: 'x', name: 'M', role: 'ADMIN' },
    expect: { anonymous: 400, buyer: 400, seller: 400, otherSeller: 400, admin: 400 },
    note: 'nobody becomes ADMIN by signing up, not even an admin',
  },
  {
    method: 'GET',
    path: '/account',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'GET',
    path: '/sell',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 200, otherSeller: 200, admin: 200 },
  },
  // ---- Admin area (issue 8): ADMIN only, role re-checked in the database. ----
  ...['/admin', '/admin/users', '/admin/products', '/admin/orders', '/admin/audit'].map((path): Row => ({
    method: 'GET',
    path,
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 200 },
  })),
  {
    method: 'GET',
    path: '/admin/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 200 },
    note: 'even the buyer and the seller of the order: the admin view is for admins',
  },
  {
    method: 'GET',
    path: '/admin/orders/nosuchorder0',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
  },
  {
    method: 'GET',
    path: '/admin/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 200 },
    note: 'the buyer and the seller of the order get a 403 too: their views are /account/orders and /sell/orders',
  },

  // ---- Orders, cart and watchlist (issue 6). `{order}` is a PENDING order the
  // buyer placed with the seller's store, made before the table runs.
  {
    method: 'POST',
    path: '/api/orders',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 400, seller: 403, otherSeller: 403, admin: 403 },
    note: 'buyers only; the guard runs before validation',
  },
  {
    method: 'GET',
    path: '/api/orders',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
    note: 'each sees their own, their store’s, or (admin) all',
  },
  {
    method: 'GET',
    path: '/api/orders/{order}',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 404, admin: 200 },
    note: 'someone else’s order is a 404, not a 403',
  },
  {
    method: 'PATCH',
    path: '/api/orders/{order}/status',
    kind: 'api',
    body: { status: 'DELIVERED' },
    expect: { anonymous: 401, buyer: 409, seller: 409, otherSeller: 404, admin: 409 },
    note: 'PENDING cannot jump to DELIVERED; the order is not changed',
  },
  {
    method: 'GET',
    path: '/checkout/confirmation?ref={checkout}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 404, otherSeller: 404, admin: 404 },
    note: 'only the buyer who placed the checkout sees its confirmation',
  },
  {
    method: 'POST',
    path: '/api/cart/quote',
    kind: 'api',
    body: { productIds: ['doesnotexist00'] },
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
    note: 'public: the cart works signed out',
  },
  {
    method: 'GET',
    path: '/api/watchlist',
    kind: 'api',
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/watchlist',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 400, seller: 400, otherSeller: 400, admin: 400 },
  },
  {
    method: 'DELETE',
    path: '/api/watchlist/doesnotexist00',
    kind: 'api',
    sameOrigin: true,
    expect: { anonymous: 401, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
    note: 'idempotent',
  },
  {
    method: 'GET',
    path: '/account/orders',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'GET',
    path: '/account/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 404, otherSeller: 404, admin: 404 },
    note: 'your purchases only; sellers and admins read store orders under /sell/orders',
  },
  {
    method: 'GET',
    path: '/account/watchlist',
    kind: 'page',
    expect: { anonymous: 303, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'GET',
    path: '/sell/orders',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'GET',
    path: '/sell/orders/{order}',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 200, otherSeller: 404, admin: 200 },
  },
  // ---- end of issue 6 rows
  // ---- Seller store and product management, reviews (issue 7) ----
  // ':matrixProduct' is a product the seller creates for this test (archive and restore change it).
  {
    method: 'GET',
    path: '/api/stores/me',
    kind: 'api',
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 200, admin: 403 },
    note: 'each seller reads only their own store: there is no id to change',
  },
  {
    method: 'PATCH',
    path: '/api/stores/me',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 400, admin: 403 },
    note: 'guard first, then the strict schema (an empty patch is a 400)',
  },
  {
    method: 'POST',
    path: '/api/products',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 400, admin: 403 },
  },
  {
    method: 'PATCH',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 403, admin: 400 },
    note: 'ownership is checked before the body: another seller gets 403, the owner and admins reach validation',
  },
  {
    method: 'DELETE',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 403, admin: 200 },
    note: "the body is ignored; a JSON content type (or the page's Origin) passes the cross-site check",
  },
  {
    method: 'POST',
    path: '/api/products/:matrixProduct/restore',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 403, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/products/:matrixProduct/reviews',
    kind: 'api',
    body: { rating: 5, body: 'Matrix' },
    expect: { anonymous: 401, buyer: 403, seller: 403, otherSeller: 403, admin: 403 },
    note: 'nobody has a delivered order of a brand-new product; the seller never reviews their own',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
    note: 'public catalog read',
  },
  {
    method: 'GET',
    path: '/api/products?seller=amani-gold',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
    note: 'public catalog read',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct/reviews',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  // Store logo and banner, product photos (issue 7, media).
  {
    method: 'POST',
    path: '/api/stores/me/logo',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 415, otherSeller: 415, admin: 403 },
    note: 'sellers only, their own store (no id in the path); a JSON body is not an image upload (415)',
  },
  {
    method: 'DELETE',
    path: '/api/stores/me/banner',
    kind: 'api',
    sameOrigin: true,
    expect: { anonymous: 401, buyer: 403, seller: 204, otherSeller: 204, admin: 403 },
    note: 'idempotent: removing no banner is fine',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct/images',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  {
    method: 'POST',
    path: '/api/products/:matrixProduct/images',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 415, otherSeller: 403, admin: 415 },
    note: 'ownership before a byte is read; the owner and admins reach the upload checks',
  },
  {
    method: 'PUT',
    path: '/api/products/:matrixProduct/images/order',
    kind: 'api',
    body: { imageIds: ['nosuchimage00'] },
    expect: { anonymous: 401, buyer: 403, seller: 400, otherSeller: 403, admin: 400 },
    note: 'not a permutation of the product’s images',
  },
  {
    method: 'PATCH',
    path: '/api/products/:matrixProduct/images/nosuchimage00',
    kind: 'api',
    body: { alt: 'A described photo' },
    expect: { anonymous: 401, buyer: 403, seller: 404, otherSeller: 403, admin: 404 },
  },
  {
    method: 'DELETE',
    path: '/api/products/:matrixProduct/images/nosuchimage00',
    kind: 'api',
    sameOrigin: true,
    expect: { anonymous: 401, buyer: 403, seller: 404, otherSeller: 403, admin: 404 },
  },
  {
    method: 'DELETE',
    path: '/api/products/:matrixProduct',
    kind: 'api',
    body: {},
    expect: { anonymous: 401, buyer: 403, seller: 200, otherSeller: 403, admin: 200 },
    note: 'archived again, for the next row',
  },
  {
    method: 'GET',
    path: '/api/products/:matrixProduct/images',
    kind: 'api',
    expect: { anonymous: 404, buyer: 404, seller: 200, otherSeller: 404, admin: 200 },
    note: 'the photos of a product shoppers cannot see (archived, draft, hidden): its seller and admins only',
  },
  // ---- end of issue 7 rows ----
  {
    method: 'POST',
    path: '/admin/users',
    kind: 'page',
    form: { action: 'suspend' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 400 },
    note: 'the guard runs before the form is read: only an admin gets as far as "form.userId is missing"',
  },
  {
    method: 'POST',
    path: '/admin/users',
    kind: 'page',
    form: { action: 'role', userId: 'nosuchuser0', role: 'SELLER' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/users',
    kind: 'page',
    form: { action: 'reactivate', userId: 'nosuchuser0' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/products',
    kind: 'page',
    form: { action: 'hide', productId: 'nosuchproduct0', reason: 'matrix' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/products',
    kind: 'page',
    form: { action: 'restore', productId: 'nosuchproduct0' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
  },
  {
    method: 'POST',
    path: '/admin/orders/nosuchorder0',
    kind: 'page',
    form: { status: 'CONFIRMED' },
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
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

const ACTORS: Actor[] = ['anonymous', 'buyer', 'seller', 'otherSeller', 'admin'];

async function send(request: APIRequestContext, row: Row, token: string | undefined, origin?: string): Promise<number> {
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
  if (res.status() === 303 && !token)
    expect(res.headers().location).toBe(`/signin?next=${encodeURIComponent(row.path)}`);
  return res.status();
}

test('role matrix: every endpoint answers each actor as the table says', async ({ playwright, baseURL }) => {
  // Hundreds of requests, one fresh context each: 30 s is too short on a busy two-core machine.
  test.setTimeout(180_000);
  // A fresh context per actor: no cookie jar shared between columns.
  const tokens: Partial<Record<Actor, string>> = {};
  for (const actor of ACTORS) {
    if (actor === 'anonymous') continue;
    const ctx = await playwright.request.newContext({ baseURL });
    tokens[actor] = (await signIn(ctx, ACCOUNTS[actor])).token;
    await ctx.dispose();
  }
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
  await setupProduct.dispose();
  const rows = ROWS.map((r) => ({
    ...r,
    path: r.path.replace('{order}', orderId).replace('{checkout}', checkout).replace(':matrixProduct', matrixProduct),
  }));
  const actual: string[] = [];
  const expected: string[] = [];
  for (const row of rows) {
    for (const actor of ACTORS) {
      const ctx = await playwright.request.newContext({ baseURL });
      const status = await send(ctx, row, tokens[actor], baseURL);
      await ctx.dispose();
      actual.push(`${row.method} ${row.path} as ${actor}: ${status}`);
      expected.push(`${row.method} ${row.path} as ${actor}: ${row.expect[actor]}`);
    }
  }
  // Compared as one list so a failure shows every cell that differs.
  expect(actual).toEqual(expected);
});

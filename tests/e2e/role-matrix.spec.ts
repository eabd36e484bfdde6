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
  expect: Record<Actor, number>;
  /** Why the numbers are what they are, when it is not obvious. */
  note?: string;
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
  {
    method: 'GET',
    path: '/admin',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 200 },
  },

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
    note: "the body is ignored; a JSON content type (or the page's Origin) passes Astro's cross-site check",
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
    path: '/api/products/:matrixProduct/reviews',
    kind: 'api',
    expect: { anonymous: 200, buyer: 200, seller: 200, otherSeller: 200, admin: 200 },
  },
  // ---- end of issue 7 rows ----
];

const ACTORS: Actor[] = ['anonymous', 'buyer', 'seller', 'otherSeller', 'admin'];

async function send(
  request: APIRequestContext,
  row: Row,
  token: string | undefined,
  fill: (path: string) => string = (p) => p,
): Promise<number> {
  const headers: Record<string, string> = {};
  if (token) {
    if (row.kind === 'api') headers.Authorization = `Bearer ${token}`;
    else headers.Cookie = `soko_session=${token}`;
  }
  const res = await request.fetch(fill(row.path), {
    method: row.method,
    headers,
    ...(row.body !== undefined ? { data: row.body } : {}),
    maxRedirects: 0,
  });
  if (res.status() === 303) expect(res.headers().location).toBe(`/signin?next=${encodeURIComponent(row.path)}`);
  return res.status();
}

test('role matrix: every endpoint answers each actor as the table says', async ({ playwright, baseURL }) => {
  // A fresh context per actor: no cookie jar shared between columns.
  const tokens: Partial<Record<Actor, string>> = {};
  for (const actor of ACTORS) {
    if (actor === 'anonymous') continue;
    const ctx = await playwright.request.newContext({ baseURL });
    tokens[actor] = (await signIn(ctx, ACCOUNTS[actor])).token;
    await ctx.dispose();
  }
  // A product of the seller's for the product rows (issue 7).
  const setup = await playwright.request.newContext({ baseURL });
  const created = await setup.post('/api/products', {
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
  await setup.dispose();
  const fill = (path: string) => path.replace(':matrixProduct', matrixProduct);
  const actual: string[] = [];
  const expected: string[] = [];
  for (const row of ROWS) {
    for (const actor of ACTORS) {
      const ctx = await playwright.request.newContext({ baseURL });
      const status = await send(ctx, row, tokens[actor], fill);
      await ctx.dispose();
      actual.push(`${row.method} ${row.path} as ${actor}: ${status}`);
      expected.push(`${row.method} ${row.path} as ${actor}: ${row.expect[actor]}`);
    }
  }
  // Compared as one list so a failure shows every cell that differs.
  expect(actual).toEqual(expected);
});

// Who can do what: one row per endpoint or page, the expected status for each
// actor. The single place that shows the access rules; later issues add their
// endpoints as rows. Pages that need a sign-in answer 303 to /signin for
// anonymous visitors and 403 for the wrong role.
//   api rows send the session as `Authorization: Bearer`, page rows as the cookie.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
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
  // ---- Admin area (issue 8): ADMIN only, role re-checked in the database. ----
  ...['/admin', '/admin/users', '/admin/products', '/admin/orders', '/admin/audit'].map((path): Row => ({
    method: 'GET',
    path,
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 200 },
  })),
  {
    method: 'GET',
    path: '/admin/orders/nosuchorder0',
    kind: 'page',
    expect: { anonymous: 303, buyer: 403, seller: 403, otherSeller: 403, admin: 404 },
  },
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

const ACTORS: Actor[] = ['anonymous', 'buyer', 'seller', 'otherSeller', 'admin'];

async function send(request: APIRequestContext, row: Row, token: string | undefined): Promise<number> {
  const headers: Record<string, string> = {};
  if (token) {
    if (row.kind === 'api') headers.Authorization = `Bearer ${token}`;
    else headers.Cookie = `soko_session=${token}`;
  }
  if (row.form) headers.Origin = `http://127.0.0.1:${E2E_PORT}`;
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
  // A fresh context per actor: no cookie jar shared between columns.
  const tokens: Partial<Record<Actor, string>> = {};
  for (const actor of ACTORS) {
    if (actor === 'anonymous') continue;
    const ctx = await playwright.request.newContext({ baseURL });
    tokens[actor] = (await signIn(ctx, ACCOUNTS[actor])).token;
    await ctx.dispose();
  }
  const actual: string[] = [];
  const expected: string[] = [];
  for (const row of ROWS) {
    for (const actor of ACTORS) {
      const ctx = await playwright.request.newContext({ baseURL });
      const status = await send(ctx, row, tokens[actor]);
      await ctx.dispose();
      actual.push(`${row.method} ${row.path} as ${actor}: ${status}`);
      expected.push(`${row.method} ${row.path} as ${actor}: ${row.expect[actor]}`);
    }
  }
  // Compared as one list so a failure shows every cell that differs.
  expect(actual).toEqual(expected);
});

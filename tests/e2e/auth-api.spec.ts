// The auth API over HTTP against the built server: cookies, enumeration,
// input handling, brute-force limits, CSRF, headers, and JWT attacks.
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { ACCOUNTS, DEMO_PASSWORD, E2E_JWT_SECRET, signIn } from './support/auth.ts';

const unique = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.com`;

test('register answers 201 with the user and never the hash; a taken email is a 409', async ({ request }) => {
  const email = unique('new');
  const res = await request.post('/api/auth/register', {
    data: { email: email.toUpperCase(), password: 'a long and unusual phrase', name: 'Njeri', role: 'SELLER' },
  });
  expect(res.status()).toBe(201);
  const body = await res.json();
  expect(body).toEqual({ user: { id: expect.any(String), email, name: 'Njeri', role: 'SELLER' } });
  expect(JSON.stringify(body)).not.toMatch(/\$2[aby]\$|passwordHash/);

  const again = await request.post('/api/auth/register', {
    data: { email, password: 'another long phrase', name: 'Njeri' },
  });
  expect(again.status()).toBe(409);
  expect((await again.json()).error).toEqual({ code: 'CONFLICT', message: expect.stringMatching(/already exists/) });
});

test('login sets an HttpOnly SameSite=Lax session cookie and returns the token; logout clears it', async ({
  request,
}) => {
  const { token, user, setCookies } = await signIn(request, ACCOUNTS.buyer);
  // Exactly these fields: never the hash, status or token version.
  expect(user).toEqual({ id: expect.any(String), email: ACCOUNTS.buyer, name: expect.any(String), role: 'BUYER' });
  expect(token.split('.')).toHaveLength(3);
  const session = setCookies.find((c) => c.startsWith('soko_session='))!;
  expect(session).toContain(`soko_session=${token}`);
  expect(session).toMatch(/; HttpOnly/i);
  expect(session).toMatch(/; SameSite=Lax/i);
  expect(session).toMatch(/; Path=\//i);
  expect(session).toMatch(/; Max-Age=604800/i);
  // Not production (plain http in tests): no Secure flag, or the browser would drop it.
  expect(session).not.toMatch(/; Secure/i);
  const hint = setCookies.find((c) => c.startsWith('soko_signed_in='))!;
  expect(hint).not.toMatch(/HttpOnly/i);
  expect(hint).not.toContain(token);

  // The request context keeps the cookie: /me works without a header.
  const me = await request.get('/api/auth/me');
  expect(me.status()).toBe(200);
  expect((await me.json()).user).toEqual({
    id: user.id,
    email: ACCOUNTS.buyer,
    name: expect.any(String),
    role: 'BUYER',
  });

  const out = await request.post('/api/auth/logout', { data: {} });
  expect(out.status()).toBe(200);
  const cleared = out
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => h.value);
  expect(cleared.find((c) => c.startsWith('soko_session='))).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
  expect((await request.get('/api/auth/me')).status()).toBe(401);

  // API clients use the token as a Bearer header.
  const bearer = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(bearer.status()).toBe(200);
});

test('no enumeration: unknown email and wrong password get the same status and body', async ({ request }) => {
  const wrong = await request.post('/api/auth/login', {
    data: { email: ACCOUNTS.seller, password: 'not-the-password' },
  });
  const unknown = await request.post('/api/auth/login', {
    data: { email: unique('ghost'), password: 'not-the-password' },
  });
  expect(wrong.status()).toBe(401);
  expect(unknown.status()).toBe(401);
  expect(await wrong.text()).toBe(await unknown.text());
  expect(await wrong.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Email or password is incorrect' } });
});

test('ten failed logins for one account give 429 with Retry-After, even with the right password', async ({
  request,
}) => {
  const email = unique('brute');
  await request.post('/api/auth/register', { data: { email, password: 'the real long password', name: 'Brute' } });
  for (let i = 0; i < 10; i++) {
    const r = await request.post('/api/auth/login', { data: { email, password: `guess number ${i}` } });
    expect(r.status()).toBe(401);
  }
  const blocked = await request.post('/api/auth/login', { data: { email, password: 'the real long password' } });
  expect(blocked.status()).toBe(429);
  expect(Number(blocked.headers()['retry-after'])).toBeGreaterThan(0);
  expect((await blocked.json()).error.code).toBe('RATE_LIMITED');
  // Other accounts from the same IP still sign in.
  await signIn(request, ACCOUNTS.seller);
});

test('passwords: too short, over 72 bytes and common ones are refused with the field named', async ({ request }) => {
  const cases: [string, RegExp][] = [
    ['short', /^Invalid body\.password: must be at least 8 characters$/],
    ['€'.repeat(25), /^Invalid body\.password: must be at most 72 bytes$/],
    ['password123', /^Invalid body\.password: this password is too common/],
    ['Qwertyuiop', /^Invalid body\.password: this password is too common/],
  ];
  for (const [password, message] of cases) {
    const r = await request.post('/api/auth/register', { data: { email: unique('pw'), password, name: 'P' } });
    expect(r.status()).toBe(400);
    expect((await r.json()).error.message).toMatch(message);
  }
});

test('malformed JSON and unknown fields get 400, a wrong content type 415, each with a clear message', async ({
  request,
}) => {
  const malformed = await request.post('/api/auth/login', {
    headers: { 'Content-Type': 'application/json' },
    data: Buffer.from('{"email": "a@b.c", '),
  });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toEqual({ code: 'BAD_REQUEST', message: 'Request body is not valid JSON' });

  const form = await request.post('/api/auth/login', {
    headers: {
      'Content-Type': 'text/plain',
      Origin: 'http://127.0.0.1:' + new URL(test.info().project.use.baseURL!).port,
    },
    data: Buffer.from(JSON.stringify({ email: ACCOUNTS.buyer, password: DEMO_PASSWORD })),
  });
  expect(form.status()).toBe(415);
  expect((await form.json()).error).toEqual({
    code: 'UNSUPPORTED_MEDIA_TYPE',
    message: 'Content-Type must be application/json',
  });

  const unknown = await request.post('/api/auth/register', {
    data: { email: unique('mass'), password: 'long enough phrase', name: 'M', tokenVersion: 99 },
  });
  expect(unknown.status()).toBe(400);
  expect((await unknown.json()).error.message).toMatch(/tokenVersion/);
});

test('CSRF: a cross-site form post is refused, and GET never signs anyone out', async ({ request }) => {
  const cross = await request.post('/api/auth/login', {
    headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
    data: `email=${encodeURIComponent(ACCOUNTS.buyer)}&password=${DEMO_PASSWORD}`,
  });
  expect(cross.status()).toBe(403);
  await signIn(request, ACCOUNTS.buyer);
  const get = await request.get('/api/auth/logout');
  expect(get.status()).toBeGreaterThanOrEqual(404);
  expect((await request.get('/api/auth/me')).status()).toBe(200);
});

test('security headers on API responses and on-demand pages', async ({ request }) => {
  const api = await request.get('/api/auth/me');
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(api.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');
  const page = await request.get('/signin?next=/account', { maxRedirects: 0 });
  const account = await request.get('/account', { maxRedirects: 0 });
  expect(account.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(account.headers()['x-content-type-options']).toBe('nosniff');
  // Pre-rendered pages carry Astro's CSP meta tag with hashes for its inline scripts.
  const html = await page.text();
  expect(html).toMatch(/<meta http-equiv="content-security-policy" content="[^"]*script-src 'self' 'sha256-/);
  expect(html).not.toMatch(/unsafe-inline/);
});

test('JWT attacks over HTTP are all refused with 401', async ({ request }) => {
  const { user, token } = await signIn(request, ACCOUNTS.seller);
  await request.post('/api/auth/logout', { data: {} });
  const key = new TextEncoder().encode(E2E_JWT_SECRET);
  const claims = { role: 'ADMIN', email: user.email, name: 'x', ver: 0 };
  const signed = (alg = 'HS256') => new SignJWT(claims).setProtectedHeader({ alg }).setSubject(user.id).setIssuedAt();
  const now = Math.floor(Date.now() / 1000);
  const [h, p, s] = token.split('.');
  const tampered = [
    h,
    Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'ADMIN' })).toString(
      'base64url',
    ),
    s,
  ].join('.');
  const attacks: Record<string, string> = {
    algNone: new UnsecuredJWT(claims)
      .setSubject(user.id)
      .setIssuer('soko-africa')
      .setAudience('soko-africa:session')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode(),
    otherSecret: await signed()
      .setIssuer('soko-africa')
      .setAudience('soko-africa:session')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('x'.repeat(48))),
    hs512: await signed('HS512')
      .setIssuer('soko-africa')
      .setAudience('soko-africa:session')
      .setExpirationTime('1h')
      .sign(key),
    missingExp: await signed().setIssuer('soko-africa').setAudience('soko-africa:session').sign(key),
    expired: await signed()
      .setIssuer('soko-africa')
      .setAudience('soko-africa:session')
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(key),
    wrongIss: await signed().setIssuer('evil').setAudience('soko-africa:session').setExpirationTime('1h').sign(key),
    wrongAud: await signed().setIssuer('soko-africa').setAudience('evil').setExpirationTime('1h').sign(key),
    tamperedRole: tampered,
  };
  // The control: a correctly signed token with these claims is accepted (but ver/role are re-checked).
  const control = await signed()
    .setIssuer('soko-africa')
    .setAudience('soko-africa:session')
    .setExpirationTime('1h')
    .sign(key);
  expect((await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${control}` } })).status()).toBe(200);
  for (const [name, t] of Object.entries(attacks)) {
    const res = await request.get('/api/auth/me', { headers: { Authorization: `Bearer ${t}` } });
    expect({ name, status: res.status() }).toEqual({ name, status: 401 });
    const page = await request.get('/admin', { headers: { Cookie: `soko_session=${t}` }, maxRedirects: 0 });
    expect({ name, page: page.status() }).toEqual({ name, page: 303 });
  }
});

test('a password change ends the other sessions at once', async ({ playwright, baseURL }) => {
  const email = unique('change');
  const a = await playwright.request.newContext({ baseURL });
  const b = await playwright.request.newContext({ baseURL });
  await a.post('/api/auth/register', { data: { email, password: 'first long phrase', name: 'C' } });
  await signIn(a, email, 'first long phrase');
  const other = await signIn(b, email, 'first long phrase');
  const wrong = await a.post('/api/auth/password', {
    data: { currentPassword: 'nope nope nope', newPassword: 'second long phrase' },
  });
  expect(wrong.status()).toBe(400);
  expect((await wrong.json()).error.message).toMatch(/currentPassword/);
  const changed = await a.post('/api/auth/password', {
    data: { currentPassword: 'first long phrase', newPassword: 'second long phrase' },
  });
  expect(changed.status()).toBe(200);
  expect((await a.get('/api/auth/me')).status()).toBe(200); // this session got a fresh cookie
  expect((await b.get('/api/auth/me')).status()).toBe(401);
  expect((await b.get('/api/auth/me', { headers: { Authorization: `Bearer ${other.token}` } })).status()).toBe(401);
  await a.dispose();
  await b.dispose();
});

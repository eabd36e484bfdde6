// The auth rules that only show on a production server: NODE_ENV=production
// (Secure cookies, HSTS), two workers without Redis, where the brute-force
// limits must still hold for the whole server, not per worker, and a public
// https origin (PUBLIC_SITE_URL) while requests arrive over plain http, as
// they do behind a proxy that terminates TLS.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
import { ACCOUNTS, DEMO_PASSWORD } from './support/auth.ts';
import { sql } from './support/db.ts';
import { spawnServer, type SpawnedServer } from './support/spawn-server.ts';

/** The site's public origin: what browsers send as Origin. This server itself is only reached over http. */
const PUBLIC_ORIGIN = 'https://soko.example';

let server: SpawnedServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await spawnServer({
    port: E2E_PORT + 1300,
    env: {
      NODE_ENV: 'production',
      WEB_CONCURRENCY: '2',
      DEMO_PASSWORD: '',
      REDIS_URL: '',
      PUBLIC_SITE_URL: `${PUBLIC_ORIGIN}/`,
      // A few connections are plenty here; the machine's PostgreSQL is shared with the main e2e server.
      DATABASE_POOL_BUDGET: '8',
    },
  });
});
test.afterAll(async () => {
  server?.process.kill('SIGTERM');
  await server?.exited;
});

const unique = (tag: string) => `${tag}-${randomBytes(4).toString('hex')}@example.com`;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request on a new TCP connection, so the cluster hands successive requests to different workers. */
function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return sendRaw(method, path, data, { ...(data ? { 'content-type': 'application/json' } : {}), ...headers });
}

function sendRaw(method: string, path: string, data: string | undefined, headers: Record<string, string>) {
  return new Promise<Answer>((ok, fail) => {
    const req = http.request(
      `${server.base}${path}`,
      {
        method,
        agent: false,
        headers,
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: text }));
      },
    );
    req.on('error', fail);
    req.end(data);
  });
}

async function register(email: string, password: string): Promise<void> {
  const res = await send('POST', '/api/auth/register', { email, password, name: 'Production Test' });
  expect(res.status, res.body).toBe(201);
}

test('session cookies are Secure, HttpOnly and SameSite=Lax; every response carries HSTS', async () => {
  const email = unique('secure');
  await register(email, 'a long production phrase');
  const login = await send('POST', '/api/auth/login', { email, password: 'a long production phrase' });
  expect(login.status).toBe(200);
  const cookies = login.headers['set-cookie'] ?? [];
  const session = cookies.find((c) => c.startsWith('soko_session='));
  expect(session).toMatch(/; Secure/i);
  expect(session).toMatch(/; HttpOnly/i);
  expect(session).toMatch(/; SameSite=Lax/i);
  expect(cookies.find((c) => c.startsWith('soko_signed_in='))).toMatch(/; Secure/i);

  const logout = await send('POST', '/api/auth/logout', {});
  expect((logout.headers['set-cookie'] ?? []).find((c) => c.startsWith('soko_session='))).toMatch(/; Secure/i);

  // API, an on-demand page (redirect to sign-in), pre-rendered pages and a hashed asset.
  const home = await send('GET', '/');
  const asset = /\/_astro\/[^"']+\.js/.exec(home.body)?.[0];
  expect(asset).toBeTruthy();
  for (const path of ['/api/auth/me', '/account', '/', '/signin', asset!]) {
    const res = await send('GET', path);
    expect({ path, hsts: res.headers['strict-transport-security'] }).toEqual({
      path,
      hsts: 'max-age=31536000; includeSubDomains',
    });
  }
});

test('ten failed logins lock the account on every worker, one connection per attempt', async () => {
  const email = unique('workers');
  await register(email, 'the real long password');
  for (let i = 0; i < 10; i++) {
    const res = await send('POST', '/api/auth/login', { email, password: `guess number ${i}` });
    expect({ attempt: i, status: res.status }).toEqual({ attempt: i, status: 401 });
  }
  const blocked = await send('POST', '/api/auth/login', { email, password: 'the real long password' });
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
});

test('parallel guesses cannot slip past the limit: ten of twenty reach the password check', async () => {
  const email = unique('parallel');
  await register(email, 'the real long password');
  const statuses = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      send('POST', '/api/auth/login', { email, password: `parallel guess ${i}` }).then((r) => r.status),
    ),
  );
  expect(statuses.filter((s) => s === 401)).toHaveLength(10);
  expect(statuses.filter((s) => s === 429)).toHaveLength(10);
});

test('a stolen session cannot guess the current password: ten wrong guesses, then 429', async () => {
  const email = unique('stolen');
  await register(email, 'the real long password');
  const login = await send('POST', '/api/auth/login', { email, password: 'the real long password' });
  const { token } = JSON.parse(login.body) as { token: string };
  const auth = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 10; i++) {
    const res = await send(
      'POST',
      '/api/auth/password',
      {
        currentPassword: `guess number ${i}`,
        newPassword: 'taken over for good',
      },
      auth,
    );
    expect({ attempt: i, status: res.status }).toEqual({ attempt: i, status: 400 });
  }
  const blocked = await send(
    'POST',
    '/api/auth/password',
    { currentPassword: 'the real long password', newPassword: 'taken over for good' },
    auth,
  );
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
});

/**
 * What nginx terminating TLS forwards for a browser on https://soko.example: plain http to this
 * server, the public Host, the X-Forwarded-* headers, and the browser's own Origin header.
 */
const viaProxy = (origin: string | undefined, extra: Record<string, string> = {}) => ({
  host: 'soko.example',
  'x-forwarded-proto': 'https',
  'x-forwarded-for': '198.51.100.7',
  ...(origin ? { origin } : {}),
  ...extra,
});

test('behind a TLS-terminating proxy: admin forms and bodiless DELETEs from the https site work over http; other origins are refused', async () => {
  const email = unique('proxied');
  const reg = await send('POST', '/api/auth/register', { email, password: 'a long proxied phrase', name: 'Proxied' });
  expect(reg.status, reg.body).toBe(201);
  const targetId = (JSON.parse(reg.body) as { user: { id: string } }).user.id;
  const login = await send('POST', '/api/auth/login', { email: ACCOUNTS.admin, password: DEMO_PASSWORD });
  expect(login.status, login.body).toBe(200);
  const { token } = JSON.parse(login.body) as { token: string };
  const suspend = (origin: string | undefined, extra: Record<string, string> = {}) =>
    sendRaw(
      'POST',
      '/admin/users',
      new URLSearchParams({ action: 'suspend', userId: targetId }).toString(),
      viaProxy(origin, {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `soko_session=${token}`,
        ...extra,
      }),
    );

  // A foreign page posting the form is refused, whatever the forwarded headers claim; so is no Origin.
  for (const origin of ['https://evil.example', 'http://evil.example', 'null', undefined]) {
    const res = await suspend(origin, { 'x-forwarded-host': 'evil.example' });
    expect({ origin, status: res.status }).toEqual({ origin, status: 403 });
  }
  expect(await sql(`SELECT status FROM "User" WHERE id = $1`, [targetId])).toEqual([{ status: 'ACTIVE' }]);

  // The site's own page (Origin https://soko.example) posting over the proxy's http hop: done.
  const ok = await suspend(PUBLIC_ORIGIN);
  expect(ok.status, ok.body).toBe(303);
  expect(ok.headers.location).toBe('/admin/users?done=suspended');
  expect(await sql(`SELECT status FROM "User" WHERE id = $1`, [targetId])).toEqual([{ status: 'SUSPENDED' }]);

  // A bodiless DELETE (the watchlist heart) needs the Origin too.
  const del = (origin: string | undefined) =>
    sendRaw(
      'DELETE',
      '/api/watchlist/doesnotexist00',
      undefined,
      viaProxy(origin, { authorization: `Bearer ${token}` }),
    );
  expect((await del(PUBLIC_ORIGIN)).status).toBe(200);
  expect((await del('https://evil.example')).status).toBe(403);
  expect((await del(undefined)).status).toBe(403);
});

test('registrations are limited per email: the 11th attempt for one address is 429, another address still registers', async () => {
  const email = unique('reg-account');
  const attempt = () =>
    send('POST', '/api/auth/register', { email, password: 'a long registration phrase', name: 'Limit' });
  expect((await attempt()).status).toBe(201);
  // Taken-email answers count too: the limit is on attempts, so it cannot be probed for free.
  for (let i = 2; i <= 10; i++) {
    const res = await attempt();
    expect({ attempt: i, status: res.status }).toEqual({ attempt: i, status: 409 });
  }
  const blocked = await attempt();
  expect(blocked.status).toBe(429);
  expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  // The same client address is not blocked: that was the email's allowance, not the IP's.
  await register(unique('reg-other'), 'a long registration phrase');
});

// Near the end of this file: it uses up the server's registration allowance for 127.0.0.1.
test('registrations from one address reach 429 within its allowance of 20 (a new email each time)', async () => {
  let attempts = 0;
  let status = 0;
  while (attempts < 25 && status !== 429) {
    attempts++;
    status = (
      await send('POST', '/api/auth/register', {
        email: unique('reg-ip'),
        password: 'a long registration phrase',
        name: 'IP',
      })
    ).status;
    if (status !== 429) expect(status).toBe(201);
  }
  // 20 per IP in 10 minutes (fewer left after the tests above), refused attempts not counted.
  expect(status).toBe(429);
  expect(attempts).toBeLessThanOrEqual(21);
});

// Last in this file: it uses up the server's allowance for 127.0.0.1.
test('a forged X-Forwarded-For does not escape the per-IP limit when no proxy is trusted', async () => {
  let attempts = 0;
  let status = 0;
  while (attempts < 60 && status !== 429) {
    attempts++;
    const res = await send(
      'POST',
      '/api/auth/login',
      { email: unique('spray'), password: 'sprayed guess' },
      { 'x-forwarded-for': `203.0.113.${attempts}` },
    );
    status = res.status;
  }
  // 50 failures per IP in 10 minutes (fewer left if the tests above ran first), each on a fresh account.
  expect(status).toBe(429);
  expect(attempts).toBeLessThanOrEqual(51);
});

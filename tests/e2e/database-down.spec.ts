// With the database gone, pre-rendered pages still serve and the islands fall
// back to the build-time snapshot. The shared PostgreSQL cannot be stopped
// (other suites use it), so a second server reaches it through a TCP proxy
// (support/db-proxy.ts) that this test closes and reopens.
import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
import { SignJWT } from 'jose';
import { E2E_JWT_SECRET } from './support/auth.ts';
import { DbProxy } from './support/db-proxy.ts';
import { spawnServer, type SpawnedServer } from './support/spawn-server.ts';

const PORT = E2E_PORT + 1000;
const BASE = `http://127.0.0.1:${PORT}`;

test.describe.configure({ mode: 'serial' });

let server: SpawnedServer;
const proxy = new DbProxy(E2E_PORT + 2000);

test.beforeAll(async () => {
  await proxy.open();
  server = await spawnServer({
    port: PORT,
    databaseUrl: proxy.url(`soko_e2e_${E2E_PORT}`),
  });
});

test.afterAll(async () => {
  server?.process.kill('SIGTERM');
  await proxy.close();
});

test('with the database down, pages serve from static HTML and the grid falls back to the snapshot', async ({
  page,
  request,
}) => {
  await proxy.close();
  await expect.poll(async () => (await request.get(`${BASE}/api/health`)).status(), { timeout: 15_000 }).toBe(503);
  const api = await request.get(`${BASE}/api/products?q=gold`);
  expect(api.status()).toBe(503);
  expect(api.headers()['retry-after']).toMatch(/^\d+$/);
  expect((await api.json()).error.code).toBe('SERVICE_UNAVAILABLE');

  // A signed-in page that needs the database: a 503 page, never cached, with the security headers.
  const token = await new SignJWT({ role: 'BUYER', email: 'offline@example.com', name: 'Offline', ver: 0 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('offlineuser0')
    .setIssuer('soko-africa')
    .setAudience('soko-africa:session')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(E2E_JWT_SECRET));
  const account = await request.get(`${BASE}/account`, { headers: { Cookie: `soko_session=${token}` } });
  expect(account.status()).toBe(503);
  expect(account.headers()['retry-after']).toMatch(/^\d+$/);
  expect(account.headers()['cache-control']).toBe('no-store');
  expect(account.headers()['x-content-type-options']).toBe('nosniff');
  expect(account.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(await account.text()).toContain('The database is unavailable');

  for (const path of ['/', '/search', '/c/jewellery', '/sitemap.xml', '/robots.txt']) {
    expect((await request.get(`${BASE}${path}`)).status(), path).toBe(200);
  }

  await page.goto(`${BASE}/c/jewellery?sort=price_asc`);
  const grid = page.getByTestId('catalog-grid');
  await expect(grid).toHaveAttribute('data-source', 'snapshot');
  await expect(page.getByTestId('snapshot-note')).toBeVisible();
  await expect(grid.locator('article').first()).toBeVisible();
  const prices = (await grid.locator('.price').allTextContents()).map((t) => Number(t.replace(/\D/g, '')));
  expect(prices).toEqual([...prices].sort((a, b) => a - b));

  await page.goto(`${BASE}/search?q=earrings`);
  await expect(page.getByTestId('snapshot-note')).toBeVisible();
  await expect(grid.locator('article h3').first()).toContainText(/earrings/i);

  const productLink = await page.locator('[data-testid=catalog-grid] article a').first().getAttribute('href');
  const res = await page.goto(`${BASE}${productLink}`);
  expect(res!.status()).toBe(200);
  await expect(page.getByTestId('offline-note')).toBeVisible();
  await expect(page.getByTestId('price')).toHaveText(/^Ksh/);
});

test('when the database comes back, live data returns without a restart', async ({ page, request }) => {
  await proxy.open();
  await expect
    .poll(async () => (await request.get(`${BASE}/api/products?q=gold`)).status(), { timeout: 20_000 })
    .toBe(200);
  await page.goto(`${BASE}/c/jewellery`);
  await page.waitForLoadState('networkidle');
  await expect(page.getByTestId('catalog-grid')).toHaveAttribute('data-source', 'live');
  await expect(page.getByTestId('snapshot-note')).toHaveCount(0);
});

import { expect, test } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
import { spawnServer } from './support/spawn-server.ts';

test('home page shows seeded products with loaded images', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveTitle(/Soko Africa/);
  const cards = page.getByTestId('featured-grid').locator('article.card');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeGreaterThanOrEqual(6);
  await expect(cards.first().locator('.price')).toHaveText(/^Ksh\s?[\d,]+$/);

  // The first (eager, high-priority) product images decode for real.
  const img = cards.first().locator('picture img');
  await expect(img).toHaveAttribute('fetchpriority', 'high');
  await expect
    .poll(async () => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth))
    .toBeGreaterThan(0);
  const src = await img.evaluate((el: HTMLImageElement) => el.currentSrc);
  expect(src).toContain('/api/images/');

  // Categories and the WhatsApp business number.
  await expect(page.getByRole('link', { name: /Jewellery/ })).toBeVisible();
  await expect(page.locator('footer a[data-whatsapp]')).toHaveAttribute(
    'href',
    /^https:\/\/wa\.me\/254756185209\?text=/,
  );

  // Header: account and cart entry points, and a search box that searches.
  const header = page.locator('header');
  await expect(header.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', /^\/signin/);
  await expect(header.getByRole('link', { name: /^Cart/ })).toHaveAttribute('href', '/cart');
  await header.getByRole('searchbox', { name: 'Search the marketplace' }).fill('earrings');
  await header.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\/?\?q=earrings$/);
  await expect(page.getByTestId('catalog-grid').locator('article h3').first()).toContainText(/Earrings/i);
});

test('health check reports the database', async ({ request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ status: 'ok', database: { status: 'up', engine: 'postgresql' } });
});

test('unknown API routes answer JSON errors, pages a helpful 404', async ({ request }) => {
  const api = await request.get('/api/does-not-exist');
  expect(api.status()).toBe(404);
  expect(await api.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  const page = await request.get('/no-such-page');
  expect(page.status()).toBe(404);
  expect(await page.text()).toContain("We couldn't find that page");
});

test('a page path with a broken URL or a write method gets a helpful page, not a bare error', async ({ request }) => {
  // Broken percent-encoding: the site's error page, not Node's bare 400.
  const badPage = await request.get('/c/%E0%A4%A');
  expect(badPage.status()).toBe(400);
  expect(badPage.headers()['content-type']).toMatch(/^text\/html/);
  expect(await badPage.text()).toContain('malformed percent-encoding');
  // A pre-rendered page is only read: a POST to it is refused, not served or called missing.
  const postPage = await request.post('/c/art/', { data: 'x=1' });
  expect(postPage.status()).toBe(405);
  expect(postPage.headers()['allow']).toBe('GET, HEAD');
  expect(postPage.headers()['content-type']).toMatch(/^text\/html/);
  expect(await postPage.text()).toContain('This page can only be read');
});

test('every API error is JSON with the right status, never a stack trace', async ({ request, baseURL }) => {
  const cases: { what: string; send: () => ReturnType<typeof request.get>; status: number; code: string }[] = [
    {
      what: 'a cross-site form post',
      send: () =>
        request.post('/api/auth/login', {
          headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
          data: 'email=a%40b.c&password=x',
        }),
      status: 403,
      code: 'FORBIDDEN',
    },
    {
      what: 'a bodiless DELETE without Origin',
      send: () => request.delete('/api/watchlist/some-product'),
      status: 403,
      code: 'FORBIDDEN',
    },
    {
      what: 'a body that is not JSON',
      send: () =>
        request.post('/api/auth/login', {
          headers: { Origin: baseURL!, 'Content-Type': 'text/plain' },
          data: '{"email":"a@b.c","password":"x"}',
        }),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      what: 'malformed JSON',
      send: () =>
        request.post('/api/auth/login', {
          headers: { 'Content-Type': 'application/json' },
          data: Buffer.from('{"email":'),
        }),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      what: 'broken percent-encoding',
      send: () => request.get('/api/products?cursor=%ff'),
      status: 400,
      code: 'BAD_REQUEST',
    },
    {
      what: 'a method the route does not have',
      send: () => request.put('/api/products', { data: {} }),
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
    },
    {
      what: 'an unknown route',
      send: () => request.post('/api/nowhere', { data: {} }),
      status: 404,
      code: 'NOT_FOUND',
    },
  ];
  for (const c of cases) {
    const res = await c.send();
    expect(res.status(), c.what).toBe(c.status);
    expect(res.headers()['content-type'], c.what).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text, c.what).not.toMatch(/\n\s+at |node_modules|\.ts:\d/);
    const { error } = JSON.parse(text);
    expect(error, c.what).toMatchObject({ code: c.code, message: expect.any(String) });
  }
  const wrongMethod = await request.post('/api/health', { data: {} });
  expect(wrongMethod.status()).toBe(405);
  expect(wrongMethod.headers()['allow']).toBe('GET, HEAD');
});

test('images are served in the negotiated format', async ({ request, page }) => {
  await page.goto('/');
  const src = await page.locator('.pimg picture img').first().getAttribute('src');
  const url = src!.replace(/&f=jpeg$/, '');
  const avif = await request.get(url, { headers: { Accept: 'image/avif,image/webp,*/*' } });
  expect(avif.status()).toBe(200);
  expect(avif.headers()['content-type']).toBe('image/avif');
  const bytes = await avif.body();
  expect(bytes.subarray(4, 12).toString('latin1')).toBe('ftypavif');
});

test('the server says where to open it and which demo accounts to use', async () => {
  const port = E2E_PORT + 1300;
  // As `npm start` runs it: development mode, every interface.
  const server = await spawnServer({ port, env: { NODE_ENV: 'development', HOST: '0.0.0.0', WEB_CONCURRENCY: '1' } });
  try {
    await expect.poll(() => server.output(), { timeout: 15_000 }).toContain('Demo accounts');
    const out = server.output();
    expect(out).toContain(`open http://localhost:${port}/`);
    expect(out).toContain('password: soko-demo-2026');
    expect(out).toMatch(/admin\s+admin@demo\.soko\.africa/);
    expect(out).toMatch(/seller\s+amani@demo\.soko\.africa/);
    expect(out).toMatch(/buyer\s+wanjiku@demo\.soko\.africa/);
  } finally {
    server.process.kill('SIGTERM');
    await server.exited;
  }
});

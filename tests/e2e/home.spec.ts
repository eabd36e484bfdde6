import { expect, test } from '@playwright/test';

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

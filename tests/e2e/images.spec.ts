import { expect, test } from '@playwright/test';

test('product images render as <picture> with LQIP, sizes and no layout shift', async ({ page }) => {
  await page.goto('/');
  const first = page.locator('.pimg').first();
  const lqip = first.locator('img.pimg-lqip');
  await expect(lqip).toHaveAttribute('src', /^data:image\/webp;base64,/);
  expect((await lqip.getAttribute('src'))!.length).toBeLessThan(1024);
  await expect(first.locator('source[type="image/avif"]')).toHaveAttribute(
    'srcset',
    /\/api\/images\/\w+\?w=160&v=[0-9a-f]{12}&f=avif 160w/,
  );
  await expect(first.locator('source[type="image/webp"]')).toHaveAttribute('sizes', /.+/);
  const img = first.locator('picture img');
  await expect(img).toHaveAttribute('width', /^\d+$/);
  await expect(img).toHaveAttribute('height', /^\d+$/);
  // Chromium picks the AVIF source and decodes it.
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  expect(await img.evaluate((el: HTMLImageElement) => el.currentSrc)).toContain('f=avif');
  // Cards below the first two load lazily.
  await expect(page.locator('.pimg picture img').nth(3)).toHaveAttribute('loading', 'lazy');
});

test('site images come from astro:assets at build time', async ({ page }) => {
  await page.goto('/');
  const banner = page.getByTestId('hero-banner');
  await expect.poll(() => banner.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
  expect(await banner.evaluate((el: HTMLImageElement) => el.currentSrc)).toMatch(/\/_astro\/.+\.avif$/);
  await expect(banner).toHaveAttribute('width', /^\d+$/);
  const logo = page.locator('.brand-logo');
  expect(await logo.getAttribute('src')).toMatch(/^\/_astro\/.+\.webp$/);
});

test('the image endpoint caches, revalidates and refuses', async ({ page, request }) => {
  await page.goto('/');
  const src = (await page.locator('.pimg picture img').first().getAttribute('src'))!;
  const res = await request.get(src);
  expect(res.status()).toBe(200);
  const h = res.headers();
  expect(h['content-type']).toBe('image/jpeg');
  expect(h['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['content-security-policy']).toContain('sandbox');
  const body = await res.body();
  expect([...body.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);

  const again = await request.get(src, { headers: { 'If-None-Match': `W/${h.etag}` } });
  expect(again.status()).toBe(304);

  const webp = await request.get(src.replace(/&f=jpeg$/, ''), { headers: { Accept: 'image/webp,*/*' } });
  expect(webp.headers()['vary']).toBe('Accept');
  expect((await webp.body()).subarray(8, 12).toString('latin1')).toBe('WEBP');

  const wide = await request.get(src.replace(/w=\d+/, 'w=1000'));
  expect(wide.status()).toBe(400);
  expect((await wide.json()).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/Invalid w/) });
  const extra = await request.get(`${src}&blur=3`);
  expect(extra.status()).toBe(400);
  for (const path of [
    '/api/images/..%2F..%2Fetc%2Fpasswd?w=320',
    '/api/images/%2e%2e?w=320',
    '/api/images/cnosuchimage000000000000?w=320',
  ]) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(404);
    expect((await r.json()).error.code).toBe('NOT_FOUND');
  }
});

test('a repeated image request is answered from memory with the same bytes and headers', async ({ page, request }) => {
  // The node server answers variants it served a moment ago itself (imageHit in
  // images/variants.ts), before Astro; it must be indistinguishable from the route.
  await page.goto('/');
  const src = (await page.locator('.pimg picture img').nth(1).getAttribute('src'))!;
  // An explicit format and a negotiated one (Vary: Accept), at a width the page did not ask for.
  for (const [path, accept] of [
    [src.replace(/w=\d+/, 'w=1280'), 'image/avif,image/webp,*/*'],
    [src.replace(/w=\d+/, 'w=1280').replace(/&f=jpeg$/, ''), 'image/webp,*/*'],
  ] as const) {
    const first = await request.get(path, { headers: { Accept: accept } });
    const again = await request.get(path, { headers: { Accept: accept } });
    expect(first.status(), path).toBe(200);
    expect(again.status(), path).toBe(200);
    expect(first.headers()['x-cache'], path).toBeUndefined();
    expect(again.headers()['x-cache'], path).toBe('HIT');
    expect((await again.body()).equals(await first.body()), path).toBe(true);
    for (const h of [
      'content-type',
      'content-length',
      'cache-control',
      'etag',
      'vary',
      'content-security-policy',
      'x-content-type-options',
      'x-frame-options',
    ]) {
      expect(again.headers()[h], `${path} ${h}`).toBe(first.headers()[h]);
    }
    const revalidated = await request.get(path, {
      headers: { Accept: accept, 'If-None-Match': first.headers()['etag']! },
    });
    expect(revalidated.status(), path).toBe(304);
    expect(revalidated.headers()['x-cache'], path).toBe('HIT');
  }
  // The same cached image with anything outside the fixed set still reaches the route and is refused.
  const cached = src.replace(/w=\d+/, 'w=1280');
  expect((await request.get(cached.replace('w=1280', 'w=1281'))).status()).toBe(400);
  expect((await request.get(`${cached}&w=1280`)).status()).toBe(400);
  expect((await request.get(cached.replace(/v=[0-9a-f]{12}/, 'v=000000000000'))).status()).toBe(404);
  // A different Accept is a different variant, negotiated afresh.
  const jpeg = await request.get(cached.replace(/&f=jpeg$/, ''), { headers: { Accept: '*/*' } });
  expect(jpeg.headers()['content-type']).toBe('image/jpeg');
});

// Issue 7, the rest: store logo and banner, product photos with alt text in
// /sell, renamed store handles, and store pages that follow new reviews,
// against the built server on PostgreSQL, in Chromium.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import sharp from 'sharp';
import { ACCOUNTS, signIn } from './support/auth.ts';
import { sql } from './support/db.ts';
import { hydrated } from './support/islands.ts';

/** Stores the other specs leave alone. */
const MEDIA_SELLER = 'tausi@demo.soko.africa';
const RENAME_SELLER = 'chai@demo.soko.africa';

const png = (width: number, height: number, background: string) =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('store image API: sellers only, their own store, same checks as product photos', async ({
  request,
  playwright,
  baseURL,
}) => {
  const seller = await signIn(request, ACCOUNTS.otherSeller);
  const buyer = await signIn(request, ACCOUNTS.buyer);
  const admin = await signIn(request, ACCOUNTS.admin);
  const origin = baseURL!;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}`, Origin: origin });
  const logo = { name: 'logo.png', mimeType: 'image/png', buffer: await png(300, 300, '#8b5a2b') };

  // Multipart without our Origin is refused by the cross-site check before the route runs.
  const noOrigin = await request.post('/api/stores/me/logo', {
    multipart: { file: logo },
    headers: { Authorization: `Bearer ${seller.token}` },
  });
  expect(noOrigin.status()).toBe(403);
  const crossSite = await request.post('/api/stores/me/logo', {
    multipart: { file: logo },
    headers: { ...auth(seller.token), Origin: 'https://evil.example' },
  });
  expect(crossSite.status()).toBe(403);

  const anonymous = await playwright.request.newContext({ baseURL });
  expect(
    (await anonymous.post('/api/stores/me/logo', { multipart: { file: logo }, headers: { Origin: origin } })).status(),
  ).toBe(401);
  await anonymous.dispose();
  for (const token of [buyer.token, admin.token]) {
    const res = await request.post('/api/stores/me/logo', { multipart: { file: logo }, headers: auth(token) });
    expect(res.status()).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  }

  const bad: [string, Record<string, unknown>, number, string][] = [
    ['/api/stores/me/avatar', { file: logo }, 400, 'path.kind'],
    [
      '/api/stores/me/logo',
      {
        file: {
          name: 'logo.jpg',
          mimeType: 'image/jpeg',
          buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
        },
      },
      415,
      'JPEG, PNG, WebP or AVIF',
    ],
    ['/api/stores/me/logo', { file: { ...logo, buffer: await png(40, 40, '#000000') } }, 400, 'at least 96 x 96'],
    ['/api/stores/me/banner', { file: logo }, 400, 'at least 960 x 160'],
    ['/api/stores/me/banner', { file: { ...logo, buffer: await png(1000, 1000, '#123456') } }, 400, 'landscape'],
    ['/api/stores/me/logo', { file: logo, alt: 'not here' }, 400, 'Unknown field: alt'],
  ];
  for (const [url, multipart, status, words] of bad) {
    const res = await request.post(url, { multipart: multipart as never, headers: auth(seller.token) });
    expect(res.status(), `${url} ${words}`).toBe(status);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.message).toContain(words);
  }

  const created = await request.post('/api/stores/me/logo', { multipart: { file: logo }, headers: auth(seller.token) });
  expect(created.status()).toBe(201);
  const { logo: image } = (await created.json()) as { logo: { id: string; contentHash: string; width: number } };
  expect(image.width).toBe(300);
  const me = (await (await request.get('/api/stores/me', { headers: auth(seller.token) })).json()) as {
    store: { logo: { id: string } | null };
  };
  expect(me.store.logo?.id).toBe(image.id);
  const served = await request.get(`/api/images/${image.id}?w=160&f=jpeg&v=${image.contentHash.slice(0, 12)}`);
  expect(served.status()).toBe(200);
  expect(served.headers()['cache-control']).toContain('immutable');

  // A body-less DELETE needs the Origin too (browsers send it).
  expect(
    (await request.delete('/api/stores/me/logo', { headers: { Authorization: `Bearer ${seller.token}` } })).status(),
  ).toBe(403);
  expect((await request.delete('/api/stores/me/logo', { headers: auth(seller.token) })).status()).toBe(204);
  expect((await request.get(`/api/images/${image.id}?w=160`)).status()).toBe(404);
  expect((await request.delete('/api/stores/me/logo', { headers: auth(seller.token) })).status()).toBe(204);
});

test('a seller adds a logo, a banner and a described product photo in /sell; the public pages show them', async ({
  page,
}) => {
  await signIn(page.request, MEDIA_SELLER);
  await page.goto('/sell');
  const editor = page.getByTestId('store-editor');
  const [storeRow] = await sql<{ handle: string; storeName: string }>(
    `SELECT p.handle, p."storeName" FROM "Profile" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [MEDIA_SELLER],
  );
  const { handle, storeName } = storeRow!;

  // Hydrated (client:idle) when the file input is enabled and reacts; a too-small logo is refused beside the field.
  const logoInput = editor.getByLabel(/^(Upload a|Replace) logo$/);
  await expect(async () => {
    await logoInput.setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: await png(40, 40, '#222222') });
    await expect(editor.getByTestId('store-logo-error')).toContainText('at least 96 x 96', { timeout: 2000 });
  }).toPass();
  await expect(logoInput).toHaveAttribute('aria-invalid', 'true');

  await logoInput.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: await png(320, 320, '#6b2d5c') });
  await expect(page.getByTestId('store-status')).toHaveText('Logo saved.');
  await expect(editor.getByTestId('store-logo-error')).toHaveCount(0);
  const logoPreview = editor.getByTestId('store-logo-preview').locator('img');
  await expect(logoPreview).toHaveAttribute('src', /^\/api\/images\/\w+\?w=160&v=[0-9a-f]{12}&f=jpeg$/);
  expect(await logoPreview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
  const logoId = await logoPreview.getAttribute('data-image-id');

  // The banner by keyboard: focus the file input, the chooser opens on Space.
  const bannerInput = editor.getByLabel('Upload a banner');
  const chooser = page.waitForEvent('filechooser');
  await bannerInput.focus();
  await page.keyboard.press('Space');
  await (
    await chooser
  ).setFiles({ name: 'banner.png', mimeType: 'image/png', buffer: await png(1920, 480, '#1f4e5c') });
  await expect(page.getByTestId('store-status')).toHaveText('Banner saved.');
  const bannerId = await editor.getByTestId('store-banner-preview').locator('img').getAttribute('data-image-id');
  expect(bannerId).toBeTruthy();
  await expect(editor.getByRole('button', { name: 'Remove banner' })).toBeVisible();

  // A product photo: the first product's dialog. Without alt text the upload is refused beside the field.
  const [product] = await sql<{ id: string; slug: string; title: string }>(
    `SELECT p.id, p.slug, p.title FROM "Product" p JOIN "User" u ON u.id = p."sellerId"
      WHERE u.email = $1 AND p.status = 'ACTIVE' ORDER BY p."createdAt" DESC LIMIT 1`,
    [MEDIA_SELLER],
  );
  const before = Number(
    (
      await sql<{ n: string }>(`SELECT count(*)::text AS n FROM "ProductImage" WHERE "productId" = $1`, [product!.id])
    )[0]!.n,
  );
  await page
    .getByTestId('product-manager')
    .locator(`tr[data-product-id="${product!.id}"]`)
    .getByRole('button', { name: `Edit ${product!.title}` })
    .click();
  const dialog = page.getByRole('dialog', { name: 'Edit product' });
  const photos = dialog.getByTestId('product-photos');
  await expect(photos.getByRole('heading', { name: `Photos (${before} of 8)` })).toBeVisible();
  await photos
    .getByLabel('Add a photo')
    .setInputFiles({ name: 'IMG_2001.png', mimeType: 'image/png', buffer: await png(900, 900, '#c9a227') });
  await photos.getByRole('button', { name: 'Upload photo' }).click();
  await expect(photos.locator('#photo-alt-error')).toHaveText('Describe the photo in at least 3 characters');
  await expect(photos.getByLabel('Describe the photo (alt text)')).toHaveAttribute('aria-invalid', 'true');

  const alt = `Amber perfume bottle on a brass tray ${Date.now() % 10000}`;
  await photos.getByLabel('Describe the photo (alt text)').fill(alt);
  await photos.getByRole('button', { name: 'Upload photo' }).click();
  await expect(page.getByTestId('photo-status')).toHaveText('Photo uploaded.');
  const n = before + 1;
  await expect(photos.getByRole('heading', { name: `Photos (${n} of 8)` })).toBeVisible();
  await expect(photos.getByLabel(`Description of photo ${n} (alt text)`)).toHaveValue(alt);

  // Keyboard: move it to the front (it becomes the product's lead photo).
  for (let i = n; i > 1; i--) {
    const up = photos.getByRole('button', { name: `Move up photo ${i}`, exact: true });
    await up.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('photo-status')).toHaveText(`Photo moved to position ${i - 1} of ${n}.`);
  }
  await expect(photos.getByLabel('Description of photo 1 (alt text)')).toHaveValue(alt);
  // Editing a description: too short is refused beside it, a real one saved.
  const first = photos.getByLabel('Description of photo 1 (alt text)');
  await first.fill('ab');
  await first.press('Enter');
  await expect(photos.locator('.photo-item').first().locator('.field-error')).toContainText('at least 3 characters');
  await first.fill(`${alt}, side view`);
  await first.press('Enter');
  await expect(page.getByTestId('photo-status')).toHaveText('Description saved.');
  const [stored] = await sql<{ alt: string; position: number }>(
    `SELECT alt, position FROM "ProductImage" WHERE "productId" = $1 ORDER BY position LIMIT 1`,
    [product!.id],
  );
  expect(stored).toEqual({ alt: `${alt}, side view`, position: 0 });

  // /sell stays accessible with the photo manager open and the previews shown.
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // The public store page (pre-rendered at build, routed live by the gate) shows banner and logo via /api/images.
  await expect(async () => {
    await page.goto(`/s/${handle}`);
    await expect(page.getByTestId('store-logo')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 10_000 });
  const banner = page.getByTestId('store-banner-image');
  const bannerImg = banner.locator('picture img');
  await expect(bannerImg).toHaveAttribute(
    'src',
    new RegExp(`^/api/images/${bannerId}\\?w=1280&v=[0-9a-f]{12}&f=jpeg$`),
  );
  await expect(bannerImg).toHaveAttribute('width', '1920');
  await expect(bannerImg).toHaveAttribute('height', '480');
  await expect(bannerImg).toHaveAttribute('alt', '');
  await expect(banner.locator('source[type="image/avif"]')).toHaveAttribute('srcset', /w=1920/);
  await expect(banner.locator('img.pimg-lqip')).toHaveAttribute('src', /^data:image\/webp;base64,/);
  const logoImg = page.getByTestId('store-logo').locator('picture img');
  await expect(logoImg).toHaveAttribute('alt', `${storeName} logo`);
  await expect(logoImg).toHaveAttribute('src', new RegExp(`^/api/images/${logoId}\\?`));
  await expect(logoImg).toHaveAttribute('width', '320');
  await expect(page.getByTestId('store-logo').locator('img.pimg-lqip')).toHaveAttribute('src', /^data:image\//);
  expect(await bannerImg.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);

  // The product page shows the new lead photo with its alt text.
  await expect(async () => {
    await page.goto(`/p/${product!.slug}`);
    await expect(page.locator('.gallery-lead picture img')).toHaveAttribute('alt', `${alt}, side view`, {
      timeout: 500,
    });
  }).toPass({ timeout: 10_000 });
  await expect(page.getByRole('img', { name: `${alt}, side view` })).toBeVisible();
});

test('a renamed store: the new handle serves at once, the old one redirects, nobody can take it', async ({
  page,
  request,
}) => {
  const [renameRow] = await sql<{ handle: string; storeName: string }>(
    `SELECT p.handle, p."storeName" FROM "Profile" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [RENAME_SELLER],
  );
  const { handle: old, storeName } = renameRow!;
  // Served from the pre-rendered file before the rename.
  expect((await request.get(`/s/${old}`, { maxRedirects: 0 })).status()).toBe(200);

  await signIn(page.request, RENAME_SELLER);
  await page.goto('/sell');
  const editor = page.getByTestId('store-editor');
  const renamed = `${old}-nairobi`;
  const edit = editor.getByRole('button', { name: 'Edit store address' });
  await hydrated(editor);
  await edit.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Edit store address' })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(renamed);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('store-status')).toHaveText('Store address saved.');
  await expect(editor.getByTestId('public-store-link')).toHaveAttribute('href', `/s/${renamed}`);

  // The new handle has no pre-rendered page: the on-demand route serves it at once.
  const fresh = await request.get(`/s/${renamed}`, { maxRedirects: 0 });
  expect(fresh.status()).toBe(200);
  expect(await fresh.text()).toContain(storeName);

  // The old handle redirects (within the catalog gate's 2 s refresh) instead of serving the stale file.
  // Each worker refreshes its own gate on its own clock, so one 301 does not mean the next request
  // (on another connection, maybe another worker) gets one: the browser's visit retries as well.
  await expect(async () => {
    const res = await request.get(`/s/${old}?ref=share`, { maxRedirects: 0 });
    expect(res.status()).toBe(301);
    expect(res.headers().location).toBe(`/s/${renamed}?ref=share`);
    const visit = await page.goto(`/s/${old}`);
    expect(new URL(page.url()).pathname).toBe(`/s/${renamed}`);
    expect(visit!.status()).toBe(200);
  }).toPass({ timeout: 10_000 });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(storeName);

  // Another seller cannot take the old handle over (the redirect would serve their store).
  const other = await signIn(request, ACCOUNTS.otherSeller);
  const claim = await request.patch('/api/stores/me', {
    headers: { Authorization: `Bearer ${other.token}` },
    data: { handle: old },
  });
  expect(claim.status()).toBe(409);
  expect(((await claim.json()) as { error: { details: { field: string } } }).error.details.field).toBe('handle');

  // The store takes its old handle back; the demo store is as it was.
  const own = await signIn(request, RENAME_SELLER);
  const back = await request.patch('/api/stores/me', {
    headers: { Authorization: `Bearer ${own.token}` },
    data: { handle: old },
  });
  expect(back.status()).toBe(200);
  await expect(async () => {
    expect((await request.get(`/s/${old}`, { maxRedirects: 0 })).status()).toBe(200);
    expect((await request.get(`/s/${renamed}`, { maxRedirects: 0 })).headers().location).toBe(`/s/${old}`);
  }).toPass({ timeout: 10_000 });
});

test('a new review updates the store page rating and count and the product page, without a rebuild', async ({
  request,
}) => {
  // A buyer's order item for a product they have not reviewed, of a store no other spec edits.
  const [item] = await sql<{ orderId: string; productId: string; slug: string; email: string; handle: string }>(
    `SELECT o.id AS "orderId", oi."productId", p.slug, u.email, prof.handle
       FROM "OrderItem" oi JOIN "Order" o ON o.id = oi."orderId" JOIN "User" u ON u.id = o."buyerId"
       JOIN "Product" p ON p.id = oi."productId" JOIN "Profile" prof ON prof."userId" = p."sellerId"
       JOIN "User" s ON s.id = p."sellerId"
      WHERE p.status = 'ACTIVE' AND prof.handle IS NOT NULL AND s.email NOT IN ($1, $2, $3, $4)
        AND NOT EXISTS (SELECT 1 FROM "Review" r WHERE r."productId" = p.id AND r."authorId" = u.id)
      ORDER BY (o.status = 'DELIVERED') DESC, o.id LIMIT 1`,
    [ACCOUNTS.seller, ACCOUNTS.otherSeller, MEDIA_SELLER, RENAME_SELLER],
  );
  expect(item, 'the demo seed has orders').toBeDefined();
  await sql(`UPDATE "Order" SET status = 'DELIVERED' WHERE id = $1`, [item!.orderId]);
  const [agg] = await sql<{ n: string; avg: string }>(
    `SELECT count(*)::text AS n, round(avg(r.rating)::numeric, 1)::text AS avg
       FROM "Review" r JOIN "Product" p ON p.id = r."productId" JOIN "Profile" prof ON prof."userId" = p."sellerId"
      WHERE prof.handle = $1`,
    [item!.handle],
  );
  const countText = (n: number) => `${n} review${n === 1 ? '' : 's'}`;
  const storeMeta = async () => {
    const html = await (await request.get(`/s/${item!.handle}`)).text();
    return /<p class="store-meta"[^>]*>(.*?)<\/p>/s.exec(html)?.[1] ?? '';
  };
  expect(await storeMeta()).toContain(Number(agg!.n) > 0 ? `from ${countText(Number(agg!.n))}` : 'no reviews yet');

  const buyer = await signIn(request, item!.email);
  const body = `Review for freshness ${Date.now()}`;
  const posted = await request.post(`/api/products/${item!.productId}/reviews`, {
    headers: { Authorization: `Bearer ${buyer.token}` },
    data: { rating: 5, body },
  });
  expect(posted.status()).toBe(201);
  const [next] = await sql<{ avg: string }>(
    `SELECT round(avg(r.rating)::numeric, 1)::text AS avg
       FROM "Review" r JOIN "Product" p ON p.id = r."productId" JOIN "Profile" prof ON prof."userId" = p."sellerId"
      WHERE prof.handle = $1`,
    [item!.handle],
  );
  const expected = `★ ${Number(next!.avg)} from ${countText(Number(agg!.n) + 1)}`;
  await expect(async () => expect(await storeMeta()).toContain(expected)).toPass({ timeout: 10_000 });
  await expect(async () => expect(await (await request.get(`/p/${item!.slug}`)).text()).toContain(body)).toPass({
    timeout: 10_000,
  });
});

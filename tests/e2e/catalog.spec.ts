// Catalog and discovery in Chromium against the built server on PostgreSQL.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { HtmlValidate } from 'html-validate';
import { E2E_PORT } from '../../playwright.config.ts';
import { sql } from './support/db.ts';

const CLIENT_DIR = resolve(`.data/e2e-${E2E_PORT}/dist/client`);
const SITE = `http://127.0.0.1:${E2E_PORT}`;

const builtProductSlugs = () => readdirSync(join(CLIENT_DIR, 'p'));
const ldBlocks = (html: string) =>
  [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));

test('browse home -> category -> product, with an exact WhatsApp enquiry link', async ({ page }) => {
  await page.goto('/');
  await page
    .getByRole('link', { name: /^Jewellery/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/c\/jewellery$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Jewellery');
  const grid = page.getByTestId('catalog-grid');
  await expect(grid.locator('article').first()).toBeVisible();
  const firstTitle = (await grid.locator('article h3').first().textContent())!.trim();
  await grid.locator('article a').first().click();
  await expect(page).toHaveURL(/\/p\/[a-z0-9-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(firstTitle);

  const slug = new URL(page.url()).pathname.split('/')[2]!;
  const [row] = await sql<{ title: string; price: number; stock: number }>(
    'SELECT title, price, stock FROM "Product" WHERE slug = $1',
    [slug],
  );
  const priceText = new Intl.NumberFormat('en-KE', {
    style: 'currency',
    currency: 'KES',
    maximumFractionDigits: 0,
  }).format(row!.price / 100);
  await expect(page.getByTestId('price')).toHaveText(priceText);
  await expect(page.locator('.offer')).toHaveAttribute('data-live', 'live');
  const expected = `https://wa.me/254756185209?text=${encodeURIComponent(
    `Hello Soko Africa, I'm interested in "${row!.title}" (${priceText}): ${SITE}/p/${slug}`,
  )}`;
  await expect(page.getByTestId('whatsapp-product')).toHaveAttribute('href', expected);
  // The lead photo is the LCP image; the rest wait.
  const imgs = page.locator('.gallery picture img');
  await expect(imgs.first()).toHaveAttribute('fetchpriority', 'high');
  await expect(imgs.first()).toHaveAttribute('width', /\d+/);
  if ((await imgs.count()) > 1) await expect(imgs.nth(1)).toHaveAttribute('loading', 'lazy');
  await expect(page.locator('[data-slot="add-to-cart"]')).toHaveCount(1);
  await page
    .getByRole('link', { name: /Gold Atelier|Beadworks|Couture|Leather|House|Studio/ })
    .first()
    .click();
  await expect(page).toHaveURL(/\/s\/[a-z0-9-]+$/);
});

test('search API: keyword, filters, sorts, cursors, cache headers and 400s naming the parameter', async ({
  request,
}) => {
  const get = async (qs: string) => {
    const res = await request.get(`/api/products?${qs}`);
    expect(res.status(), qs).toBe(200);
    return (await res.json()) as {
      items: { slug: string; price: number; stock: number; title: string }[];
      nextCursor: string | null;
    };
  };
  const gold = await get('q=gold');
  expect(gold.items.length).toBeGreaterThan(0);
  expect(gold.items[0]!.title.toLowerCase()).toContain('gold');

  const cheap = await get('category=jewellery&maxPrice=20000&inStock=true&sort=price_asc&limit=100');
  const prices = cheap.items.map((p) => p.price);
  expect(prices.length).toBeGreaterThan(0);
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  expect(prices.every((p) => p <= 2_000_000)).toBe(true);
  expect(cheap.items.every((p) => p.stock > 0)).toBe(true);

  const first = await get('sort=price_desc&limit=5');
  const second = await get(`sort=price_desc&limit=5&cursor=${first.nextCursor}`);
  expect(second.items[0]!.price).toBeLessThanOrEqual(first.items[4]!.price);
  expect(second.items.map((p) => p.slug)).not.toContain(first.items[4]!.slug);

  const res = await request.get('/api/products?q=ring');
  expect(res.headers()['cache-control']).toMatch(/public.*s-maxage=\d+/);
  const etag = res.headers()['etag']!;
  expect((await request.get('/api/products?q=ring', { headers: { 'If-None-Match': etag } })).status()).toBe(304);

  for (const [qs, param] of [
    ['limit=101', 'limit'],
    ['sort=cheapest', 'sort'],
    ['minPrice=abc', 'minPrice'],
    ['inStock=yes', 'inStock'],
    ['colour=red', 'colour'],
    ['cursor=garbage', 'cursor'],
  ]) {
    const bad = await request.get(`/api/products?${qs}`);
    expect(bad.status(), qs).toBe(400);
    const body = await bad.json();
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message, qs).toContain(param);
  }
  const one = await request.get(`/api/products/${gold.items[0]!.slug}`);
  expect(one.status()).toBe(200);
  expect(await one.json()).toMatchObject({
    slug: gold.items[0]!.slug,
    images: expect.any(Array),
    seller: { name: expect.any(String) },
  });
  expect((await request.get('/api/products/NOT_VALID!')).status()).toBe(400);
});

test('a repeated catalog read is answered from the server cache with the same body and headers', async ({
  request,
}) => {
  // A query nobody asked before: the first answer comes from the route, the next ones from the
  // node server's fast path (api-cache.ts), which must be indistinguishable.
  const listPath = `/api/products?q=silver&limit=${37 + (Date.now() % 50)}`;
  const { items } = (await (await request.get('/api/products?limit=60')).json()) as { items: { id: string }[] };
  const detailPath = `/api/products/${items[Date.now() % items.length]!.id}`;
  for (const path of [listPath, detailPath]) {
    const first = await request.get(path);
    const again = await request.get(path);
    expect(first.status(), path).toBe(200);
    expect(again.status(), path).toBe(200);
    expect(first.headers()['x-cache'], path).toBeUndefined();
    expect(again.headers()['x-cache'], path).toBe('HIT');
    expect(await again.text(), path).toBe(await first.text());
    for (const h of ['content-type', 'cache-control', 'etag', 'vary', 'x-content-type-options', 'x-frame-options']) {
      expect(again.headers()[h], `${path} ${h}`).toBe(first.headers()[h]);
    }
    const revalidated = await request.get(path, { headers: { 'If-None-Match': first.headers()['etag']! } });
    expect(revalidated.status(), path).toBe(304);
    const head = await request.head(path);
    expect(head.status(), path).toBe(200);
    expect(await head.text(), path).toBe('');
  }
  // Sub-resources and writes never take the fast path.
  const reviews = await request.get(`${detailPath}/reviews`);
  expect(reviews.status()).toBe(200);
  expect(await reviews.json()).toHaveProperty('items');
});

test('the search page takes its filters from the URL and writes them back', async ({ page }) => {
  await page.goto('/search?category=jewellery&sort=price_asc');
  const grid = page.getByTestId('catalog-grid');
  await expect(grid).toHaveAttribute('aria-busy', 'false');
  await expect(grid.locator('article').first()).toBeVisible();
  const prices = await grid.locator('.price').allTextContents();
  const nums = prices.map((t) => Number(t.replace(/\D/g, '')));
  expect(nums).toEqual([...nums].sort((a, b) => a - b));
  await expect(page.getByLabel('Category')).toHaveValue('jewellery');

  await page.getByLabel('Keyword').fill('earrings');
  await page.getByLabel('Sort').selectOption('price_desc');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=earrings/);
  await expect(page).toHaveURL(/category=jewellery/);
  await expect(page).toHaveURL(/sort=price_desc/);
  await expect(grid.locator('article h3').first()).toContainText(/Earrings/i);
});

test('a filtered search URL comes with its first results in the HTML, for sharing and crawlers', async ({
  request,
  browser,
}) => {
  const res = await request.get('/search?q=earrings&sort=price_asc&minPrice=oops');
  expect(res.status()).toBe(200);
  const html = await res.text();
  // The malformed minPrice is dropped, the rest kept, in a stable order.
  expect(html).toMatch(/<link rel="canonical" href="[^"]*\/search\?q=earrings&amp;sort=price_asc">/);
  expect(html).toContain('Results for “earrings”');
  const titles = [...html.matchAll(/<h3 class="card-title"[^>]*>([^<]+)</g)].map((m) => m[1]!);
  expect(titles.length).toBeGreaterThan(0);
  for (const t of titles) expect(t).toMatch(/earring/i);
  const prices = [...html.matchAll(/<span class="price">([^<]+)</g)].map((m) => Number(m[1]!.replace(/\D/g, '')));
  expect(prices).toEqual([...prices].sort((a, b) => a - b));
  expect(res.headers()['cache-control']).toMatch(/s-maxage/);

  // The bare /search stays the static shell.
  expect(await (await request.get('/search')).text()).not.toMatch(/<h3 class="card-title"/);

  // Without JavaScript the results are there.
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL: SITE });
  const page = await context.newPage();
  await page.goto('/search?category=jewellery');
  await expect(page.getByTestId('catalog-grid').locator('article').first()).toBeVisible();
  await context.close();
});

test('the grid keeps the DOM bounded while scrolling the whole catalog, and Back restores the position', async ({
  page,
}) => {
  const [{ n } = { n: 0 }] = await sql<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Product" p JOIN "User" u ON u.id = p."sellerId" WHERE p.status = 'ACTIVE' AND u.status = 'ACTIVE'`,
  );
  await page.setViewportSize({ width: 1200, height: 800 });
  await page.goto('/search?sort=newest');
  const grid = page.getByTestId('catalog-grid');
  await expect(grid.locator('article').first()).toBeVisible();
  for (let i = 0; i < 60 && Number(await grid.getAttribute('data-count')) < n!; i++) {
    await page.mouse.wheel(0, 4000);
    await page.waitForTimeout(150);
  }
  await expect(grid).toHaveAttribute('data-count', String(n));
  const inDom = await grid.locator('article').count();
  expect(inDom).toBeLessThan(60);
  expect(inDom).toBeLessThan(n!);

  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight / 2));
  await page.waitForTimeout(300);
  // A card inside the viewport (not one of the overscan rows above or below it), far down the list.
  const index = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=catalog-grid] article')].findIndex((a) => {
      const r = a.getBoundingClientRect();
      return r.top >= 120 && r.bottom <= window.innerHeight;
    }),
  );
  expect(index).toBeGreaterThanOrEqual(0);
  const target = page.locator('[data-testid=catalog-grid] article').nth(index);
  const title = (await target.locator('h3').textContent())!.trim();
  const y = await page.evaluate(() => window.scrollY);
  expect(y).toBeGreaterThan(2000);
  await target.locator('a').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await page.goBack();
  await expect(grid).toHaveAttribute('data-count', String(n));
  await expect(grid.getByRole('heading', { name: title, exact: true })).toBeInViewport();
});

test('every built product page carries valid Product and BreadcrumbList JSON-LD and SEO tags', async () => {
  test.setTimeout(120_000);
  const slugs = builtProductSlugs();
  const reviewCounts = new Map(
    (
      await sql<{ slug: string; n: number }>(
        'SELECT p.slug, count(*)::int AS n FROM "Review" r JOIN "Product" p ON p.id = r."productId" GROUP BY p.slug',
      )
    ).map((r) => [r.slug, r.n]),
  );
  const active = await sql<{ slug: string }>(`SELECT slug FROM "Product" WHERE status = 'ACTIVE'`);
  expect(slugs.length).toBeGreaterThanOrEqual(active.length);
  const titles = new Set<string>();
  for (const slug of slugs) {
    const html = readFileSync(join(CLIENT_DIR, 'p', slug, 'index.html'), 'utf8');
    const blocks = ldBlocks(html);
    const product = blocks.find((b) => b['@type'] === 'Product');
    const crumbs = blocks.find((b) => b['@type'] === 'BreadcrumbList');
    expect(product, slug).toBeDefined();
    expect(product).toMatchObject({
      '@context': 'https://schema.org',
      name: expect.any(String),
      description: expect.any(String),
      sku: expect.any(String),
      image: expect.arrayContaining([expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/images\//)]),
      brand: { name: expect.any(String) },
      offers: {
        '@type': 'Offer',
        price: expect.stringMatching(/^\d+\.\d\d$/),
        priceCurrency: 'KES',
        availability: expect.stringMatching(/^https:\/\/schema\.org\/(InStock|OutOfStock)$/),
        url: `${SITE}/p/${slug}`,
      },
    });
    const n = reviewCounts.get(slug) ?? 0;
    if (n > 0) expect(product.aggregateRating, slug).toMatchObject({ reviewCount: n, ratingValue: expect.any(Number) });
    else expect(product.aggregateRating, slug).toBeUndefined();
    expect(crumbs.itemListElement).toHaveLength(3);
    expect(html).toContain(`<link rel="canonical" href="${SITE}/p/${slug}"`);
    expect(html).toMatch(/<meta property="og:image" content="http[^"]+\/api\/images\//);
    expect(html).toMatch(/<meta name="twitter:image"/);
    const title = /<title>(.*?)<\/title>/.exec(html)![1]!;
    expect(titles.has(title), title).toBe(false);
    titles.add(title);
  }
});

test('sitemap lists every active product, category and store; robots keeps crawlers out of private areas', async ({
  request,
}) => {
  const xml = await (await request.get('/sitemap.xml')).text();
  const locs = new Set([...xml.matchAll(/<loc>(.*?)<\/loc>/g)].map((m) => m[1]));
  // The sitemap is written by the build: every product and store made before it and on sale now must
  // be in it (what other specs create afterwards, e.g. the admin spec's store closure, waits for the next build).
  const { builtAt } = JSON.parse(readFileSync(join(CLIENT_DIR, 'build-info.json'), 'utf8')) as { builtAt: string };
  const products = await sql<{ slug: string }>(
    `SELECT p.slug FROM "Product" p JOIN "User" u ON u.id = p."sellerId"
     WHERE p.status = 'ACTIVE' AND u.status = 'ACTIVE' AND u.role = 'SELLER' AND p."createdAt" <= $1`,
    [builtAt],
  );
  expect(products.length).toBeGreaterThan(100);
  for (const { slug } of products) expect(locs.has(`${SITE}/p/${slug}`), slug).toBe(true);
  for (const { slug } of await sql<{ slug: string }>(`SELECT slug FROM "Category"`))
    expect(locs.has(`${SITE}/c/${slug}`)).toBe(true);
  const stores = await sql<{ handle: string }>(
    `SELECT pr.handle FROM "Profile" pr JOIN "User" u ON u.id = pr."userId"
     WHERE pr.handle IS NOT NULL AND u.role = 'SELLER' AND u.status = 'ACTIVE' AND u."createdAt" <= $1`,
    [builtAt],
  );
  expect(stores.length).toBeGreaterThan(10);
  for (const { handle } of stores) expect(locs.has(`${SITE}/s/${handle}`), handle).toBe(true);
  const robots = await (await request.get('/robots.txt')).text();
  for (const path of ['/api/', '/admin', '/account', '/sell']) expect(robots).toContain(`Disallow: ${path}`);
  expect(robots).toContain(`Sitemap: ${SITE}/sitemap.xml`);
});

test('built pages pass the HTML validator', async () => {
  const validator = new HtmlValidate({
    extends: ['html-validate:recommended'],
    // Prettier-free generated markup: formatting rules are noise here.
    // React writes srcSet/maxLength (HTML attributes are case-insensitive, so this is valid).
    rules: {
      'no-inline-style': 'off',
      'void-style': 'off',
      'attribute-boolean-style': 'off',
      'no-trailing-whitespace': 'off',
      'long-title': 'off',
      'attr-case': 'off',
    },
  });
  // Astro emits one <style>astro-island{display:contents}</style> before the first island; browsers accept it.
  const astroIslandStyle = (m: { ruleId: string; message: string }) =>
    m.ruleId === 'element-permitted-content' && m.message.startsWith('<style>');
  const pages = ['index.html', 'search/index.html', '404.html', 'gone/index.html'];
  for (const dir of ['c', 's'])
    for (const d of readdirSync(join(CLIENT_DIR, dir))) pages.push(`${dir}/${d}/index.html`);
  for (const d of builtProductSlugs().slice(0, 20)) pages.push(`p/${d}/index.html`);
  const errors: string[] = [];
  for (const file of pages) {
    const report = await validator.validateString(readFileSync(join(CLIENT_DIR, file), 'utf8'));
    for (const r of report.results)
      for (const m of r.messages)
        if (m.severity === 2 && !astroIslandStyle(m)) errors.push(`${file}:${m.line} ${m.ruleId} ${m.message}`);
  }
  expect(errors).toEqual([]);
});

test('a product created after the build is served at once; archiving answers 410 at once', async ({
  request,
  page,
}) => {
  const slug = `made-after-build-${Date.now()}`;
  await sql(
    `INSERT INTO "Product" (id, "sellerId", "categoryId", slug, title, description, price, stock, "updatedAt")
     SELECT $1, "sellerId", "categoryId", $1, 'Made After The Build', 'Fresh from the workshop.', 4321000, 2, now()
     FROM "Product" WHERE status = 'ACTIVE' LIMIT 1`,
    [slug],
  );
  const res = await request.get(`/p/${slug}`);
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain('Made After The Build');
  await page.goto(`/p/${slug}`);
  await expect(page.getByTestId('price')).toHaveText(/43,210/);

  const built = builtProductSlugs()[0]!;
  await sql(`UPDATE "Product" SET status = 'ARCHIVED' WHERE slug = ANY($1)`, [[slug, built]]);
  try {
    // The gate refreshes every 2 s: "at once" for shoppers, and never the stale static page. Each
    // worker refreshes on its own clock, so the answer is checked whole on every try.
    await expect(async () => {
      const gone = await request.get(`/p/${built}`);
      expect(gone.status()).toBe(410);
      expect(await gone.text()).toContain('no longer available');
    }).toPass({ timeout: 5_000 });
    expect((await request.get(`/p/${slug}`)).status()).toBe(410);
    expect((await request.get(`/api/products/${built}`)).status()).toBe(410);
  } finally {
    await sql(`UPDATE "Product" SET status = 'ACTIVE' WHERE slug = $1`, [built]);
    await sql(`DELETE FROM "Product" WHERE slug = $1`, [slug]);
  }
  await expect.poll(async () => (await request.get(`/p/${built}`)).status(), { timeout: 5_000 }).toBe(200);
  expect((await request.get('/p/never-existed')).status()).toBe(404);
});

test('an edited product leaves the API cache within the catalog gate refresh, not the 10 s TTL', async ({
  request,
}) => {
  const [row] = await sql<{ id: string; price: number }>(
    `SELECT id, price FROM "Product" WHERE status = 'ACTIVE' ORDER BY "createdAt" DESC OFFSET 3 LIMIT 1`,
  );
  const path = `/api/products/${row!.id}`;
  await request.get(path);
  expect((await request.get(path)).headers()['x-cache']).toBe('HIT');
  const price = row!.price + 100;
  await sql(`UPDATE "Product" SET price = $2, "updatedAt" = now() WHERE id = $1`, [row!.id, price]);
  try {
    const started = Date.now();
    await expect
      .poll(async () => ((await (await request.get(path)).json()) as { price: number }).price, { timeout: 6_000 })
      .toBe(price);
    expect(Date.now() - started).toBeLessThan(6_000);
  } finally {
    await sql(`UPDATE "Product" SET price = $2 WHERE id = $1`, [row!.id, row!.price]);
  }
});

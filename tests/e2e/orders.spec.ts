// Cart, checkout, orders and watchlist over HTTP and in Chromium, against the
// built server on PostgreSQL with the demo seed.
import { expect, test, type PlaywrightWorkerArgs } from '@playwright/test';
import { formatKES } from '../../src/lib/shared/money.ts';
import { ACCOUNTS, DEMO_PASSWORD, signIn } from './support/auth.ts';
import { sql } from './support/db.ts';

interface ProductRow {
  id: string;
  slug: string;
  title: string;
  price: number;
  stock: number;
}

/** The n-th active, in-stock product of a seller (by slug), so each test works on its own product. */
async function productOf(sellerEmail: string, n: number): Promise<ProductRow> {
  const rows = await sql<ProductRow>(
    `SELECT p.id, p.slug, p.title, p.price, p.stock FROM "Product" p JOIN "User" u ON u.id = p."sellerId"
     WHERE u.email = $1 AND p.status = 'ACTIVE' AND p.stock >= 3 ORDER BY p.slug OFFSET $2 LIMIT 1`,
    [sellerEmail, n],
  );
  if (!rows[0]) throw new Error(`no product #${n} for ${sellerEmail}`);
  return rows[0];
}

const stockOf = async (id: string) =>
  (await sql<{ stock: number }>(`SELECT stock FROM "Product" WHERE id = $1`, [id]))[0]!.stock;

const delivery = { location: 'Westlands', phone: '0712345678' };
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A Bearer token from a throwaway context, so the test's own `request` stays anonymous (no cookies). */
async function tokenFor(
  playwright: PlaywrightWorkerArgs['playwright'],
  baseURL: string | undefined,
  who: keyof typeof ACCOUNTS,
): Promise<string> {
  const ctx = await playwright.request.newContext({ baseURL });
  try {
    return (await signIn(ctx, ACCOUNTS[who])).token;
  } finally {
    await ctx.dispose();
  }
}

test('POST /api/orders: guards, validation, price tampering, stock conflicts, idempotency', async ({
  request,
  playwright,
  baseURL,
}) => {
  const buyer = await tokenFor(playwright, baseURL, 'buyer');
  const seller = await tokenFor(playwright, baseURL, 'seller');
  const p = await productOf(ACCOUNTS.seller, 0);
  const q = await productOf(ACCOUNTS.otherSeller, 0);
  const body = { items: [{ productId: p.id, quantity: 1 }], delivery };
  expect(q.stock).toBeLessThan(99); // so stock + 1 is a valid quantity that exceeds the stock

  expect((await request.post('/api/orders', { data: body })).status()).toBe(401);
  expect((await request.post('/api/orders', { data: body, headers: bearer(seller) })).status()).toBe(403);

  const badPhone = await request.post('/api/orders', {
    data: { ...body, delivery: { ...delivery, phone: '12345' } },
    headers: bearer(buyer),
  });
  expect(badPhone.status()).toBe(400);
  expect((await badPhone.json()).error.message).toContain('body.delivery.phone');
  const badLocation = await request.post('/api/orders', {
    data: { ...body, delivery: { ...delivery, location: 'Atlantis' } },
    headers: bearer(buyer),
  });
  expect((await badLocation.json()).error.message).toContain('body.delivery.location');
  const badKey = await request.post('/api/orders', {
    data: body,
    headers: { ...bearer(buyer), 'Idempotency-Key': 'has spaces!' },
  });
  expect(badKey.status()).toBe(400);
  expect((await badKey.json()).error.message).toContain('header.Idempotency-Key');
  const tooLongKey = await request.post('/api/orders', {
    data: body,
    headers: { ...bearer(buyer), 'Idempotency-Key': 'k'.repeat(101) },
  });
  expect(tooLongKey.status()).toBe(400);
  // A price from the client is not part of the contract: refused, never used.
  const tampered = await request.post('/api/orders', {
    data: { items: [{ productId: p.id, quantity: 1, unitPrice: 1 }], delivery },
    headers: bearer(buyer),
  });
  expect(tampered.status()).toBe(400);
  expect((await tampered.json()).error.message).toContain('unitPrice');
  // A form-like body: cross-site it never gets in (the origin check), same-site it is not JSON.
  const crossSite = await request.post('/api/orders', {
    headers: { ...bearer(buyer), 'Content-Type': 'text/plain' },
    data: JSON.stringify(body),
  });
  expect(crossSite.status()).toBe(403);
  const sameSite = await request.post('/api/orders', {
    headers: { ...bearer(buyer), 'Content-Type': 'text/plain', Origin: baseURL! },
    data: JSON.stringify(body),
  });
  expect(sameSite.status()).toBe(415);

  const tooMany = await request.post('/api/orders', {
    data: {
      items: [
        { productId: p.id, quantity: 1 },
        { productId: q.id, quantity: q.stock + 1 },
      ],
      delivery,
    },
    headers: bearer(buyer),
  });
  expect(tooMany.status()).toBe(409);
  const conflict = (await tooMany.json()).error;
  expect(conflict.details.items).toEqual([expect.objectContaining({ productId: q.id, reason: 'INSUFFICIENT_STOCK' })]);
  expect(await stockOf(p.id)).toBe(p.stock); // nothing partial

  const unknown = await request.post('/api/orders', {
    data: { items: [{ productId: 'doesnotexist00', quantity: 1 }], delivery },
    headers: bearer(buyer),
  });
  expect(unknown.status()).toBe(409);
  expect((await unknown.json()).error.details.items[0].reason).toBe('NOT_FOUND');

  // Two sellers: two orders under one reference, priced from the database; the same key twice: one set.
  const key = `e2e-${Date.now()}`;
  const cart = {
    items: [
      { productId: p.id, quantity: 2 },
      { productId: q.id, quantity: 1 },
    ],
    delivery,
  };
  const first = await request.post('/api/orders', {
    data: cart,
    headers: { ...bearer(buyer), 'Idempotency-Key': key },
  });
  expect(first.status()).toBe(201);
  const placed = await first.json();
  const again = await request.post('/api/orders', {
    data: cart,
    headers: { ...bearer(buyer), 'Idempotency-Key': key },
  });
  expect(again.status()).toBe(201);
  expect(await again.json()).toEqual(placed);
  expect(placed.orders).toHaveLength(2);
  expect(placed.reference).toMatch(/^CHK-/);
  for (const o of placed.orders) expect(o.number).toMatch(/^SOKO-\d{4}-\d{6}$/);
  const lineP = placed.orders
    .flatMap((o: { items: unknown[] }) => o.items)
    .find((i: { productId: string }) => i.productId === p.id);
  expect(lineP).toMatchObject({ quantity: 2, unitPrice: p.price, lineTotal: 2 * p.price });
  expect(placed.whatsappUrl).toMatch(/^https:\/\/wa\.me\/254756185209\?text=/);
  expect(await stockOf(p.id)).toBe(p.stock - 2);
  expect(await stockOf(q.id)).toBe(q.stock - 1);
  const count = await sql<{ n: string }>(`SELECT count(*) AS n FROM "Order" WHERE reference = $1`, [placed.reference]);
  expect(Number(count[0]!.n)).toBe(2);
  // The same key for a different cart is a conflict, not a silent replay.
  const reused = await request.post('/api/orders', {
    data: { ...cart, delivery: { ...delivery, location: 'Karen' } },
    headers: { ...bearer(buyer), 'Idempotency-Key': key },
  });
  expect(reused.status()).toBe(409);
});

test('orders API: visibility, pagination, transitions, cancel restores stock', async ({
  request,
  playwright,
  baseURL,
}) => {
  const buyer = await tokenFor(playwright, baseURL, 'buyer');
  const seller = await tokenFor(playwright, baseURL, 'seller');
  const other = await tokenFor(playwright, baseURL, 'otherSeller');
  const admin = await tokenFor(playwright, baseURL, 'admin');
  const p = await productOf(ACCOUNTS.seller, 1);
  const res = await request.post('/api/orders', {
    data: { items: [{ productId: p.id, quantity: 2 }], delivery },
    headers: bearer(buyer),
  });
  expect(res.status()).toBe(201);
  const order = (await res.json()).orders[0];
  expect(await stockOf(p.id)).toBe(p.stock - 2);

  expect((await request.get(`/api/orders/${order.id}`)).status()).toBe(401);
  const asBuyer = await request.get(`/api/orders/${order.id}`, { headers: bearer(buyer) });
  expect(asBuyer.status()).toBe(200);
  expect((await asBuyer.json()).allowedTransitions).toEqual(['CANCELLED']);
  const asSeller = await request.get(`/api/orders/${order.number}`, { headers: bearer(seller) });
  expect((await asSeller.json()).allowedTransitions).toEqual(['CONFIRMED', 'CANCELLED']);
  expect((await request.get(`/api/orders/${order.id}`, { headers: bearer(other) })).status()).toBe(404);
  expect((await request.get(`/api/orders/${order.id}`, { headers: bearer(admin) })).status()).toBe(200);
  expect((await request.get('/api/orders/not%20an%20id', { headers: bearer(buyer) })).status()).toBe(400);

  // Lists: own orders only, status filter, cursor pages, bounded limit.
  const mine = await (await request.get('/api/orders?status=PENDING&limit=100', { headers: bearer(buyer) })).json();
  expect(mine.items.map((o: { id: string }) => o.id)).toContain(order.id);
  const otherList = await (await request.get('/api/orders?limit=100', { headers: bearer(other) })).json();
  expect(otherList.items.map((o: { id: string }) => o.id)).not.toContain(order.id);
  const page1 = await (await request.get('/api/orders?limit=2', { headers: bearer(buyer) })).json();
  expect(page1.items).toHaveLength(2);
  const page2 = await (
    await request.get(`/api/orders?limit=2&cursor=${page1.nextCursor}`, { headers: bearer(buyer) })
  ).json();
  expect(page2.items[0].id).not.toBe(page1.items[1].id);
  expect((await request.get('/api/orders?limit=101', { headers: bearer(buyer) })).status()).toBe(400);
  expect((await request.get('/api/orders?status=LOST', { headers: bearer(buyer) })).status()).toBe(400);
  expect((await request.get('/api/orders?page=2', { headers: bearer(buyer) })).status()).toBe(400);

  const patch = (token: string, data: unknown, id = order.id) =>
    request.patch(`/api/orders/${id}/status`, { data, headers: bearer(token) });
  expect((await patch(buyer, { status: 'CONFIRMED' })).status()).toBe(409);
  expect((await patch(seller, { status: 'DELIVERED' })).status()).toBe(409);
  expect((await patch(other, { status: 'CONFIRMED' })).status()).toBe(404);
  expect((await patch(seller, { status: 'LOST' })).status()).toBe(400);
  expect((await patch(seller, { status: 'CONFIRMED', extra: 1 })).status()).toBe(400);
  const confirmed = await patch(seller, { status: 'CONFIRMED', note: 'Packed' });
  expect(confirmed.status()).toBe(200);
  expect((await confirmed.json()).status).toBe('CONFIRMED');
  // Confirmed: the buyer may no longer cancel; the seller may.
  expect((await patch(buyer, { status: 'CANCELLED' })).status()).toBe(409);
  const cancelled = await patch(seller, { status: 'CANCELLED' });
  expect(cancelled.status()).toBe(200);
  const detail = await cancelled.json();
  expect(detail.events.map((e: { toStatus: string }) => e.toStatus)).toEqual(['PENDING', 'CONFIRMED', 'CANCELLED']);
  expect(detail.allowedTransitions).toEqual([]);
  expect(await stockOf(p.id)).toBe(p.stock);
  expect((await patch(seller, { status: 'CANCELLED' })).status()).toBe(409);
});

test('cart quote and watchlist API', async ({ request, playwright, baseURL }) => {
  const buyer = await tokenFor(playwright, baseURL, 'buyer');
  const p = await productOf(ACCOUNTS.otherSeller, 1);
  const quote = await request.post('/api/cart/quote', { data: { productIds: [p.id, 'gone0000000000'] } });
  expect(quote.status()).toBe(200);
  expect((await quote.json()).items).toEqual([
    { productId: p.id, available: true, price: p.price, stock: p.stock, title: p.title, slug: p.slug },
    { productId: 'gone0000000000', available: false, price: null, stock: 0, title: null, slug: null },
  ]);
  expect((await request.post('/api/cart/quote', { data: { productIds: [] } })).status()).toBe(400);
  expect((await request.post('/api/cart/quote', { data: { productIds: ['../etc'] } })).status()).toBe(400);

  expect((await request.get('/api/watchlist')).status()).toBe(401);
  expect((await request.post('/api/watchlist', { data: { productId: p.id } })).status()).toBe(401);
  expect((await request.post('/api/watchlist', { data: {}, headers: bearer(buyer) })).status()).toBe(400);
  expect(
    (await request.post('/api/watchlist', { data: { productId: 'gone0000000000' }, headers: bearer(buyer) })).status(),
  ).toBe(404);
  expect((await request.post('/api/watchlist', { data: { productId: p.id }, headers: bearer(buyer) })).status()).toBe(
    201,
  );
  const list = await (await request.get('/api/watchlist', { headers: bearer(buyer) })).json();
  expect(list.items.map((i: { product: { id: string } }) => i.product.id)).toContain(p.id);
  // A DELETE has no body, so the origin check wants a same-origin Origin header (browsers send one).
  const origin = { Origin: baseURL! };
  expect((await request.delete(`/api/watchlist/${p.id}`, { headers: bearer(buyer) })).status()).toBe(403);
  expect((await request.delete(`/api/watchlist/${p.id}`, { headers: { ...bearer(buyer), ...origin } })).status()).toBe(
    200,
  );
  expect((await request.delete(`/api/watchlist/${p.id}`, { headers: origin })).status()).toBe(401);
  expect((await request.delete(`/api/watchlist/BAD!`, { headers: { ...bearer(buyer), ...origin } })).status()).toBe(
    400,
  );
  const after = await (await request.get('/api/watchlist', { headers: bearer(buyer) })).json();
  expect(after.items.map((i: { product: { id: string } }) => i.product.id)).not.toContain(p.id);
});

test('in Chromium: add to cart signed out, sign in, check out, confirm on WhatsApp, see the order', async ({
  page,
}) => {
  const p = await productOf(ACCOUNTS.seller, 2);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/p/${p.slug}`);
  await page.getByTestId('add-quantity').fill('2');
  await page.getByTestId('add-to-cart').click();
  await expect(page.getByTestId('add-status')).toContainText(`Added ${p.title} to your cart`);
  await expect(page.getByTestId('cart-count')).toContainText('2');

  await page.goto('/cart');
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('line-total')).toHaveText(formatKES(2 * p.price));
  await page.getByTestId('delivery-location').selectOption('Kilimani');
  await page.getByTestId('delivery-phone').fill('+254712345678');
  await page.getByTestId('checkout-submit').click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fcart$/);
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Email').fill(ACCOUNTS.buyer);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/cart$/);
  // The cart survived the trip through sign-in.
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.getByTestId('delivery-location').selectOption('Kilimani');
  await page.getByTestId('delivery-phone').fill('0712 345 678');
  await page.getByTestId('delivery-note').fill('Gate B, call on arrival');
  // Keeps the API's answer (the page navigates away as soon as it arrives).
  let api: { orders: { number: string }[]; whatsappUrl: string } | undefined;
  await page.route('**/api/orders', async (route) => {
    const res = await route.fetch();
    api = await res.json();
    await route.fulfill({ response: res });
  });
  await page.getByTestId('checkout-submit').click();
  await expect(page).toHaveURL(/\/checkout\/confirmation\?ref=CHK-/);

  if (!api) throw new Error('the checkout response was not seen');
  const order = api.orders[0]!;
  await expect(page.getByTestId('order-number')).toHaveText(order.number);
  await expect(page.getByTestId('grand-total')).toHaveText(formatKES(2 * p.price));
  await expect(page.getByTestId('delivery-location')).toHaveText('Kilimani');
  const link = page.getByTestId('whatsapp-confirm');
  await expect(link).toHaveAttribute('href', api.whatsappUrl);
  const href = new URL((await link.getAttribute('href'))!);
  expect(href.origin + href.pathname).toBe('https://wa.me/254756185209');
  const text = href.searchParams.get('text')!;
  expect(text).toContain(`Order ${order.number}`);
  expect(text).toContain(`- 2 x ${p.title} @ ${formatKES(p.price)}`);
  expect(text).toContain(`Total: ${formatKES(2 * p.price)}`);
  expect(text).toContain('Delivery to: Kilimani');
  await expect(page.getByTestId('cart-count')).toHaveCount(0);

  await page.goto('/account/orders');
  const row = page.locator(`[data-order-number="${order.number}"]`);
  await expect(row).toContainText('Pending');
  await row.getByRole('link', { name: order.number }).click();
  await expect(page.getByTestId('order-status')).toHaveText('Pending');
  await expect(page.getByTestId('whatsapp-confirm')).toHaveAttribute('href', /^https:\/\/wa\.me\/254756185209\?text=/);
  // The buyer cancels while pending; stock comes back.
  await page.getByTestId('status-cancelled').click();
  await expect(page.getByTestId('order-status')).toHaveText('Cancelled');
  expect(await stockOf(p.id)).toBe(p.stock);
  expect(errors).toEqual([]);
});

test('in Chromium: the cart tells the shopper about a price change', async ({ page }) => {
  const p = await productOf(ACCOUNTS.otherSeller, 2);
  await page.goto(`/p/${p.slug}`);
  await page.getByTestId('add-to-cart').click();
  await expect(page.getByTestId('cart-count')).toContainText('1');
  const newPrice = p.price + 150_000;
  await sql(`UPDATE "Product" SET price = $2 WHERE id = $1`, [p.id, newPrice]);
  try {
    await page.goto('/cart');
    await expect(page.getByTestId('cart-notices')).toContainText(
      `The price of ${p.title} changed from ${formatKES(p.price)} to ${formatKES(newPrice)}`,
    );
    await expect(page.getByTestId('line-price')).toHaveText(formatKES(newPrice));
    await expect(page.getByTestId('cart-total')).toHaveText(formatKES(newPrice));
    // Keyboard: raise the quantity with the + button, then remove the line.
    await page.getByRole('button', { name: `One more ${p.title}` }).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('line-quantity')).toHaveValue('2');
    await page.getByRole('button', { name: `Remove ${p.title}` }).click();
    await expect(page.getByTestId('cart-empty')).toBeVisible();
  } finally {
    await sql(`UPDATE "Product" SET price = $2 WHERE id = $1`, [p.id, p.price]);
  }
});

test('in Chromium: watch and unwatch a product, see it in the watchlist', async ({ page, context }) => {
  const p = await productOf(ACCOUNTS.otherSeller, 3);
  const { setCookies } = await signIn(page.request, ACCOUNTS.buyer);
  expect(setCookies.length).toBeGreaterThan(0);
  await page.goto(`/p/${p.slug}`);
  const heart = page.locator('[data-slot="watchlist"]').getByTestId('watch-button');
  await expect(heart).toHaveAttribute('aria-pressed', 'false');
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await heart.click();
  await expect(heart).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('[data-slot="watchlist"]').getByRole('status')).toHaveText('Added to your watchlist');
  await page.reload();
  await expect(heart).toHaveAttribute('aria-pressed', 'true');

  // A price drop since it was watched is marked on the watchlist page.
  await sql(`UPDATE "Product" SET price = $2 WHERE id = $1`, [p.id, p.price - 100_00]);
  try {
    await page.goto('/account/watchlist');
    const item = page.locator(`[data-product-id="${p.id}"]`);
    await expect(item.getByTestId('watch-price')).toHaveText(formatKES(p.price - 100_00));
    await expect(item.getByTestId('price-drop')).toContainText(`was ${formatKES(p.price)}`);
    await expect(item.getByTestId('watch-stock')).toHaveText(`${p.stock} in stock`);
  } finally {
    await sql(`UPDATE "Product" SET price = $2 WHERE id = $1`, [p.id, p.price]);
  }
  await page.goto(`/p/${p.slug}`);
  // Click only once the island has hydrated and loaded the watchlist (the server renders it unpressed).
  await expect(heart).toHaveAttribute('aria-pressed', 'true');
  await heart.click();
  await expect(heart).toHaveAttribute('aria-pressed', 'false');
  // The heart flips at once (optimistic); leaving before the DELETE answers could cancel it.
  await expect(page.locator('[data-slot="watchlist"]').getByRole('status')).toHaveText('Removed from your watchlist');
  await page.goto('/account/watchlist');
  await expect(page.locator(`[data-product-id="${p.id}"]`)).toHaveCount(0);
  await context.clearCookies();
});

test('in Chromium: a failed watch is rolled back', async ({ page }) => {
  const p = await productOf(ACCOUNTS.otherSeller, 4);
  await signIn(page.request, ACCOUNTS.buyer);
  await page.route('**/api/watchlist', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'SERVICE_UNAVAILABLE', message: 'Try again shortly' } }),
        })
      : route.continue(),
  );
  await page.goto(`/p/${p.slug}`);
  const heart = page.locator('[data-slot="watchlist"]').getByTestId('watch-button');
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await heart.click();
  await expect(page.locator('[data-slot="watchlist"]').getByRole('status')).toHaveText('Try again shortly');
  await expect(heart).toHaveAttribute('aria-pressed', 'false');
});

const watched = (productId: string) =>
  sql(`SELECT 1 FROM "WatchlistItem" w JOIN "User" u ON u.id = w."userId" WHERE u.email = $1 AND w."productId" = $2`, [
    ACCOUNTS.buyer,
    productId,
  ]);

test('in Chromium: grid cards on a category page add to cart and watch/unwatch (persisted), one watchlist load', async ({
  page,
  request,
  baseURL,
}) => {
  // The server HTML of the grid already has the buttons, and no style attribute (the CSP forbids them).
  const html = await (await request.get('/c/jewellery')).text();
  const feed = html.slice(html.indexOf('role="feed"'));
  expect(feed).toContain('data-testid="add-to-cart-compact"');
  expect(feed).toContain('data-testid="watch-button"');
  expect(html).not.toMatch(/\sstyle="/);

  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const watchlistLoads: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'GET' && new URL(r.url()).pathname === '/api/watchlist') watchlistLoads.push(r.url());
  });
  const { token } = await signIn(page.request, ACCOUNTS.buyer);
  await page.goto('/c/jewellery');
  const grid = page.getByTestId('catalog-grid');
  // The server's cards, hydrated: their buttons are live before any scrolling.
  await expect(grid.locator('article').first()).toBeVisible();
  await expect(grid.getByTestId('watch-button').first()).not.toHaveAttribute('aria-busy', 'true');

  const inStock = grid.locator('article').filter({ has: page.getByRole('button', { name: /^Add .+ to cart$/ }) });
  const first = inStock.nth(0);
  const second = inStock.nth(1);
  const title = (await first.locator('h3').textContent())!.trim();
  const slug = (await first.locator('a.card-link').getAttribute('href'))!.replace('/p/', '');
  const [row] = await sql<{ id: string }>(`SELECT id FROM "Product" WHERE slug = $1`, [slug]);
  const productId = row!.id;
  // Start from "not watched", whatever an earlier run left.
  await request.delete(`/api/watchlist/${productId}`, {
    headers: { ...bearer(token), Origin: baseURL! },
  });
  await page.reload();
  const card = grid.locator('article', { has: page.getByRole('heading', { name: title, exact: true }) });
  const heart = card.getByTestId('watch-button');
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await expect(heart).toHaveAttribute('aria-pressed', 'false');

  // Add to cart from two cards: the header badge counts them.
  await expect(page.getByTestId('cart-count')).toHaveCount(0);
  await card.getByRole('button', { name: `Add ${title} to cart` }).click();
  await expect(page.getByTestId('cart-count')).toContainText('1');
  await expect(card.getByRole('status').first()).toHaveText(`Added ${title} to your cart`);
  await second.getByTestId('add-to-cart-compact').click();
  await expect(page.getByTestId('cart-count')).toContainText('2');

  // Watch: the heart fills, the server has it, and a reload shows it.
  await heart.click();
  await expect(heart).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await watched(productId)).length).toBe(1);
  await page.reload();
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await expect(heart).toHaveAttribute('aria-pressed', 'true');
  // Unwatch, persisted too.
  await heart.click();
  await expect(heart).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await watched(productId)).length).toBe(0);
  await page.reload();
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await expect(heart).toHaveAttribute('aria-pressed', 'false');
  // The cart survived the reloads.
  await expect(page.getByTestId('cart-count')).toContainText('2');

  // Scrolling mounts new rows (new buttons): still one watchlist request per page load (4 loads above).
  await page.mouse.wheel(0, 3000);
  await expect(grid.locator('.grid-row article').last()).toBeVisible();
  await page.waitForTimeout(300);
  expect(watchlistLoads).toHaveLength(4);

  // The buttons do not make rows jump: every row has the same height, rows touch,
  // and no card is taller than its row or overflows its own box.
  const rows = await grid.locator('.grid-row').evaluateAll((els) =>
    els
      .map((el) => {
        const r = el.getBoundingClientRect();
        const cards = [...el.querySelectorAll('article')].map((a) => ({
          h: a.getBoundingClientRect().height,
          overflow: a.scrollHeight - a.clientHeight,
        }));
        return { top: r.top, h: r.height, cards };
      })
      .sort((a, b) => a.top - b.top),
  );
  expect(rows.length).toBeGreaterThan(2);
  for (const [i, r] of rows.entries()) {
    expect(Math.abs(r.h - rows[0]!.h)).toBeLessThan(0.5);
    if (i > 0) expect(Math.abs(r.top - rows[i - 1]!.top - r.h)).toBeLessThan(0.5);
    for (const c of r.cards) {
      expect(c.h).toBeLessThanOrEqual(r.h - 14 + 0.5);
      expect(c.overflow).toBeLessThanOrEqual(0);
    }
  }
  expect(errors).toEqual([]);
});

test('in Chromium: a signed-out heart on a grid card goes to sign-in and back', async ({ page }) => {
  await page.goto('/c/jewellery?sort=price_asc');
  const grid = page.getByTestId('catalog-grid');
  await expect(grid.locator('article').first()).toBeVisible();
  const heart = grid.locator('article').first().getByTestId('watch-button');
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await heart.click();
  await expect(page).toHaveURL(/\/signin\?next=%2Fc%2Fjewellery%3Fsort%3Dprice_asc$/);
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Email').fill(ACCOUNTS.buyer);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/c\/jewellery\?sort=price_asc$/);
  // Signed in now: the same heart is a live toggle.
  await expect(heart).not.toHaveAttribute('aria-busy', 'true');
  await expect(heart).toHaveAttribute('aria-pressed', /^(true|false)$/);
});

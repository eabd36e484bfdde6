// The /admin area in Chromium against the built server: role changes,
// suspension that ends a live session, moderation that takes a product off
// the storefront, a seller's demotion that closes their store, order status changes through the lifecycle, the audit log,
// the self/last-admin rules and the origin check, all with plain HTML forms:
// the admin's browser runs with JavaScript disabled.
import { randomBytes } from 'node:crypto';
import { expect, test, type APIRequestContext, type Browser, type BrowserContext } from '@playwright/test';
import { E2E_PORT } from '../../playwright.config.ts';
import { ACCOUNTS, DEMO_PASSWORD } from './support/auth.ts';
import { sql } from './support/db.ts';

const SITE = `http://127.0.0.1:${E2E_PORT}`;
const PASSWORD = 'admin-e2e-passphrase-2026';

const tag = () => randomBytes(4).toString('hex');

/** A fresh buyer, so these tests never change the demo accounts other specs use. */
async function register(request: APIRequestContext, label: string) {
  const email = `admin-e2e-${label}-${tag()}@example.com`;
  const res = await request.post('/api/auth/register', { data: { email, password: PASSWORD, name: `E2E ${label}` } });
  expect(res.status()).toBe(201);
  const { user } = (await res.json()) as { user: { id: string } };
  return { email, id: user.id };
}

/**
 * A browser context signed in through the API (its cookies are the browser's).
 * Admin pages must work without client JavaScript, so admins browse without it.
 */
async function signedIn(
  browser: Browser,
  email: string,
  password = PASSWORD,
  { javaScriptEnabled = true } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: SITE, javaScriptEnabled });
  const res = await context.request.post('/api/auth/login', { data: { email, password } });
  expect(res.status(), `sign-in as ${email}`).toBe(200);
  return context;
}

const signedInAdmin = (browser: Browser) =>
  signedIn(browser, ACCOUNTS.admin, DEMO_PASSWORD, { javaScriptEnabled: false });

/** A form post as a browser would send it from this site. */
const formPost = (request: APIRequestContext, path: string, form: Record<string, string>, origin = SITE) =>
  request.post(path, { form, headers: { Origin: origin }, maxRedirects: 0 });

test('an admin promotes a buyer to seller and suspends a user, whose live session stops at once', async ({
  browser,
  request,
}) => {
  const promoted = await register(request, 'promote');
  const suspended = await register(request, 'suspend');
  const victim = await signedIn(browser, suspended.email);
  const victimPage = await victim.newPage();
  await victimPage.goto('/account');
  await expect(victimPage.getByTestId('account-facts')).toContainText(suspended.email);
  // Reads of private data work before the suspension (and must stop after it).
  const PRIVATE_READS = ['/api/orders', '/api/watchlist', '/api/auth/me'];
  for (const path of PRIVATE_READS) expect((await victim.request.get(path)).status(), path).toBe(200);

  const admin = await signedInAdmin(browser);
  const page = await admin.newPage();

  // Promote: the role select and button of that user's row, a plain form post.
  await page.goto(`/admin/users?q=${encodeURIComponent(promoted.email)}`);
  const row = page.getByTestId('user-row').filter({ hasText: promoted.email });
  await expect(row.getByTestId('user-role')).toHaveText('BUYER');
  await row.getByLabel(`Role for ${promoted.email}`).selectOption('SELLER');
  await row.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByTestId('admin-flash')).toContainText('The role was changed');
  await expect(page).toHaveURL(/done=role-changed/);
  expect(new URL(page.url()).searchParams.get('q')).toBe(promoted.email);
  await expect(row.getByTestId('user-role')).toHaveText('SELLER');
  const relogin = await request.post('/api/auth/login', { data: { email: promoted.email, password: PASSWORD } });
  expect(((await relogin.json()) as { user: { role: string } }).user.role).toBe('SELLER');

  // Suspend: the victim's existing session is refused on the next request.
  await page.goto(`/admin/users?q=${encodeURIComponent(suspended.email)}`);
  const vrow = page.getByTestId('user-row').filter({ hasText: suspended.email });
  await vrow.getByRole('button', { name: 'Suspend' }).click();
  await expect(page.getByTestId('admin-flash')).toContainText('suspended');
  await expect(vrow.getByTestId('user-status')).toHaveText('SUSPENDED');
  await victimPage.goto('/account');
  await expect(victimPage).toHaveURL(/\/signin\?next=%2Faccount$/);
  expect((await victim.request.post('/api/auth/password', { data: {} })).status()).toBe(401);
  for (const path of PRIVATE_READS) expect((await victim.request.get(path)).status(), path).toBe(401);
  expect(
    (await request.post('/api/auth/login', { data: { email: suspended.email, password: PASSWORD } })).status(),
  ).toBe(401);

  // The audit log shows both actions with before and after.
  await page.goto('/admin/audit');
  const roleEntry = page.locator(`[data-action="user.role"][data-target="${promoted.id}"]`);
  await expect(roleEntry).toContainText('"role":"BUYER"');
  await expect(roleEntry).toContainText('"role":"SELLER"');
  await expect(roleEntry).toContainText(ACCOUNTS.admin);
  await expect(page.locator(`[data-action="user.suspend"][data-target="${suspended.id}"]`)).toContainText(
    '"status":"SUSPENDED"',
  );

  // Reactivate: they can sign in again (the old session stays revoked).
  await page.goto(`/admin/users?q=${encodeURIComponent(suspended.email)}&status=SUSPENDED`);
  await page
    .getByTestId('user-row')
    .filter({ hasText: suspended.email })
    .getByRole('button', { name: 'Reactivate' })
    .click();
  await expect(page.getByTestId('admin-flash')).toContainText('reactivated');
  await page.goto(`/admin/audit?target=${suspended.id}`);
  await expect(page.getByTestId('audit-row')).toHaveCount(2);
  await expect(page.locator(`[data-action="user.reactivate"][data-target="${suspended.id}"]`)).toContainText(
    '"status":"ACTIVE"',
  );
  expect(
    (await request.post('/api/auth/login', { data: { email: suspended.email, password: PASSWORD } })).status(),
  ).toBe(200);
  expect((await victim.request.post('/api/auth/password', { data: {} })).status()).toBe(401);
  await Promise.all([victim.close(), admin.close()]);
});

test('a promoted admin reaches /admin; once demoted, the role in the database stops their open session at once', async ({
  browser,
  request,
}) => {
  const deputy = await register(request, 'deputy');
  const admin = await signedInAdmin(browser);
  const page = await admin.newPage();
  const setRole = async (role: string) => {
    await page.goto(`/admin/users?q=${encodeURIComponent(deputy.email)}`);
    const row = page.getByTestId('user-row').filter({ hasText: deputy.email });
    await row.getByLabel(`Role for ${deputy.email}`).selectOption(role);
    await row.getByRole('button', { name: 'Change role' }).click();
    await expect(page.getByTestId('admin-flash')).toContainText('The role was changed');
    await expect(row.getByTestId('user-role')).toHaveText(role);
  };
  await setRole('ADMIN');

  const deputyCtx = await signedIn(browser, deputy.email, PASSWORD, { javaScriptEnabled: false });
  const deputyPage = await deputyCtx.newPage();
  await deputyPage.goto('/admin');
  await expect(deputyPage.getByTestId('admin-area')).toBeVisible();
  expect((await deputyCtx.request.get('/api/orders')).status()).toBe(200);

  await setRole('BUYER');
  // The token still says ADMIN; the database does not.
  const ended = await deputyCtx.request.get('/admin', { maxRedirects: 0 });
  expect(ended.status()).toBe(303);
  expect(ended.headers().location).toBe('/signin?next=%2Fadmin');
  expect((await deputyCtx.request.get('/api/orders')).status()).toBe(401);
  // Signed in again as the buyer they now are: a 403 page.
  const again = await signedIn(browser, deputy.email, PASSWORD, { javaScriptEnabled: false });
  expect((await again.request.get('/admin', { maxRedirects: 0 })).status()).toBe(403);

  await page.goto(`/admin/audit?target=${deputy.id}`);
  const changes = page.locator(`[data-action="user.role"][data-target="${deputy.id}"]`);
  await expect(changes).toHaveCount(2);
  await expect(changes.first()).toContainText('"role":"BUYER"');
  await Promise.all([admin.close(), deputyCtx.close(), again.close()]);
});

test('hiding a product takes it off the storefront within seconds, with the reason kept for the seller', async ({
  browser,
  request,
}) => {
  const word = `moderationprobe${tag()}`;
  // Also its id: ids are [a-z0-9], so the admin forms accept it.
  const slug = `adminhide${tag()}`;
  await sql(
    `INSERT INTO "Product" (id, "sellerId", "categoryId", slug, title, description, price, stock, "updatedAt")
     SELECT $1, "sellerId", "categoryId", $1, $2, 'A listing for the moderation test.', 1500000, 4, now()
     FROM "Product" WHERE status = 'ACTIVE' ORDER BY slug LIMIT 1`,
    [slug, `Brass Lamp ${word}`],
  );
  const found = async () =>
    ((await (await request.get(`/api/products?q=${word}`)).json()) as { items: { slug: string }[] }).items.map(
      (i) => i.slug,
    );
  try {
    expect((await request.get(`/p/${slug}`)).status()).toBe(200);
    await expect.poll(found, { timeout: 10_000 }).toContain(slug);

    const admin = await signedInAdmin(browser);
    const page = await admin.newPage();
    await page.goto(`/admin/products?q=${slug}`);
    const row = page.getByTestId('product-row').filter({ hasText: word });
    await row.getByLabel(/Reason for hiding/).fill('Counterfeit brand markings');
    await row.getByRole('button', { name: 'Hide' }).click();
    await expect(page.getByTestId('admin-flash')).toContainText('hidden from the storefront');
    await expect(row.getByTestId('product-status')).toHaveText('HIDDEN');
    await expect(row.getByTestId('product-reason')).toHaveText('Reason: Counterfeit brand markings');
    expect((await sql(`SELECT "moderationReason" FROM "Product" WHERE slug = $1`, [slug]))[0]).toEqual({
      moderationReason: 'Counterfeit brand markings',
    });

    // The seller sees it hidden, with the reason, on /sell (and cannot put it back on sale).
    const [owner] = await sql<{ email: string }>(
      `SELECT u.email FROM "User" u JOIN "Product" p ON p."sellerId" = u.id WHERE p.slug = $1`,
      [slug],
    );
    const seller = await signedIn(browser, owner!.email, DEMO_PASSWORD);
    const sellerPage = await seller.newPage();
    await sellerPage.goto('/sell');
    await expect(sellerPage.locator(`tr[data-product-id="${slug}"]`)).toContainText(
      'Hidden by moderation (Counterfeit brand markings)',
    );
    const sellerRestore = await seller.request.post(`/api/products/${slug}/restore`, { data: {} });
    expect(sellerRestore.status()).toBe(409);
    await seller.close();

    // The catalog gate reloads every 2 s; search reads the database at once.
    await expect.poll(async () => (await request.get(`/p/${slug}`)).status(), { timeout: 6_000 }).toBe(410);
    await expect.poll(found, { timeout: 10_000 }).not.toContain(slug);

    await page.goto('/admin/audit');
    await expect(page.locator(`[data-action="product.hide"][data-target="${slug}"]`)).toContainText(
      'Counterfeit brand markings',
    );

    // Restore brings it back.
    await page.goto(`/admin/products?q=${slug}&status=HIDDEN`);
    await page.getByTestId('product-row').filter({ hasText: word }).getByRole('button', { name: 'Restore' }).click();
    await expect(page.getByTestId('admin-flash')).toContainText('back on the storefront');
    await expect.poll(async () => (await request.get(`/p/${slug}`)).status(), { timeout: 6_000 }).toBe(200);
    await page.goto('/admin/audit');
    await expect(page.locator(`[data-action="product.restore"][data-target="${slug}"]`)).toBeVisible();
    await admin.close();
  } finally {
    await sql(`DELETE FROM "Product" WHERE slug = $1`, [slug]);
  }
});

test('demoting a seller closes their store: refused while an order is open, then their products leave the storefront', async ({
  browser,
  request,
}) => {
  const seller = await register(request, 'closing');
  const word = `closureprobe${tag()}`;
  const handle = `closing-${tag()}`;
  // Also their ids: ids are [a-z0-9], so the admin forms and checkout accept them.
  const slug = `demoteactive${tag()}`;
  const draft = `demotedraft${tag()}`;
  await sql(`UPDATE "User" SET role = 'SELLER' WHERE id = $1`, [seller.id]);
  await sql(`UPDATE "Profile" SET "storeName" = $2, handle = $3 WHERE "userId" = $1`, [
    seller.id,
    `Closing Store ${word}`,
    handle,
  ]);
  for (const [id, status] of [
    [slug, 'ACTIVE'],
    [draft, 'DRAFT'],
  ]) {
    await sql(
      `INSERT INTO "Product" (id, "sellerId", "categoryId", slug, title, description, price, stock, status, "updatedAt")
       SELECT $1, $2, id, $1, $3, 'A listing for the store closure test.', 900000, 5, $4::"ProductStatus", now()
       FROM "Category" ORDER BY slug LIMIT 1`,
      [id, seller.id, `Sisal Basket ${word} ${status}`, status],
    );
  }
  const found = async () =>
    ((await (await request.get(`/api/products?q=${word}`)).json()) as { items: { slug: string }[] }).items.map(
      (i) => i.slug,
    );
  // The search page with its first results in the HTML (as shared and crawled).
  const searchPage = async () => (await request.get(`/search?q=${word}`)).text();
  const buyer = await register(request, 'closing-buyer');
  const shopper = await signedIn(browser, buyer.email);
  const checkout = () =>
    shopper.request.post('/api/orders', {
      data: { items: [{ productId: slug, quantity: 1 }], delivery: { location: 'Westlands', phone: '0712345678' } },
    });
  const admin = await signedInAdmin(browser);
  try {
    // On sale: its page, its store, search, and a buyer's order (left open).
    expect((await request.get(`/p/${slug}`)).status()).toBe(200);
    expect((await request.get(`/s/${handle}`)).status()).toBe(200);
    await expect.poll(found, { timeout: 10_000 }).toContain(slug);
    expect(await searchPage()).toContain(`href="/p/${slug}"`);
    const placed = await checkout();
    expect(placed.status()).toBe(201);
    const orderId = ((await placed.json()) as { orders: { id: string }[] }).orders[0]!.id;

    // The demotion is refused on the page while that order is open; nothing changes.
    const page = await admin.newPage();
    const setRole = async (role: string) => {
      await page.goto(`/admin/users?q=${encodeURIComponent(seller.email)}`);
      const row = page.getByTestId('user-row').filter({ hasText: seller.email });
      await row.getByLabel(`Role for ${seller.email}`).selectOption(role);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/admin/users')),
        row.getByRole('button', { name: 'Change role' }).click(),
      ]);
      return answer.status();
    };
    expect(await setRole('BUYER')).toBe(409);
    await expect(page.getByTestId('admin-error')).toContainText(
      `Closing Store ${word} has 1 open order (pending, confirmed or shipped)`,
    );
    await expect(page.getByTestId('user-row').filter({ hasText: seller.email }).getByTestId('user-role')).toHaveText(
      'SELLER',
    );
    expect(await sql(`SELECT status FROM "Product" WHERE id = $1`, [slug])).toEqual([{ status: 'ACTIVE' }]);

    // Once the order is cancelled the demotion goes through and closes the store.
    expect((await formPost(admin.request, `/admin/orders/${orderId}`, { status: 'CANCELLED' })).status()).toBe(303);
    expect(await setRole('BUYER')).toBe(303);
    await expect(page.getByTestId('admin-flash')).toContainText('their store is closed');
    await expect(page.getByTestId('user-row').filter({ hasText: seller.email }).getByTestId('user-role')).toHaveText(
      'BUYER',
    );
    expect(
      await sql(`SELECT id, status, "moderationReason" FROM "Product" WHERE "sellerId" = $1 ORDER BY id`, [seller.id]),
    ).toEqual([
      { id: slug, status: 'HIDDEN', moderationReason: 'Store closed: seller role removed' },
      { id: draft, status: 'DRAFT', moderationReason: null },
    ]);

    // Off the storefront: 410 for the product page and the store within the gate's refresh, out of search,
    // and a cart from before cannot buy it.
    // Each server worker refreshes its own gate, so poll every check (meanwhile the page is a 404, never on sale).
    await expect.poll(async () => (await request.get(`/p/${slug}`)).status(), { timeout: 6_000 }).toBe(410);
    await expect.poll(async () => (await request.get(`/s/${handle}`)).status(), { timeout: 6_000 }).toBe(410);
    const visitor = await browser.newPage({ baseURL: SITE });
    await expect(async () => expect((await visitor.goto(`/p/${slug}`))?.status()).toBe(410)).toPass({
      timeout: 6_000,
    });
    await expect(visitor.getByRole('heading', { level: 1 })).toHaveText('This piece is no longer available');
    await visitor.close();
    await expect.poll(found, { timeout: 12_000 }).not.toContain(slug);
    expect(await searchPage()).not.toContain(`href="/p/${slug}"`);
    const refused = await checkout();
    expect(refused.status()).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('no longer for sale');

    // The audit log has the role change (with the count) and the hide, by the admin.
    await page.goto(`/admin/audit?target=${seller.id}`);
    const roleEntry = page.locator(`[data-action="user.role"][data-target="${seller.id}"]`);
    await expect(roleEntry).toContainText('"productsHidden":1');
    await expect(roleEntry).toContainText(ACCOUNTS.admin);
    await page.goto(`/admin/audit?target=${slug}`);
    await expect(page.locator(`[data-action="product.hide"][data-target="${slug}"]`)).toContainText(
      'Store closed: seller role removed',
    );

    // A seller again: the store reopens with the product it closed on.
    expect(await setRole('SELLER')).toBe(303);
    await expect(page.getByTestId('admin-flash')).toContainText('their store is open again');
    await expect.poll(async () => (await request.get(`/p/${slug}`)).status(), { timeout: 6_000 }).toBe(200);
    expect(await sql(`SELECT status FROM "Product" WHERE id = $1`, [draft])).toEqual([{ status: 'DRAFT' }]);
  } finally {
    await Promise.all([admin.close(), shopper.close()]);
    await sql(`DELETE FROM "Order" WHERE "sellerId" = $1`, [seller.id]);
    await sql(`DELETE FROM "Product" WHERE "sellerId" = $1`, [seller.id]);
  }
});

test('an admin moves an order through the lifecycle; a forbidden move is refused; both show in the audit log', async ({
  browser,
}) => {
  const id = `adminorder${tag()}`;
  const [p] = await sql<{ id: string; sellerId: string; price: number; title: string }>(
    `SELECT id, "sellerId", price, title FROM "Product" WHERE status = 'ACTIVE' ORDER BY slug LIMIT 1`,
  );
  const [buyer] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [ACCOUNTS.buyer]);
  await sql(
    `INSERT INTO "Order" (id, number, reference, "buyerId", "sellerId", status, subtotal, total, "deliveryLocation", "deliveryPhone", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, 'PENDING', $6, $6, 'Westlands', '+254712345678', now())`,
    [id, `SOKO-E2E-${id}`, `CHK-E2E-${id}`, buyer!.id, p!.sellerId, p!.price],
  );
  await sql(
    `INSERT INTO "OrderItem" (id, "orderId", "productId", "sellerId", quantity, "unitPrice", title)
     VALUES ($1, $1, $2, $3, 1, $4, $5)`,
    [id, p!.id, p!.sellerId, p!.price, p!.title],
  );
  const admin = await signedInAdmin(browser);
  try {
    const page = await admin.newPage();
    await page.goto(`/admin/orders?status=PENDING`);
    await page.getByRole('link', { name: `SOKO-E2E-${id}` }).click();
    await expect(page).toHaveURL(`/admin/orders/${id}`);
    await expect(page.getByTestId('order-status')).toHaveText('PENDING');
    await page.getByLabel('New status').selectOption('CONFIRMED');
    await page.getByLabel('Note (optional)').fill('Confirmed with the buyer by phone');
    await page.getByRole('button', { name: 'Change status' }).click();
    await expect(page.getByTestId('admin-flash')).toContainText('order status was changed');
    await expect(page.getByTestId('order-status')).toHaveText('CONFIRMED');
    await expect(page.getByTestId('order-events')).toContainText('PENDING → CONFIRMED');
    // Only the moves the lifecycle allows are offered.
    await expect(page.getByLabel('New status').locator('option')).toHaveText(['shipped', 'cancelled']);

    // A move the lifecycle forbids, posted by hand, is a 409 page with the reason.
    const refused = await formPost(admin.request, `/admin/orders/${id}`, { status: 'DELIVERED' });
    expect(refused.status()).toBe(409);
    expect(await refused.text()).toContain('An order that is CONFIRMED cannot become DELIVERED');

    await page.goto(`/admin/audit?target=${id}`);
    await expect(page.getByTestId('audit-row')).toHaveCount(1);
    await expect(page.locator(`[data-action="order.status"][data-target="${id}"]`)).toContainText(
      'Confirmed with the buyer by phone',
    );

    // Status filter and date range (Nairobi days, both ends included).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Nairobi' }).format(new Date());
    await page.goto(`/admin/orders?status=CONFIRMED&seller=${p!.sellerId}&from=${today}&to=${today}`);
    await expect(page.getByRole('link', { name: `SOKO-E2E-${id}` })).toBeVisible();
    await page.goto(`/admin/orders?status=PENDING&seller=${p!.sellerId}`);
    await expect(page.getByRole('link', { name: `SOKO-E2E-${id}` })).toHaveCount(0);

    // The same admin through the JSON API: also an admin action, also audited.
    const shipped = await admin.request.patch(`/api/orders/${id}/status`, {
      data: { status: 'SHIPPED', note: 'Handed to the rider' },
    });
    expect(shipped.status()).toBe(200);
    await page.goto(`/admin/audit?target=${id}`);
    await expect(page.getByTestId('audit-row')).toHaveCount(2);
    // jsonb orders keys its own way: check the parts.
    const apiEntry = page.getByTestId('audit-row').first();
    await expect(apiEntry).toContainText('"status":"SHIPPED"');
    await expect(apiEntry).toContainText('"note":"Handed to the rider"');
  } finally {
    await admin.close();
    await sql(`DELETE FROM "Order" WHERE id = $1`, [id]);
  }
});

test('an admin cannot demote or suspend themselves, so the last admin stays', async ({ browser }) => {
  const admin = await signedInAdmin(browser);
  const [me] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [ACCOUNTS.admin]);
  const demote = await formPost(admin.request, '/admin/users', { action: 'role', userId: me!.id, role: 'BUYER' });
  expect(demote.status()).toBe(409);
  expect(await demote.text()).toContain('You cannot change your own role');
  const suspend = await formPost(admin.request, '/admin/users', { action: 'suspend', userId: me!.id });
  expect(suspend.status()).toBe(409);
  expect(await suspend.text()).toContain('You cannot suspend or reactivate yourself');
  expect(await sql(`SELECT role, status FROM "User" WHERE id = $1`, [me!.id])).toEqual([
    { role: 'ADMIN', status: 'ACTIVE' },
  ]);
  // The page offers no controls on your own row.
  const page = await admin.newPage();
  await page.goto(`/admin/users?q=${encodeURIComponent(ACCOUNTS.admin)}`);
  const own = page.getByTestId('user-row').filter({ hasText: ACCOUNTS.admin });
  await expect(own).toContainText('You (ask another admin');
  await expect(own.getByRole('button')).toHaveCount(0);
  await admin.close();
});

test('admin forms refuse cross-site posts; pages are private, validated and paginated with stable URLs', async ({
  browser,
  request,
}) => {
  const target = await register(request, 'csrf');
  const admin = await signedInAdmin(browser);
  for (const origin of ['http://evil.example', 'null']) {
    const res = await formPost(admin.request, '/admin/users', { action: 'suspend', userId: target.id }, origin);
    expect(res.status()).toBe(403);
  }
  const noOrigin = await admin.request.post('/admin/users', {
    form: { action: 'suspend', userId: target.id },
    maxRedirects: 0,
  });
  expect(noOrigin.status()).toBe(403);
  expect(await sql(`SELECT status FROM "User" WHERE id = $1`, [target.id])).toEqual([{ status: 'ACTIVE' }]);

  // The same post from the site itself works: 303 back to the page with a flash.
  const ok = await formPost(admin.request, '/admin/users?role=BUYER', { action: 'suspend', userId: target.id });
  expect(ok.status()).toBe(303);
  expect(ok.headers().location).toBe('/admin/users?role=BUYER&done=suspended');
  expect(ok.headers()['cache-control']).toBe('private, no-store');

  for (const path of ['/admin', '/admin/users', '/admin/products', '/admin/orders', '/admin/audit']) {
    const res = await admin.request.get(path);
    expect(res.status(), path).toBe(200);
    expect(res.headers()['cache-control'], path).toBe('private, no-store');
  }
  const bad = await admin.request.get('/admin/users?page=0');
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain('Invalid query.page');

  const page = await admin.newPage();
  await page.goto('/admin/products?status=ACTIVE');
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(page).toHaveURL('/admin/products?status=ACTIVE&page=2');
  await expect(page.getByText(/^Page 2 of \d+$/)).toBeVisible();
  const statuses = await page.getByTestId('product-status').allTextContents();
  expect(statuses).toHaveLength(25);
  expect(new Set(statuses)).toEqual(new Set(['ACTIVE']));
  await page.goto('/admin/users?role=SELLER');
  expect(new Set(await page.getByTestId('user-role').allTextContents())).toEqual(new Set(['SELLER']));

  await page.goto('/admin');
  await expect(page.getByTestId('admin-metrics')).toContainText('Gross merchandise value');
  await expect(page.getByTestId('metric-gmv')).toHaveText(/Ksh/);
  await admin.close();
});

test('order pages follow "Next page" with the filters kept in the URL and no order shown twice', async ({
  browser,
}) => {
  // A store of its own with 28 pending and 4 cancelled orders, in three groups of equal timestamps,
  // so page boundaries fall between orders placed at the same instant (ordered by id then).
  const t = tag();
  const sellerId = `pagerseller${t}`;
  await sql(
    `INSERT INTO "User" (id, email, name, role, "passwordHash", "updatedAt")
     VALUES ($1, $2, 'Pager Seller', 'SELLER', 'not-a-real-hash', now())`,
    [sellerId, `${sellerId}@example.com`],
  );
  await sql(
    `INSERT INTO "Profile" (id, "userId", "displayName", "storeName", handle, "updatedAt")
     VALUES ($1, $1, 'Pager Seller', $2, $3, now())`,
    [sellerId, `Pager Store ${t}`, `pager-${t}`],
  );
  const [buyer] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [ACCOUNTS.buyer]);
  await sql(
    `INSERT INTO "Order" (id, number, reference, "buyerId", "sellerId", status, subtotal, total,
                          "deliveryLocation", "deliveryPhone", "createdAt", "updatedAt")
     SELECT $1 || lpad(n::text, 2, '0'), 'SOKO-PAGER-' || $1 || '-' || lpad(n::text, 2, '0'), 'CHK-PAGER-' || $1,
            $2, $3, (CASE WHEN n % 8 = 0 THEN 'CANCELLED' ELSE 'PENDING' END)::"OrderStatus", 100000, 100000,
            'Westlands', '+254712345678', now() - (n % 3) * interval '1 second', now()
     FROM generate_series(1, 32) AS n`,
    [`pagerorder${t}n`, buyer!.id, sellerId],
  );
  const rows = await sql<{ id: string; number: string }>(
    `SELECT id, number FROM "Order" WHERE "sellerId" = $1 AND status = 'PENDING' ORDER BY "createdAt" DESC, id DESC`,
    [sellerId],
  );
  const expected = rows.map((r) => r.number);
  expect(expected).toHaveLength(28);
  const admin = await signedInAdmin(browser);
  try {
    const page = await admin.newPage();
    const shown = async () => {
      const rows = page.getByTestId('order-row');
      expect(new Set(await rows.getByTestId('order-status').allTextContents())).toEqual(new Set(['PENDING']));
      return rows.locator('td:first-child a').allTextContents();
    };
    await page.goto(`/admin/orders?status=PENDING&seller=${sellerId}`);
    const first = await shown();
    expect(first).toEqual(expected.slice(0, 25));
    await expect(page.getByRole('link', { name: 'First page' })).toHaveCount(0);

    await page.getByRole('link', { name: 'Next page' }).click();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/admin/orders');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'PENDING',
      seller: sellerId,
      // The last order of page 1: the next page starts after it.
      cursor: rows[24]!.id,
    });
    const second = await shown();
    expect(second).toEqual(expected.slice(25));
    expect(new Set([...first, ...second]).size).toBe(28);
    // The filters stay on the form too, and the last page offers no next one.
    await expect(page.getByLabel('Status')).toHaveValue('PENDING');
    await expect(page.getByLabel('Store')).toHaveValue(sellerId);
    await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);

    // A stable URL: opened again (bookmarked, shared), it shows the same page.
    await page.goto(url.pathname + url.search);
    expect(await shown()).toEqual(second);
    await page.getByRole('link', { name: 'First page' }).click();
    await expect(page).toHaveURL(`/admin/orders?status=PENDING&seller=${sellerId}`);
    expect(await shown()).toEqual(first);
  } finally {
    await admin.close();
    await sql(`DELETE FROM "Order" WHERE "sellerId" = $1`, [sellerId]);
    await sql(`DELETE FROM "User" WHERE id = $1`, [sellerId]);
  }
});

test('audit pages: "Next page" goes to page=2 with the target filter kept, and every entry shows once', async ({
  browser,
}) => {
  // 55 entries on one target (50 per page), all at the same instant: their order is decided by id.
  const target = `pagertarget${tag()}`;
  const [me] = await sql<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, [ACCOUNTS.admin]);
  await sql(
    `INSERT INTO "AuditLog" (id, "actorId", action, "targetType", "targetId", after)
     SELECT $1 || lpad(n::text, 2, '0'), $2, 'e2e.pager', 'user', $1, jsonb_build_object('n', n)
     FROM generate_series(1, 55) AS n`,
    [target, me!.id],
  );
  const admin = await signedInAdmin(browser);
  try {
    const page = await admin.newPage();
    const shown = () => page.locator('[data-testid="audit-row"] td:nth-child(6) pre').allTextContents();
    await page.goto(`/admin/audit?target=${target}`);
    await expect(page.getByTestId('result-count')).toHaveText('55 actions');
    await expect(page.getByText(/^Page 1 of 2$/)).toBeVisible();
    const first = await shown();
    expect(first).toHaveLength(50);

    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL(`/admin/audit?target=${target}&page=2`);
    await expect(page.getByText(/^Page 2 of 2$/)).toBeVisible();
    const second = await shown();
    expect(second).toHaveLength(5);
    const all = [...first, ...second];
    // Newest first, ties by id (descending): n = 55 down to 1, none twice, none missing.
    expect(all).toEqual(Array.from({ length: 55 }, (_, i) => `{"n":${55 - i}}`));
    await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);

    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect(page).toHaveURL(`/admin/audit?target=${target}&page=1`);
    expect(await shown()).toEqual(first);

    // The whole log pages the same way.
    await page.goto('/admin/audit');
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL('/admin/audit?page=2');
    await expect(page.getByText(/^Page 2 of \d+$/)).toBeVisible();
    await expect(page.getByTestId('audit-row').first()).toBeVisible();
  } finally {
    await admin.close();
    await sql(`DELETE FROM "AuditLog" WHERE "targetId" = $1`, [target]);
  }
});

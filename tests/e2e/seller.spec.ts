// Seller dashboard, store editing, product management and reviews against the
// built server on PostgreSQL, in Chromium.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { ACCOUNTS, signIn } from './support/auth.ts';
import { sql } from './support/db.ts';
import { hydrated } from './support/islands.ts';

/** A seller the other specs leave alone, so editing its store disturbs nothing. */
const EDITOR = 'nyumba@demo.soko.africa';

async function bearer(request: APIRequestContext, email: string) {
  return { Authorization: `Bearer ${(await signIn(request, email)).token}` };
}

test('store patch: strict schema, field-named 400s, unique handle 409, normalized values', async ({ request }) => {
  const auth = await bearer(request, ACCOUNTS.seller);
  const [other] = await sql<{ handle: string }>(
    `SELECT p.handle FROM "Profile" p JOIN "User" u ON u.id = p."userId" WHERE u.email = $1`,
    [ACCOUNTS.otherSeller],
  );
  const cases: [unknown, number, string][] = [
    [{ handle: 'Has Space' }, 400, 'body.handle'],
    [{ handle: 'admin' }, 400, 'body.handle'],
    [{ location: 'Narnia' }, 400, 'body.location'],
    [{ phone: '12345' }, 400, 'body.phone'],
    [{ description: 'x'.repeat(2001) }, 400, 'body.description'],
    [{ userId: 'someone-else' }, 400, 'body'],
    [{ handle: other!.handle }, 409, ''],
  ];
  for (const [data, status, path] of cases) {
    const res = await request.patch('/api/stores/me', { headers: auth, data });
    expect(res.status(), JSON.stringify(data)).toBe(status);
    const body = (await res.json()) as {
      error: { code: string; message: string; details?: { issues?: { path: string }[]; field?: string } };
    };
    if (status === 400) {
      expect(body.error.code).toBe('VALIDATION_FAILED');
      expect(body.error.details!.issues!.map((i) => i.path).join(' ')).toContain(path);
    } else {
      expect(body.error).toMatchObject({ code: 'CONFLICT', details: { field: 'handle' } });
    }
  }
  const form = await request.patch('/api/stores/me', {
    headers: { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' },
    data: 'description=csrf',
  });
  // the cross-site check refuses form-like bodies without our Origin before the route runs.
  expect(form.status()).toBe(403);

  const ok = await request.patch('/api/stores/me', { headers: auth, data: { phone: '0712 345 678' } });
  expect(ok.status()).toBe(200);
  expect(((await ok.json()) as { store: { phone: string } }).store.phone).toBe('+254712345678');
});

test('product create, edit, archive and restore over HTTP with field errors', async ({ request }) => {
  const auth = await bearer(request, ACCOUNTS.seller);
  const bad = await request.post('/api/products', {
    headers: auth,
    data: { title: 'Ring', description: 'A lovely ring.', categorySlug: 'jewellery', priceKES: -5, stock: 1 },
  });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('body.priceKES');

  const created = await request.post('/api/products', {
    headers: auth,
    data: {
      title: 'Brass cuff, hammered',
      description: 'Hand-hammered brass cuff from Westlands.',
      categorySlug: 'jewellery',
      priceKES: 4500.5,
      stock: 2,
    },
  });
  expect(created.status()).toBe(201);
  const { product } = (await created.json()) as { product: { id: string; slug: string; price: number } };
  expect(product.price).toBe(450_050);
  const edited = await request.patch(`/api/products/${product.id}`, { headers: auth, data: { stock: 0 } });
  expect(((await edited.json()) as { product: { stock: number } }).product.stock).toBe(0);
  const archived = await request.delete(`/api/products/${product.id}`, { headers: auth, data: {} });
  expect(((await archived.json()) as { product: { status: string } }).product.status).toBe('ARCHIVED');
  const restored = await request.post(`/api/products/${product.id}/restore`, { headers: auth, data: {} });
  expect(((await restored.json()) as { product: { status: string } }).product.status).toBe('ACTIVE');
  // Created after the build, so the on-demand route serves it.
  const page = await request.get(`/p/${product.slug}`);
  expect(page.status()).toBe(200);
  expect(await page.text()).toContain('Brass cuff, hammered');
});

test('reviews: only after delivery, one per buyer (a second post edits), escaped, newest first', async ({
  request,
  page,
}) => {
  const [delivered] = await sql<{ productId: string; slug: string; email: string }>(
    `SELECT oi."productId", p.slug, u.email
       FROM "OrderItem" oi JOIN "Order" o ON o.id = oi."orderId" JOIN "User" u ON u.id = o."buyerId"
       JOIN "Product" p ON p.id = oi."productId"
      WHERE o.status = 'DELIVERED' AND p.status = 'ACTIVE' ORDER BY p.slug LIMIT 1`,
  );
  const [undelivered] = await sql<{ id: string }>(
    `SELECT p.id FROM "Product" p WHERE p.status = 'ACTIVE' AND NOT EXISTS (
        SELECT 1 FROM "OrderItem" oi JOIN "Order" o ON o.id = oi."orderId" JOIN "User" u ON u.id = o."buyerId"
         WHERE oi."productId" = p.id AND o.status = 'DELIVERED' AND u.email = $1) LIMIT 1`,
    [delivered!.email],
  );
  const auth = await bearer(request, delivered!.email);
  const url = `/api/products/${delivered!.productId}/reviews`;

  const notYet = await request.post(`/api/products/${undelivered!.id}/reviews`, {
    headers: auth,
    data: { rating: 5, body: 'Not delivered yet' },
  });
  expect(notYet.status()).toBe(403);
  expect((await request.post(url, { headers: auth, data: { rating: 6 } })).status()).toBe(400);
  expect((await request.post(url, { headers: auth, data: { rating: 4, body: 'x'.repeat(2001) } })).status()).toBe(400);

  const body = '<img src=x onerror=alert(1)> Lovely glaze';
  const first = await request.post(url, { headers: auth, data: { rating: 4, body } });
  expect([200, 201]).toContain(first.status()); // 200 when the seed already had this buyer's review
  const second = await request.post(url, { headers: auth, data: { rating: 2, body } });
  expect(second.status()).toBe(200);
  const mine = await sql<{ rating: number }>(
    `SELECT r.rating FROM "Review" r JOIN "User" u ON u.id = r."authorId" WHERE r."productId" = $1 AND u.email = $2`,
    [delivered!.productId, delivered!.email],
  );
  expect(mine).toEqual([{ rating: 2 }]);

  const list = await request.get(`${url}?limit=50`);
  const { items } = (await list.json()) as { items: { body: string; createdAt: string }[] };
  const times = items.map((i) => i.createdAt);
  expect(times).toEqual([...times].sort().reverse());
  expect((await request.get(`${url}?limit=0`)).status()).toBe(400);

  // On the product page (rendered on demand: the review changed its aggregate) the text is shown, not run.
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Within the catalog gate's 2 s refresh the page is rendered on demand with the new review.
  await expect(async () => {
    const res = await page.goto(`/p/${delivered!.slug}`);
    expect(res!.status()).toBe(200);
    await expect(page.locator('#reviews')).toContainText('<img src=x onerror=alert(1)> Lovely glaze', {
      timeout: 500,
    });
  }).toPass({ timeout: 10_000 });
  expect(dialogs).toEqual([]);

  // The buyer edits the review from the product page; the page shows the new text on the next load.
  await signIn(page.request, delivered!.email);
  await page.goto(`/p/${delivered!.slug}`);
  await page.getByText('Write a review').click();
  const form = page.getByTestId('review-form');
  await form.getByLabel('5 stars').check();
  await form.getByLabel('Your review (optional)').fill('Second thoughts: even better in daylight.');
  await form.getByRole('button', { name: 'Post review' }).click();
  await expect(form.getByRole('status')).toHaveText('Your review is updated.');
  await page.reload();
  await expect(page.locator('#reviews')).toContainText('Second thoughts: even better in daylight.');
  expect(dialogs).toEqual([]);
});

test('a seller edits description and location by keyboard in the popover; the public page shows it', async ({
  page,
}) => {
  await signIn(page.request, EDITOR);
  await page.goto('/sell');
  await expect(page.getByTestId('seller-area')).toBeVisible();
  const editor = page.getByTestId('store-editor');
  const editDescription = editor.getByRole('button', { name: 'Edit description' });
  const description = `Stoneware from Loresho, fired at ${Date.now() % 100000} degrees.\nVisit by appointment.`;
  const [first, second] = description.split('\n');

  await hydrated(editor);
  await editDescription.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Edit description' })).toBeVisible();
  // Radix moves focus into the editor.
  const textarea = page.getByRole('textbox', { name: 'Description' });
  await expect(textarea).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(first!);
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type(second!);
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('store-status')).toHaveText('Description saved.');
  await expect(editor.getByTestId('store-description')).toContainText(first!);
  // Focus returns to the button that opened the editor.
  await expect(editDescription).toBeFocused();

  // Location: open with the keyboard, choose by typing, Tab to Save, Enter.
  const editLocation = editor.getByRole('button', { name: 'Edit location' });
  await editLocation.focus();
  await page.keyboard.press('Enter');
  const select = page.getByRole('combobox', { name: 'Location' });
  await expect(select).toBeFocused();
  await page.keyboard.type('Kitisuru');
  await expect(select).toHaveValue('Kitisuru');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Save' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('store-status')).toHaveText('Location saved.');
  await expect(editor.getByTestId('store-location')).toHaveText('Kitisuru');

  // A refused value is rolled back and the reason shown beside the field.
  const editHandle = editor.getByRole('button', { name: 'Edit store address' });
  const handleBefore = (await editor.getByTestId('store-handle').textContent())!;
  await editHandle.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('no spaces allowed');
  await page.keyboard.press('Enter');
  await expect(editor.getByTestId('store-handle-error')).toContainText('Store address may use lower-case letters');
  await expect(editor.getByTestId('store-handle')).toHaveText(handleBefore);
  // Escape closes an editor and keeps the stored value.
  await editHandle.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The public page (pre-rendered at build) shows the edit within the gate's refresh.
  await expect(async () => {
    await page.goto(`/s/${handleBefore}`);
    await expect(page.getByTestId('store-description')).toContainText(second!, { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(page.getByTestId('store-description')).toContainText(first!);
  await expect(page.getByTestId('store-location')).toHaveText('Kitisuru');
  await expect(page.getByTestId('whatsapp-store')).toHaveAttribute('href', /^https:\/\/wa\.me\/\d+\?text=/);
});

test('/sell shows metrics from real data and has no serious or critical accessibility violations', async ({ page }) => {
  await signIn(page.request, ACCOUNTS.seller);
  const res = await page.goto('/sell');
  expect(res!.headers()['cache-control']).toBe('private, no-store');
  const [expected] = await sql<{ total: string }>(
    `SELECT COALESCE(SUM(o.total), 0)::text AS total FROM "Order" o JOIN "User" u ON u.id = o."sellerId"
      WHERE u.email = $1 AND o.status IN ('CONFIRMED', 'SHIPPED', 'DELIVERED')`,
    [ACCOUNTS.seller],
  );
  const kes = new Intl.NumberFormat('en-KE', { style: 'currency', currency: 'KES', maximumFractionDigits: 0 });
  const total = Number(expected!.total);
  if (total % 100 === 0) await expect(page.getByTestId('metric-total-sales')).toHaveText(kes.format(total / 100));
  await expect(page.getByTestId('sales-chart').locator('rect')).toHaveCount(30);
  await expect(page.getByTestId('computed-at')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await expect(page.getByRole('link', { name: 'Your orders', exact: true })).toHaveAttribute('href', '/sell/orders');
  await expect(page.getByTestId('product-manager').locator('tbody tr').first()).toBeVisible();

  const scan = async () => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };
  expect(await scan()).toEqual([]);
  // And with an editor open.
  await hydrated(page.getByTestId('store-editor'));
  await page.getByRole('button', { name: 'Edit description' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  expect(await scan()).toEqual([]);
});

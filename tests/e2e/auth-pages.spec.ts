// Sign up, sign in and sign out in Chromium, with the CSP enforced.
import { randomBytes } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { ACCOUNTS, DEMO_PASSWORD } from './support/auth.ts';

/** Fails the test on any CSP violation or page error: islands must hydrate under the policy. */
function watchForViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return problems;
}

test('sign up as a seller, land on the store page, sign out from the header menu', async ({ page }) => {
  const problems = watchForViolations(page);
  const email = `maker-${randomBytes(4).toString('hex')}@example.com`;
  await page.goto('/');
  await page.getByRole('link', { name: 'Sell on Soko' }).click();
  await expect(page).toHaveURL(/\/signup\?role=seller/);
  const form = page.getByTestId('signup-form');
  await expect(form.getByLabel(/I want to sell on Soko/)).toBeChecked();

  // Inline errors, before and after the server.
  await form.getByLabel('Your name').fill('Achieng Otieno');
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill('short');
  await form.getByRole('button', { name: 'Create seller account' }).click();
  await expect(form.getByText('Password must be at least 8 characters')).toBeVisible();
  await form.getByLabel('Password').fill('password123');
  await form.getByRole('button', { name: 'Create seller account' }).click();
  await expect(form.getByText('Password is too common')).toBeVisible();

  await form.getByLabel('Password').fill('kisumu lakeside gold');
  await form.getByRole('button', { name: 'Create seller account' }).click();
  await expect(page).toHaveURL(/\/sell$/);
  await expect(page.getByTestId('seller-area')).toContainText('Achieng Otieno');

  const menu = page.getByTestId('account-button');
  await expect(menu).toContainText('Achieng');
  await menu.click();
  await expect(page.getByRole('link', { name: 'Your store' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator('header').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('soko_session');
  expect(problems).toEqual([]);
});

test('sign in returns to the page that asked for it; wrong role sees a 403 page', async ({ page }) => {
  const problems = watchForViolations(page);
  await page.goto('/admin');
  await expect(page).toHaveURL(/\/signin\?next=%2Fadmin$/);
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Email').fill(ACCOUNTS.buyer);
  await form.getByLabel('Password').fill('wrong password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('alert')).toHaveText('Email or password is incorrect');

  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByTestId('forbidden')).toContainText("You don't have access to this page");
  const res = await page.request.get('/admin', { maxRedirects: 0 });
  expect(res.status()).toBe(403);

  await page.goto('/account');
  await expect(page.getByTestId('account-role')).toHaveText('Buyer');
  await expect(page.getByTestId('account-button')).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/signin\?next=%2Faccount$/);
  expect(problems).toEqual([]);
});

test('an admin signs in and reaches the admin page', async ({ page }) => {
  await page.goto('/signin?next=/admin');
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Email').fill(ACCOUNTS.admin);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('admin-area')).toBeVisible();
});

test('sign-in never redirects off-site', async ({ page }) => {
  await page.goto('/signin?next=//evil.example/phish');
  const form = page.getByTestId('signin-form');
  await form.getByLabel('Email').fill(ACCOUNTS.seller);
  await form.getByLabel('Password').fill(DEMO_PASSWORD);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:\d+\/$/);
});

test('signing up from a sign-in prompt comes back to the page that asked for it', async ({ page }) => {
  const problems = watchForViolations(page);
  await page.goto('/account/watchlist');
  await expect(page).toHaveURL(/\/signin\?next=%2Faccount%2Fwatchlist$/);
  const toSignUp = page.getByRole('link', { name: 'Create an account' });
  // The island carries ?next= over once hydrated.
  await expect(toSignUp).toHaveAttribute('href', '/signup?next=%2Faccount%2Fwatchlist');
  await toSignUp.click();
  const form = page.getByTestId('signup-form');
  await form.getByLabel('Your name').fill('Baraka Mwangi');
  await form.getByLabel('Email').fill(`buyer-${randomBytes(4).toString('hex')}@example.com`);
  await form.getByLabel('Password').fill('mombasa road at noon');
  await form.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/account\/watchlist$/);
  await expect(page.getByTestId('account-button')).toContainText('Baraka');
  expect(problems).toEqual([]);
});

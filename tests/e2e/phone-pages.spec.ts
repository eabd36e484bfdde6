// Pages on a phone: the budgets that `npm run bench:lighthouse` measures,
// checked on every run in a phone-sized Chromium (the benchmark gives the
// scores; this keeps the causes from coming back): no CSP violation, no layout
// shift, heading levels in order, the first grid row fetched at once, and the
// bytes of a first view.
import { expect, test, type Page } from '@playwright/test';
import pg from 'pg';
import { E2E_PORT } from '../../playwright.config.ts';
import { databaseUrl } from '../helpers/postgres.ts';

const DB_URL = databaseUrl(`soko_e2e_${E2E_PORT}`);
const KB = 1024;
// Lighthouse measured 77-91 KB of JavaScript on these pages; 22 KB of zod on
// every page had taken it to 99-113 KB.
const JS_BUDGET = 100 * KB;
const PRODUCT_PAGE_BUDGET = 150 * KB;

test.use({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1.75, isMobile: true, hasTouch: true });

async function pick(sql: string): Promise<string> {
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  try {
    return String(Object.values((await c.query(sql)).rows[0]!)[0]);
  } finally {
    await c.end();
  }
}

interface FirstView {
  csp: string[];
  cls: number;
  jsBytes: number;
  totalBytes: number;
  headings: number[];
}

/** Loads `path` as a first view and reports what the page did. */
async function firstView(page: Page, path: string): Promise<FirstView> {
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[]; __cls: number };
    w.__csp = [];
    w.__cls = 0;
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
        if (!e.hadRecentInput) w.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const res = await page.goto(path);
  expect(res!.status()).toBe(200);
  await page.waitForLoadState('networkidle');
  // Islands hydrate on idle and on visibility: let them all run.
  await page.waitForFunction(() => document.querySelectorAll('astro-island[ssr]:not([client="visible"])').length === 0);
  await page.waitForTimeout(500);
  return page.evaluate(() => {
    const w = window as unknown as { __csp: string[]; __cls: number };
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const js = resources.filter((r) => new URL(r.name).pathname.endsWith('.js'));
    return {
      csp: w.__csp,
      cls: w.__cls,
      jsBytes: js.reduce((n, r) => n + r.transferSize, 0),
      totalBytes: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
      headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1])),
    };
  });
}

function expectHeadingsInOrder(levels: number[]) {
  expect(levels[0]).toBe(1);
  for (let i = 1; i < levels.length; i++)
    expect(levels[i]!, `heading ${i} (h${levels[i]}) after h${levels[i - 1]}`).toBeLessThanOrEqual(levels[i - 1]! + 1);
}

const pages: [string, () => Promise<string>][] = [
  ['home', async () => '/'],
  [
    'category',
    async () =>
      `/c/${await pick(`SELECT c.slug FROM "Category" c JOIN "Product" p ON p."categoryId" = c.id AND p.status = 'ACTIVE'
         GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1`)}`,
  ],
  [
    'product',
    async () =>
      `/p/${await pick(`SELECT p.slug FROM "Product" p WHERE p.status = 'ACTIVE'
         ORDER BY (SELECT count(*) FROM "ProductImage" i WHERE i."productId" = p.id) DESC, p.slug LIMIT 1`)}`,
  ],
  [
    'store',
    async () =>
      `/s/${await pick(`SELECT pr.handle FROM "Profile" pr JOIN "Product" p ON p."sellerId" = pr."userId" AND p.status = 'ACTIVE'
         WHERE pr.handle IS NOT NULL GROUP BY pr.handle ORDER BY count(*) DESC, pr.handle LIMIT 1`)}`,
  ],
];

for (const [name, path] of pages) {
  test(`${name} page on a phone: no CSP violation, no layout shift, headings in order, JS within budget`, async ({
    page,
  }) => {
    const url = await path();
    const v = await firstView(page, url);
    expect(v.csp, 'CSP violations').toEqual([]);
    expect(v.cls).toBeLessThan(0.02);
    expectHeadingsInOrder(v.headings);
    expect(v.jsBytes).toBeGreaterThan(0);
    expect(v.jsBytes, `JavaScript bytes on ${url}`).toBeLessThan(JS_BUDGET);
    if (name === 'product') expect(v.totalBytes, `bytes of a first view of ${url}`).toBeLessThan(PRODUCT_PAGE_BUDGET);
    // The header islands hydrate (on idle) and still work.
    await expect(page.locator('[data-cart-link]')).toHaveAttribute('href', '/cart');
    await expect(page.locator('astro-island:has([data-account-link])')).not.toHaveAttribute('ssr');
  });
}

test('the first row of a category grid is fetched at once; the rest wait', async ({ page }) => {
  const slug =
    await pick(`SELECT c.slug FROM "Category" c JOIN "Product" p ON p."categoryId" = c.id AND p.status = 'ACTIVE'
    GROUP BY c.slug HAVING count(*) > 4 ORDER BY c.slug LIMIT 1`);
  // The HTML itself, as the browser's preload scanner sees it (before React re-renders the grid).
  const html = await (await page.request.get(`/c/${slug}`)).text();
  const imgs = [...html.matchAll(/<img (?![^>]*pimg-lqip)[^>]*src="\/api\/images\/[^>]*>/g)].map((m) => m[0]);
  expect(imgs.length).toBeGreaterThan(4);
  for (const img of imgs.slice(0, 2)) {
    expect(img).toContain('loading="eager"');
    expect(img).toMatch(/fetchpriority="high"/i); // React writes fetchPriority (attribute names ignore case)
  }
  expect(imgs[4]).toContain('loading="lazy"');
});

for (const name of ['category', 'store']) {
  test(`the ${name} grid hydrates without painting its first screen again (the LCP stays the server's image)`, async ({
    page,
  }) => {
    const url = await pages.find(([n]) => n === name)![1]();
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: { t: number; row: boolean }[]; __serverImg: Element | null };
      w.__lcp = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as { startTime: number; element: Element | null }[])
          w.__lcp.push({ t: e.startTime, row: !!e.element?.closest('.grid-row') });
      }).observe({ type: 'largest-contentful-paint', buffered: true });
      document.addEventListener('DOMContentLoaded', () => {
        w.__serverImg = document.querySelector('[data-testid=catalog-grid] article img:not(.pimg-lqip)');
      });
    });
    await page.goto(url);
    const island = page.locator('astro-island:has([data-testid=catalog-grid])');
    await expect(island).not.toHaveAttribute('ssr');
    await expect(page.getByTestId('watch-button').first()).not.toHaveAttribute('aria-busy', 'true');
    await page.waitForTimeout(500);
    const seen = await page.evaluate(() => {
      const w = window as unknown as { __lcp: { t: number; row: boolean }[]; __serverImg: Element | null };
      const now = document.querySelector('[data-testid=catalog-grid] article img:not(.pimg-lqip)');
      return { lcp: w.__lcp, same: !!now && now === w.__serverImg };
    });
    // Hydration kept the server's <img> elements, so no later, larger paint replaced the LCP entry.
    expect(seen.same, 'first card image is the element the server sent').toBe(true);
    expect(seen.lcp.length).toBeGreaterThan(0);
    expect(seen.lcp.filter((e) => e.row)).toEqual([]);

    // The first scroll switches to virtualized rows at the same place.
    const before = await page.locator('[data-testid=catalog-grid] article').first().boundingBox();
    await page.mouse.wheel(0, 1);
    await expect(page.locator('[data-testid=catalog-grid] .grid-row article').first()).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, 0));
    const after = await page.locator('[data-testid=catalog-grid] .grid-row article').first().boundingBox();
    expect(Math.abs(after!.y - before!.y)).toBeLessThan(1);
    expect(Math.abs(after!.width - before!.width)).toBeLessThan(1);
  });
}

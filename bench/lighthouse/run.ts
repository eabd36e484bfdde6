// Pages on a phone: Lighthouse (mobile preset: Moto G Power-sized screen,
// simulated slow 4G and 4x CPU slowdown) against the production server
// (server.mjs over a built dist) on the small demo catalog, in Debian's
// Chromium. Home, a category, a product and a store page, each run RUNS times
// after one discarded warm-up run (image variants and the server's compressed
// copies are made on the first request, as on any warm server); the table shows
// the median of each number.
//   npm run bench:lighthouse                 (RUNS=3; --skip-build reuses .data/lighthouse/dist)
// Writes bench/results/lighthouse.json and the median runs' full reports to
// .data/lighthouse/reports/ (open them with the Lighthouse viewer).
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import pg from 'pg';
import { benchSite } from '../load/setup.ts';

const { values: args } = parseArgs({ options: { 'skip-build': { type: 'boolean', default: false } } });
const RUNS = Number(process.env.RUNS ?? 3);
const PORT = Number(process.env.LH_PORT ?? 4520);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  // No internet here: Chromium's own background traffic must be off.
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];
const GOALS = { score: 95, lcpMs: 1500, cls: 0.02, productKb: 150 };

const site = benchSite({
  databaseUrl: process.env.LH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/soko_lh',
  dataDir: '.data/lighthouse',
});
await site.prepare(undefined, { build: args['skip-build'] ? 'never' : 'always' });

// The richest page of each kind: the category and store with the most
// products, the product with the most images and reviews.
const db = new pg.Client({ connectionString: site.databaseUrl });
await db.connect();
const one = async (sql: string) => String(Object.values((await db.query(sql)).rows[0] ?? {})[0]);
const category = await one(
  `SELECT c.slug FROM "Category" c JOIN "Product" p ON p."categoryId" = c.id AND p.status = 'ACTIVE'
   GROUP BY c.slug ORDER BY count(*) DESC, c.slug LIMIT 1`,
);
const product = await one(
  `SELECT p.slug FROM "Product" p WHERE p.status = 'ACTIVE'
   ORDER BY (SELECT count(*) FROM "ProductImage" i WHERE i."productId" = p.id) DESC,
            (SELECT count(*) FROM "Review" r WHERE r."productId" = p.id) DESC, p.slug LIMIT 1`,
);
const store = await one(
  `SELECT pr.handle FROM "Profile" pr JOIN "Product" p ON p."sellerId" = pr."userId" AND p.status = 'ACTIVE'
   WHERE pr.handle IS NOT NULL GROUP BY pr.handle ORDER BY count(*) DESC, pr.handle LIMIT 1`,
);
await db.end();
const pages = [
  { name: 'home', path: '/' },
  { name: 'category', path: `/c/${category}` },
  { name: 'product', path: `/p/${product}` },
  { name: 'store', path: `/s/${store}` },
];

interface Run {
  performance: number;
  accessibility: number;
  bestPractices: number;
  seo: number;
  lcpMs: number;
  cls: number;
  tbtMs: number;
  fcpMs: number;
  totalBytes: number;
  jsBytes: number;
  requests: number;
  /** Audits that did not pass, with their score (0..1), for reading what to fix. */
  failing: string[];
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];
function summarize(lhr: Lhr): Run {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  const num = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
  const items = ((lhr.audits['resource-summary']?.details as { items?: unknown[] } | undefined)?.items ?? []) as {
    resourceType: string;
    transferSize: number;
    requestCount: number;
  }[];
  const of = (type: string) => items.find((i) => i.resourceType === type);
  const failing = Object.values(lhr.categories)
    .flatMap((c) => c.auditRefs.filter((r) => r.weight > 0).map((r) => lhr.audits[r.id]!))
    .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative')
    .map((a) => `${a.id} (${a.score})`);
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    bestPractices: score('best-practices'),
    seo: score('seo'),
    lcpMs: Math.round(num('largest-contentful-paint')),
    cls: Math.round(num('cumulative-layout-shift') * 1000) / 1000,
    tbtMs: Math.round(num('total-blocking-time')),
    fcpMs: Math.round(num('first-contentful-paint')),
    totalBytes: of('total')?.transferSize ?? NaN,
    jsBytes: of('script')?.transferSize ?? 0,
    requests: of('total')?.requestCount ?? NaN,
    failing: [...new Set(failing)],
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const load = { atStart: loadavg()[0]!, atEnd: NaN };
mkdirSync('.data/lighthouse/reports', { recursive: true });
const server = await site.startSoko(PORT, { WEB_CONCURRENCY: '1' }, '.data/lighthouse/server.log');
const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROME_FLAGS });
const results: Record<string, { path: string; median: Omit<Run, 'failing'>; failing: string[]; runs: Run[] }> = {};
try {
  for (const page of pages) {
    const url = `http://127.0.0.1:${PORT}${page.path}`;
    const runs: { run: Run; lhr: Lhr }[] = [];
    for (let i = -1; i < RUNS; i++) {
      const r = await audit(url);
      if (i < 0) continue; // warm-up
      runs.push({ run: summarize(r.lhr), lhr: r.lhr });
      process.stdout.write(`${page.name} run ${i + 1}/${RUNS}: perf ${runs.at(-1)!.run.performance}\n`);
    }
    const keys = Object.keys(runs[0]!.run).filter((k) => k !== 'failing') as (keyof Omit<Run, 'failing'>)[];
    const med = Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r.run[k]))])) as Omit<Run, 'failing'>;
    // The report kept is the run whose performance score is the median one.
    const byPerf = [...runs].sort((a, b) => a.run.performance - b.run.performance);
    const mid = byPerf[Math.floor((byPerf.length - 1) / 2)]!;
    writeFileSync(`.data/lighthouse/reports/${page.name}.json`, JSON.stringify(mid.lhr));
    results[page.name] = { path: page.path, median: med, failing: mid.run.failing, runs: runs.map((r) => r.run) };
  }
} finally {
  await chrome.kill();
  server.kill('SIGTERM');
}
load.atEnd = loadavg()[0]!;

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const rows = Object.entries(results).map(([name, { median: m }]) => ({
  page: name,
  perf: m.performance,
  a11y: m.accessibility,
  'best pr.': m.bestPractices,
  seo: m.seo,
  'LCP ms': m.lcpMs,
  CLS: m.cls,
  'TBT ms': m.tbtMs,
  total: kb(m.totalBytes),
  JS: kb(m.jsBytes),
}));
const meets = (name: string, m: Omit<Run, 'failing'>) =>
  [m.performance, m.accessibility, m.bestPractices, m.seo].every((s) => s >= GOALS.score) &&
  m.lcpMs < GOALS.lcpMs &&
  m.cls <= GOALS.cls &&
  (name !== 'product' || m.totalBytes < GOALS.productKb * 1024);
const out = {
  when: new Date().toISOString(),
  conditions: {
    lighthouse: (await import('lighthouse/package.json', { with: { type: 'json' } })).default.version,
    chromium: (await fetchVersion()) ?? 'unknown',
    preset: 'mobile (default): simulated throttling, 4x CPU, slow 4G',
    runsPerPage: RUNS,
    statistic: 'median of each number over the runs, after one warm-up run',
    cpus: cpus().length,
    loadAverage: load,
    server: 'server.mjs, 1 worker, PostgreSQL, demo catalog',
  },
  goals: GOALS,
  pages: Object.fromEntries(
    Object.entries(results).map(([name, r]) => [name, { ...r, meetsGoals: meets(name, r.median) }]),
  ),
};
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/lighthouse.json', JSON.stringify(out, null, 2) + '\n');
console.table(rows);
for (const [name, r] of Object.entries(out.pages))
  console.log(
    `${name} ${r.path}: ${r.meetsGoals ? 'meets the goals' : `misses: ${r.failing.join(', ') || '(see table)'}`}`,
  );
console.log(`load average ${load.atStart.toFixed(1)} -> ${load.atEnd.toFixed(1)} on ${cpus().length} cores`);
process.exit(0);

/** One Lighthouse run; a broken trace (NO_NAVSTART and the like, seen on a loaded machine) is retried twice. */
async function audit(url: string, tries = 3): Promise<{ lhr: Lhr }> {
  const r = await lighthouse(url, {
    port: chrome.port,
    output: 'json',
    logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
  });
  if (!r) throw new Error(`lighthouse returned nothing for ${url}`);
  const err = r.lhr.runtimeError;
  if (!err) return r;
  if (tries > 1) {
    const alive = await fetch(url).then(
      (res) => res.status,
      (e: Error) => e.message,
    );
    console.warn(`${url}: ${err.code} (server answers ${alive}), running again`);
    return audit(url, tries - 1);
  }
  throw new Error(`${url}: ${err.code} ${err.message}`);
}

async function fetchVersion(): Promise<string | undefined> {
  const { spawnSync } = await import('node:child_process');
  return spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout?.trim() || undefined;
}

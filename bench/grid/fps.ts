// Grid smoothness: frames per second while scrolling the 10,000-product
// catalog in Chromium with 4x CPU throttling (a mid-range phone), with the
// DOM size. Needs the bench build (prepared here, rebuilt when the code changed).
//   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/soko_bench_grid npm run bench:grid
//
// The same scroll loop first runs on a page with nothing to do, under the same
// throttling: its frame rate is what this machine's scroll loop can reach at
// all (the reference for the grid's number, since the machine is shared).
//
// Options (environment):
//   GRID_PATH      page to scroll (default /search?sort=newest)
//   GRID_SECONDS   length of each scroll (default 20)
//   GRID_THROTTLE  CPU slowdown factor (default 4; 6 shows the headroom)
//   GRID_TRACE=1   also record a Chrome trace of the grid run (.data/bench/grid-trace.json)
//                  and print where the renderer's main thread spent its time
//   GRID_PROFILE=1 record a JavaScript CPU profile (.data/bench/grid.cpuprofile) and print
//                  the functions with the most self time
//   GRID_DIST=dir  measure the build in that folder (same database), e.g. one of the previous
//                  code for before/after figures; nothing is prepared or rebuilt
//   GRID_COLD_IMAGES=1 start with an empty image variant cache (a first visit: the server
//                  encodes every card image while the page scrolls, on the same cores)
//   BENCH_SKIP_PREPARE=1 use the bench build as it is
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { OUT_DIR, prepare, startSoko } from '../load/setup.ts';

const PORT = Number(process.env.GRID_PORT ?? 4510);
const PATH = process.env.GRID_PATH ?? '/search?sort=newest';
const SECONDS = Number(process.env.GRID_SECONDS ?? 20);
const THROTTLE = Number(process.env.GRID_THROTTLE ?? 4);
const TRACE = process.env.GRID_TRACE === '1';
const PROFILE = process.env.GRID_PROFILE === '1';

// GRID_DIST: measure another build (e.g. one of the previous code, for before/after on the same database).
const DIST = process.env.GRID_DIST ? resolve(process.env.GRID_DIST) : OUT_DIR;
// prepare() rebuilds when the code changed since the bench build.
if (process.env.BENCH_SKIP_PREPARE !== '1' && !process.env.GRID_DIST) await prepare(10_000);

interface Run {
  frames: number[];
  /** Whether the scroll of the step before each frame moved the page (false: stuck at the end, waiting for data). */
  moved: boolean[];
  maxNodes: number;
  loaded: number;
  articles: number;
}

type Cdp = Awaited<ReturnType<ReturnType<Page['context']>['newCDPSession']>>;

/** Main-thread time from Chromium's Performance domain (seconds, cumulative). */
async function metrics(cdp: Cdp): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as {
    metrics: { name: string; value: number }[];
  };
  return Object.fromEntries(list.map((m) => [m.name, m.value]));
}

/** Scrolls 56 px per animation frame for SECONDS and records every frame interval, and the main thread's busy time. */
async function scrollLoop(page: Page, cdp: Cdp): Promise<Run & { busy: Record<string, number> }> {
  const before = await metrics(cdp);
  const run = await scrollFrames(page);
  const after = await metrics(cdp);
  const ms = (k: string) => Math.round(((after[k] ?? 0) - (before[k] ?? 0)) * 1000);
  const wall = ms('Timestamp');
  return {
    ...run,
    busy: {
      // Share of the scroll's wall time the renderer's main thread was running tasks.
      busyPct: Math.round((ms('TaskDuration') / wall) * 1000) / 10,
      scriptMs: ms('ScriptDuration'),
      layoutMs: ms('LayoutDuration'),
      styleMs: ms('RecalcStyleDuration'),
      taskMs: ms('TaskDuration'),
      layouts: (after.LayoutCount ?? 0) - (before.LayoutCount ?? 0),
    },
  };
}

async function scrollFrames(page: Page): Promise<Run> {
  return (await page.evaluate(`(async () => {
    const frames = [];
    const moved = [];
    let maxNodes = 0;
    let lastY = window.scrollY;
    const end = performance.now() + ${SECONDS * 1000};
    await new Promise((done) => {
      let last = performance.now();
      const step = (t) => {
        frames.push(t - last);
        moved.push(window.scrollY !== lastY);
        last = t;
        lastY = window.scrollY;
        window.scrollBy(0, 56);
        maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
        if (t < end) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    });
    const grid = document.querySelector('[data-testid=catalog-grid]');
    return {
      frames,
      moved,
      maxNodes,
      loaded: grid ? Number(grid.getAttribute('data-count')) : 0,
      articles: grid ? grid.querySelectorAll('article').length : 0,
    };
  })()`)) as Run;
}

// (The page script is a string, not a function: tsx would inject helpers the page does not have.)
function percentiles(frames: number[]) {
  const fps = frames.map((ms) => 1000 / ms).sort((a, b) => a - b);
  const at = (p: number) => (fps.length ? Math.round(fps[Math.floor((p / 100) * (fps.length - 1))]! * 10) / 10 : null);
  return { frames: fps.length, medianFps: at(50), p5Fps: at(5), longFrames: frames.filter((ms) => ms > 50).length };
}

/**
 * All frames (as the first version of this bench reported them), and only the
 * frames in which the page really scrolled: when the list ends before the next
 * page of products has arrived, the scroll stops and those idle frames are
 * fast whatever the grid costs.
 */
function summarize(run: Run & { busy: Record<string, number> }) {
  const frames = run.frames.slice(5);
  const moved = run.moved.slice(5);
  const scrolling = frames.filter((_, i) => moved[i]);
  const stalledMs = frames.filter((_, i) => !moved[i]).reduce((s, ms) => s + ms, 0);
  return {
    ...percentiles(frames),
    scrolling: percentiles(scrolling),
    stalledSeconds: Math.round(stalledMs / 100) / 10,
    mainThread: run.busy,
  };
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the most self time in a CPU profile (ms, throttled time). */
function topFunctions(profile: CpuProfile, n = 15) {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const by = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
    by.set(key, (by.get(key) ?? 0) + (self.get(node.id) ?? 0));
  }
  return [...by.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([fn, ms]) => ({ fn, ms: Math.round(ms) }));
}

/** Main-thread time of the renderer by trace event name (top-level tasks and the work inside them). */
function traceSummary(file: string, wallMs: number) {
  const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: Record<string, any>[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return null;
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  const by = new Map<string, number>();
  for (const e of mine) by.set(e.name, (by.get(e.name) ?? 0) + e.dur / 1000);
  const names = [
    'RunTask',
    'EventDispatch',
    'FunctionCall',
    'FireAnimationFrame',
    'TimerFire',
    'v8.run',
    'V8.GC_SCAVENGER',
    'MajorGC',
    'MinorGC',
    'ParseHTML',
    'UpdateLayoutTree',
    'Layout',
    'PrePaint',
    'Paint',
    'Layerize',
    'Commit',
    'ResourceReceivedData',
    'XHRReadyStateChange',
    'Decode Image',
  ];
  const out: Record<string, number> = {};
  for (const n of names) if (by.has(n)) out[n] = Math.round(by.get(n)!);
  return { wallMs: Math.round(wallMs), mainThreadMs: out };
}

const COLD = process.env.GRID_COLD_IMAGES === '1';
const coldCache = COLD ? mkdtempSync(resolve('.data/bench/image-cache-cold-')) : null;
const server = await startSoko(PORT, {
  WEB_CONCURRENCY: '1',
  SOKO_OUT_DIR: DIST,
  ...(coldCache ? { IMAGE_CACHE_DIR: coldCache } : {}),
});
let browser: Browser | undefined;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const page = await browser.newPage({ viewport: { width: 412, height: 860 }, deviceScaleFactor: 1 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });

  // Reference: the same loop on a tall, empty page (same origin, same throttling).
  await page.goto(`http://127.0.0.1:${PORT}/robots.txt`);
  await page.evaluate(`document.body.style.height = '2000000px'`);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const baseline = summarize(await scrollLoop(page, cdp));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });

  await page.goto(`http://127.0.0.1:${PORT}${PATH}`);
  // The positioned rows: the island keeps the server's cards until the first
  // scroll, so give it one and wait for the rows (measured from the next frame).
  await page.waitForSelector('astro-island:not([ssr]) [data-testid=catalog-grid]');
  await page.evaluate('window.scrollBy(0, 1)');
  await page.waitForSelector('[data-testid=catalog-grid] .grid-row article');
  await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const traceFile = resolve('.data/bench/grid-trace.json');
  mkdirSync('bench/results', { recursive: true });
  if (TRACE) {
    await browser.startTracing(page, {
      path: traceFile,
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'],
    });
  }
  if (PROFILE) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const t0 = Date.now();
  const run = await scrollLoop(page, cdp);
  const wall = Date.now() - t0;
  if (TRACE) await browser.stopTracing();
  let profileTop: ReturnType<typeof topFunctions> | undefined;
  if (PROFILE) {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    writeFileSync(resolve('.data/bench/grid.cpuprofile'), JSON.stringify(profile));
    profileTop = topFunctions(profile);
  }
  const grid = summarize(run);
  const result = {
    when: new Date().toISOString(),
    build: DIST === OUT_DIR ? 'current' : process.env.GRID_DIST,
    path: PATH,
    seconds: SECONDS,
    cpuThrottling: THROTTLE,
    imageCache: COLD ? 'cold' : 'warm',
    ...grid,
    productsLoaded: run.loaded,
    articlesInDom: run.articles,
    maxDomNodes: run.maxNodes,
    emptyPage: baseline,
    ...(TRACE ? { trace: traceSummary(traceFile, wall) } : {}),
    ...(profileTop ? { cpuProfileSelfMs: profileTop } : {}),
  };
  writeFileSync('bench/results/grid.json', JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser?.close();
  server.kill('SIGTERM');
  if (coldCache) rmSync(coldCache, { recursive: true, force: true });
}
process.exit(0);

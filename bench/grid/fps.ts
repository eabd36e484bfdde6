// Grid smoothness: frames per second while scrolling the 10,000-product
// catalog in Chromium with 4x CPU throttling (a mid-range phone), with the
// DOM size. Needs the bench build (npm run bench:load prepares it).
//   npm run bench:grid
import { writeFileSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { prepare, startSoko } from '../load/setup.ts';

const PORT = 4510;
await prepare(10_000);
const server = await startSoko(PORT, { WEB_CONCURRENCY: '1' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 412, height: 860 }, deviceScaleFactor: 1 });
  const cdp = await page.context().newCDPSession(page);
  await page.goto(`http://127.0.0.1:${PORT}/search?sort=newest`);
  await page.waitForSelector('[data-testid=catalog-grid] article');
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Scroll continuously for 20 s (about a screen every 250 ms) and record every frame.
  // A string, not a function: tsx would inject helpers the page does not have.
  const stats = (await page.evaluate(`(async () => {
    const frames = [];
    let maxNodes = 0;
    const end = performance.now() + 20000;
    await new Promise((done) => {
      let last = performance.now();
      const step = (t) => {
        frames.push(t - last);
        last = t;
        window.scrollBy(0, 56);
        maxNodes = Math.max(maxNodes, document.getElementsByTagName('*').length);
        if (t < end) requestAnimationFrame(step);
        else done();
      };
      requestAnimationFrame(step);
    });
    const grid = document.querySelector('[data-testid=catalog-grid]');
    return { frames, maxNodes, loaded: Number(grid.getAttribute('data-count')), articles: grid.querySelectorAll('article').length };
  })()`)) as { frames: number[]; maxNodes: number; loaded: number; articles: number };
  const fps = stats.frames
    .slice(5)
    .map((ms) => 1000 / ms)
    .sort((a, b) => a - b);
  const at = (p: number) => Math.round(fps[Math.floor((p / 100) * (fps.length - 1))]! * 10) / 10;
  const result = {
    when: new Date().toISOString(),
    cpuThrottling: 4,
    frames: fps.length,
    medianFps: at(50),
    p5Fps: at(5),
    longFrames: stats.frames.filter((ms) => ms > 50).length,
    productsLoaded: stats.loaded,
    articlesInDom: stats.articles,
    maxDomNodes: stats.maxNodes,
  };
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/grid.json', JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
process.exit(0);

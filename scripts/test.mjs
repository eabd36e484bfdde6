// `npm test`: the whole suite. The type check (tsc, about 10 s), Vitest (unit +
// integration on PGlite and PostgreSQL), then Playwright (Chromium against the
// built server), then one closing line with the totals.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const reports = '.data/reports';
mkdirSync(reports, { recursive: true });
const vitestReport = `${reports}/vitest.json`;
const playwrightReport = `${reports}/playwright.json`;
for (const f of [vitestReport, playwrightReport]) rmSync(f, { force: true });

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' }).status ?? 1;

// Type errors fail the suite too (the bundler strips types without checking them).
const types = run('tsc', ['--noEmit']);
if (types !== 0) console.log('type check failed: see the errors above (npm run typecheck)');
const unit = run('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`]);
const e2e = unit === 0 ? run('playwright', ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport }) : 1;

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(vitestReport)) {
  const v = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
}
if (existsSync(playwrightReport)) {
  const p = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  passed += p.stats.expected + p.stats.flaky;
  failed += p.stats.unexpected;
  skipped += p.stats.skipped;
}
if (unit !== 0 && e2e === 1 && !existsSync(playwrightReport)) console.log('end-to-end tests not run: the Vitest suite failed first');
console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(types !== 0 || unit !== 0 || e2e !== 0 || failed > 0 || passed === 0 ? 1 : 0);

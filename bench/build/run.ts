// Build time, peak memory and output size against catalog size: the same
// production build (`astro build`) over PostgreSQL catalogs of 1,000 and
// 10,000 products (seeded like bench:load), one after the other.
//   npm run bench:build            # SIZES=1000,10000 by default
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

const SIZES = (process.env.SIZES ?? '1000,10000').split(',').map(Number);
const BASE = process.env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';

function du(dir: string): number {
  return Number(spawnSync('du', ['-sb', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);
}

const results = [];
for (const products of SIZES) {
  const db = `soko_bench_build_${products}`;
  const url = `${BASE}/${db}`;
  const admin = new pg.Client({ connectionString: `${BASE}/postgres` });
  await admin.connect();
  if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db])).rowCount)
    await admin.query(`CREATE DATABASE "${db}"`);
  await admin.end();
  const outDir = resolve(`.data/bench-build/${products}`);
  rmSync(outDir, { recursive: true, force: true });
  const env = { ...process.env, DATABASE_URL: url, SOKO_OUT_DIR: outDir, UPLOADS_DIR: resolve('.data/test/uploads') };
  for (const script of ['prisma/sync.ts', 'prisma/seed.ts']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', script, '--products', String(products)], {
      env,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error(`${script} failed`);
  }
  const t0 = Date.now();
  // GNU time reports the build's peak resident memory (the astro process and its children).
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, 'node_modules/astro/bin/astro.mjs', 'build'], {
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`build failed:\n${r.stderr.slice(-2000)}`);
  const seconds = (Date.now() - t0) / 1000;
  const peakRssMb = Math.round(Number(r.stderr.trim().split('\n').pop()) / 1024);
  const pages = Number(
    spawnSync('sh', ['-c', `find ${outDir}/client -name index.html | wc -l`], { encoding: 'utf8' }).stdout,
  );
  results.push({ products, pages, seconds, peakRssMb, clientMb: Math.round(du(`${outDir}/client`) / 1e5) / 10 });
  console.log(results.at(-1));
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/build.json', JSON.stringify({ when: new Date().toISOString(), results }, null, 2));
console.table(results);

// Shared by the benchmarks: a PostgreSQL database (the large catalog for the
// load benchmarks, the demo catalog for Lighthouse), a production build over
// it, and helpers to start the servers being compared.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';

export const BENCH_DB = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/soko_bench';

export interface BenchSiteOptions {
  /** PostgreSQL URL of the site's own database (created when missing). */
  databaseUrl: string;
  /** Folder under .data/ for the build (dist/) and the image cache. */
  dataDir: string;
}

/**
 * One benchmark site: a PostgreSQL database, a production build over it in
 * `<dataDir>/dist`, and the production server (server.mjs) to serve it.
 */
export function benchSite({ databaseUrl, dataDir }: BenchSiteOptions) {
  const outDir = resolve(dataDir, 'dist');
  const env = {
    DATABASE_URL: databaseUrl,
    UPLOADS_DIR: resolve('.data/test/uploads'),
    IMAGE_CACHE_DIR: resolve(dataDir, 'image-cache'),
    SOKO_OUT_DIR: outDir,
    JWT_SECRET: 'bench-only-secret-0123456789abcdef0123456789',
    BCRYPT_ROUNDS: '4',
    HOST: '127.0.0.1',
  };
  const run = (args: string[]) => {
    const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`failed: node ${args.join(' ')}`);
  };
  return {
    databaseUrl,
    outDir,
    env,
    /**
     * Creates and seeds the database (`products` products, or the small demo
     * catalog when undefined), then builds unless a build of the same catalog
     * size is there (`build: 'always'` rebuilds, `'never'` only checks one exists).
     */
    async prepare(products?: number, { build = 'if-missing' }: { build?: 'always' | 'if-missing' | 'never' } = {}) {
      const admin = new pg.Client({ connectionString: databaseUrl.replace(/\/[^/]+$/, '/postgres') });
      await admin.connect();
      const name = new URL(databaseUrl).pathname.slice(1);
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
      if (!exists) await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      run(['--import', 'tsx', 'prisma/sync.ts']);
      run(['--import', 'tsx', 'prisma/seed.ts', ...(products === undefined ? [] : ['--products', String(products)])]);
      // What autovacuum does on a maintained server (it is off on this machine's PostgreSQL):
      // earlier runs' checkouts leave dead rows, and the planner needs current statistics.
      const site = new pg.Client({ connectionString: databaseUrl });
      await site.connect();
      await site.query('VACUUM (ANALYZE)');
      await site.end();
      // A build is reused only for the same catalog size and the same code (the
      // src/prisma trees plus any uncommitted diff), so a benchmark never
      // measures a stale build.
      const marker = resolve(outDir, '.bench-build');
      const git = (args: string[]) => spawnSync('git', args, { encoding: 'utf8' }).stdout;
      const size = [
        products ?? 'demo',
        git(['rev-parse', 'HEAD:src', 'HEAD:prisma', 'HEAD:astro.config.mjs']).replace(/\s+/g, ' ').trim(),
        git(['diff', 'HEAD', '--', 'src', 'prisma', 'astro.config.mjs']).length,
      ].join(':');
      const built = existsSync(marker) && readFileSync(marker, 'utf8') === size;
      if (build === 'never' && !built) throw new Error(`no build of this catalog in ${outDir}: build it first`);
      if (build === 'always' || (build === 'if-missing' && !built)) {
        run(['node_modules/astro/bin/astro.mjs', 'build']);
        writeFileSync(marker, size);
      }
    },
    /** The production server (server.mjs) over this build, on loopback; its output goes to `logFile` if given. */
    async startSoko(port: number, extra: Record<string, string> = {}, logFile?: string): Promise<ChildProcess> {
      // A server left over from an interrupted run would answer instead, with an older build.
      const busy = await fetch(`http://127.0.0.1:${port}/`).then(
        () => true,
        () => false,
      );
      if (busy) throw new Error(`port ${port} is already in use: stop the process listening there first`);
      const out = logFile ? openSync(logFile, 'w') : 'ignore';
      const child = spawn(process.execPath, ['server.mjs'], {
        env: { ...process.env, ...env, PORT: String(port), ...extra },
        stdio: ['ignore', out, out],
      });
      process.once('exit', () => child.kill('SIGTERM'));
      await waitFor(`http://127.0.0.1:${port}/api/health`);
      return child;
    },
  };
}

/** The load benchmarks' site: a large catalog in soko_bench, built into .data/bench/dist. */
const loadSite = benchSite({ databaseUrl: BENCH_DB, dataDir: '.data/bench' });
export const OUT_DIR = loadSite.outDir;
export const BENCH_ENV = loadSite.env;

/** Database with `products` products and a build over it (skipped when already there). */
export const prepare = (products: number): Promise<void> => loadSite.prepare(products);
export const startSoko = loadSite.startSoko;

export async function sample(): Promise<{ slugs: string[]; ids: string[]; images: string[]; categories: string[] }> {
  const c = new pg.Client({ connectionString: BENCH_DB });
  await c.connect();
  try {
    const products = (
      await c.query(
        `SELECT p.id, p.slug FROM "Product" p JOIN "User" u ON u.id = p."sellerId"
         WHERE p.status = 'ACTIVE' AND u.status = 'ACTIVE' ORDER BY random() LIMIT 2000`,
      )
    ).rows;
    const images = (await c.query(`SELECT id, "contentHash" FROM "ProductImage" ORDER BY random() LIMIT 300`)).rows;
    const categories = (await c.query(`SELECT slug FROM "Category"`)).rows;
    return {
      slugs: products.map((p) => p.slug),
      ids: products.map((p) => p.id),
      images: images.map((i) => `/api/images/${i.id}?w=480&v=${String(i.contentHash).slice(0, 12)}&f=webp`),
      categories: categories.map((r) => r.slug),
    };
  } finally {
    await c.end();
  }
}

export async function startNginx(port: number): Promise<ChildProcess> {
  const dir = resolve('.data/bench/nginx');
  mkdirSync(dir, { recursive: true });
  const conf = `worker_processes auto; pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events { worker_connections 4096; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 100000; include /etc/nginx/mime.types;
  gzip on; gzip_types text/css application/javascript application/json image/svg+xml; client_body_temp_path ${dir};
  server { listen 127.0.0.1:${port}; root ${OUT_DIR}/client; location / { try_files $uri $uri/index.html =404; } } }`;
  writeFileSync(`${dir}/nginx.conf`, conf);
  const child = spawn('nginx', ['-c', `${dir}/nginx.conf`, '-g', 'daemon off;'], { stdio: 'ignore' });
  await waitFor(`http://127.0.0.1:${port}/`);
  return child;
}

export async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const ok = await fetch(url).then(
      (r) => r.status < 500,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${url}`);
}

/** Resident memory of a process and its children (the cluster workers), MB. */
export function treeRssMb(pid: number): number {
  const out = spawnSync('ps', ['-o', 'rss=', '--ppid', String(pid), '-p', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').reduce((s, l) => s + (Number(l.trim()) || 0), 0) / 1024;
}

/** CPU seconds (user + system) used so far by a process and its children (the cluster workers). */
export function treeCpuSeconds(pid: number): number {
  return cpuSeconds(['--ppid', String(pid), '-p', String(pid)]);
}

/** CPU seconds used so far by the PostgreSQL server's processes (its backends serve every client on this host). */
export function postgresCpuSeconds(): number {
  return cpuSeconds(['-C', 'postgres']);
}

function cpuSeconds(select: string[]): number {
  const pids = spawnSync('ps', ['-o', 'pid=', ...select], { encoding: 'utf8' })
    .stdout.split(/\s+/)
    .filter(Boolean);
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the command name: utime and stime are the 12th and 13th (clock ticks, 100 per second).
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Exited in between.
    }
  }
  return ticks / 100;
}

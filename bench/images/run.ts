// Image endpoint benchmark: this project's /api/images, Astro's /_image and
// ipx, side by side in one run on loopback with the same sources and widths.
//
//   node --import tsx bench/images/run.ts [--duration 8] [--skip-build]
//
// Each contender runs in its own process so peak RSS (VmHWM) is its own:
// two copies of the built server (one answers /api/images, one /_image) and
// an ipx node server. Results go to stdout as Markdown (paste into
// docs/BENCHMARKS.md) and to bench/results/images.json.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { syncSchema } from '../../prisma/sync.ts';
import { createDb } from '../../src/lib/server/db.ts';
import { contentKey, FolderStorage } from '../../src/lib/server/images/storage.ts';
import { makePlaceholder } from '../../src/lib/server/images/placeholder.ts';
import { QUALITY } from '../../src/lib/server/images/variants.ts';
import type { ImageFormat } from '../../src/lib/shared/images.ts';
import { createDatabase } from '../../tests/helpers/postgres.ts';
import { ensureSources, type BenchSource } from './sources.ts';

const { values: args } = parseArgs({
  options: { duration: { type: 'string', default: '8' }, 'skip-build': { type: 'boolean', default: false } },
});
const DURATION = Number(args.duration);
const ROOT = resolve('.data/bench');
const DIST = `${ROOT}/dist`;
const PORTS = { soko: 4391, astro: 4392, ipx: 4393 } as const;
type Contender = keyof typeof PORTS;
const FORMATS: ImageFormat[] = ['avif', 'webp', 'jpeg'];
const WIDTHS = [640, 1920] as const;
const log = (m: string) => console.error(`[bench] ${m}`);
const loadAtStart = loadavg()[0]!;

// ---------------------------------------------------------------- setup

const sources = await ensureSources(`${ROOT}/sources`);
const dbUrl = await createDatabase('soko_bench_images');
await syncSchema({ url: dbUrl });
const storage = new FolderStorage(`${ROOT}/uploads`);
const ids = new Map<string, { id: string; v: string }>();
{
  // The raw sources, stored as-is (not normalized) so all three contenders decode the same bytes.
  const { db, close } = createDb({ url: dbUrl });
  const seller = await db.user.upsert({
    where: { email: 'bench@soko.test' },
    create: { email: 'bench@soko.test', passwordHash: 'x', name: 'Bench', role: 'SELLER' },
    update: {},
  });
  const category = await db.category.upsert({
    where: { slug: 'bench' },
    create: { slug: 'bench', name: 'Bench' },
    update: {},
  });
  const product = await db.product.upsert({
    where: { slug: 'bench-product' },
    create: {
      sellerId: seller.id,
      categoryId: category.id,
      slug: 'bench-product',
      title: 'Bench',
      description: 'Bench',
      price: 100,
      stock: 0,
      status: 'DRAFT',
    },
    update: {},
  });
  await db.productImage.deleteMany({ where: { productId: product.id } });
  for (const [i, s] of sources.entries()) {
    const data = readFileSync(s.file);
    const hash = createHash('sha256').update(data).digest('hex');
    const key = contentKey(hash, 'bench', s.file.endsWith('.png') ? 'png' : 'jpg');
    await storage.put(key, data);
    const ph = await makePlaceholder(data);
    const row = await db.productImage.create({
      data: {
        productId: product.id,
        sourceKey: key,
        contentHash: hash,
        width: s.width,
        height: s.height,
        lqip: ph.lqip,
        dominantColor: ph.dominantColor,
        position: i,
      },
    });
    ids.set(s.name, { id: row.id, v: hash.slice(0, 12) });
  }
  await close();
}

const env = {
  ...process.env,
  NODE_ENV: 'production',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  DATABASE_URL: dbUrl,
  UPLOADS_DIR: `${ROOT}/uploads`,
  IMAGE_CACHE_DIR: `${ROOT}/image-cache`,
  SOKO_OUT_DIR: DIST,
  HOST: '127.0.0.1',
  DEMO_PASSWORD: '',
  // One process per contender (server.mjs forks a worker per core otherwise),
  // so peak RSS and the idle wait read the process that does the work, and
  // each contender gets the same single process as ipx.
  WEB_CONCURRENCY: '1',
};
if (!args['skip-build']) {
  log('building the site (astro build)');
  const b = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (b.status !== 0) throw new Error('astro build failed');
}
// Astro's /_image reads local files from the client output folder.
cpSync(`${ROOT}/sources`, `${DIST}/client/bench-sources`, { recursive: true });
rmSync(env.IMAGE_CACHE_DIR, { recursive: true, force: true });

// ---------------------------------------------------------------- servers

function start(name: Contender, cmd: string[], extraEnv: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, cmd, {
    env: { ...env, PORT: String(PORTS[name]), ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}
const ipxScript = `${ROOT}/ipx-server.mjs`;
writeFileSync(
  ipxScript,
  `import { createServer } from 'node:http';
import { createIPX, createIPXNodeServer, ipxFSStorage } from '${resolve('node_modules/ipx/dist/index.mjs')}';
const ipx = createIPX({ storage: ipxFSStorage({ dir: '${ROOT}/sources' }) });
createServer(createIPXNodeServer(ipx)).listen(${PORTS.ipx}, '127.0.0.1');
`,
);
const servers: Record<Contender, ChildProcess> = {
  soko: start('soko', ['server.mjs']),
  astro: start('astro', ['server.mjs']),
  ipx: start('ipx', [ipxScript]),
};
process.on('exit', () => Object.values(servers).forEach((s) => s.kill()));

async function waitUp(url: string) {
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${url}`);
}
await Promise.all([
  waitUp(`http://127.0.0.1:${PORTS.soko}/api/health`),
  waitUp(`http://127.0.0.1:${PORTS.astro}/api/health`),
  waitUp(`http://127.0.0.1:${PORTS.ipx}/`),
]);

function urlFor(c: Contender, s: BenchSource, w: number, f: ImageFormat): string {
  const file = s.file.split('/').pop()!;
  if (c === 'soko') {
    const { id, v } = ids.get(s.name)!;
    return `http://127.0.0.1:${PORTS.soko}/api/images/${id}?w=${w}&v=${v}&f=${f}`;
  }
  // Same quality per format for all three.
  if (c === 'astro')
    return `http://127.0.0.1:${PORTS.astro}/_image?href=/bench-sources/${file}&w=${w}&f=${f}&q=${QUALITY[f]}`;
  return `http://127.0.0.1:${PORTS.ipx}/w_${w},f_${f === 'jpeg' ? 'jpeg' : f},q_${QUALITY[f]}/${file}`;
}

const peakRss = (c: Contender) => {
  const status = readFileSync(`/proc/${servers[c].pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
};

// ---------------------------------------------------------------- cold transforms

interface ColdRow {
  contender: Contender;
  source: string;
  width: number;
  format: ImageFormat;
  ms: number;
  bytes: number;
  status: number;
}
const cold: ColdRow[] = [];
log('cold transforms');
for (const s of sources) {
  for (const w of WIDTHS) {
    for (const f of FORMATS) {
      for (const c of Object.keys(PORTS) as Contender[]) {
        const t = performance.now();
        const res = await fetch(urlFor(c, s, w, f));
        const body = Buffer.from(await res.arrayBuffer());
        cold.push({
          contender: c,
          source: s.name,
          width: w,
          format: f,
          ms: performance.now() - t,
          bytes: body.length,
          status: res.status,
        });
      }
    }
  }
}
const bad = cold.filter((r) => r.status !== 200);
if (bad.length) throw new Error(`non-200 responses: ${JSON.stringify(bad.slice(0, 3))}`);

// ---------------------------------------------------------------- load

interface LoadRow {
  contender: Contender;
  connections: number;
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  non2xx: number;
}
const load: LoadRow[] = [];

/** Waits until a server has worked off its backlog (peers keep transforming after the client stops). */
async function waitIdle(c: Contender) {
  const cpu = () => {
    const f = readFileSync(`/proc/${servers[c].pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, clock ticks
  };
  let last = cpu();
  for (let i = 0; i < 120; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpu();
    if (now - last <= 2) return;
    last = now;
  }
}
const hot = sources.find((s) => s.name === 'product-square')!;
// Baseline: a hashed static file from the same built server, i.e. the best any route there can do.
const staticFile = readdirSync(`${DIST}/client/_astro`).find((f) => f.endsWith('.avif'))!;
const staticUrl = `http://127.0.0.1:${PORTS.soko}/_astro/${staticFile}`;
const baseline: LoadRow[] = [];
for (const connections of [50, 200]) {
  log(`load: static file baseline, ${connections} connections, ${DURATION} s`);
  const r = await autocannon({ url: staticUrl, connections, duration: DURATION, timeout: 30 });
  baseline.push({
    contender: 'soko',
    connections,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: r.requests.average,
    errors: r.errors + r.timeouts,
    non2xx: r.non2xx,
  });
}
for (const connections of [50, 200]) {
  for (const c of Object.keys(PORTS) as Contender[]) {
    log(`load: ${c}, ${connections} connections, ${DURATION} s`);
    const r = await autocannon({ url: urlFor(c, hot, 640, 'webp'), connections, duration: DURATION, timeout: 30 });
    await waitIdle(c);
    load.push({
      contender: c,
      connections,
      p50: r.latency.p50,
      p99: r.latency.p99,
      rps: r.requests.average,
      errors: r.errors + r.timeouts,
      non2xx: r.non2xx,
    });
  }
}
const rss = Object.fromEntries((Object.keys(PORTS) as Contender[]).map((c) => [c, peakRss(c)])) as Record<
  Contender,
  number
>;
Object.values(servers).forEach((s) => s.kill());

// ---------------------------------------------------------------- report

mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/images.json', JSON.stringify({ sources, cold, load, baseline, rss }, null, 2));
const names: Record<Contender, string> = { soko: 'Soko /api/images', astro: 'Astro /_image', ipx: 'ipx' };
const out: string[] = [];
out.push(
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, loopback; 1-minute load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end (the cores are shared with other work).`,
);
out.push('', '### Sources', '', '| source | size | bytes |', '|---|---|---|');
for (const s of sources) out.push(`| ${s.name} | ${s.width}×${s.height} | ${s.bytes.toLocaleString('en')} |`);
out.push('', '### Cold transform (first request, ms) and output bytes', '');
out.push(
  '| source | width | format | Soko ms | Astro ms | ipx ms | Soko bytes | Astro bytes | ipx bytes |',
  '|---|---|---|---|---|---|---|---|---|',
);
for (const s of sources) {
  for (const w of WIDTHS) {
    for (const f of FORMATS) {
      const row = (c: Contender) =>
        cold.find((r) => r.contender === c && r.source === s.name && r.width === w && r.format === f)!;
      const [a, b, x] = [row('soko'), row('astro'), row('ipx')];
      out.push(
        `| ${s.name} | ${w} | ${f} | ${a.ms.toFixed(0)} | ${b.ms.toFixed(0)} | ${x.ms.toFixed(0)} | ${a.bytes.toLocaleString('en')} | ${b.bytes.toLocaleString('en')} | ${x.bytes.toLocaleString('en')} |`,
      );
    }
  }
}
out.push('', `### Repeat requests: ${hot.name} at 640 px WebP, ${DURATION} s each (autocannon)`, '');
out.push(
  '| contender | connections | p50 ms | p99 ms | req/s | errors+timeouts | non-2xx |',
  '|---|---|---|---|---|---|---|',
);
for (const r of load) {
  out.push(
    `| ${names[r.contender]} | ${r.connections} | ${r.p50} | ${r.p99} | ${r.rps.toFixed(0)} | ${r.errors} | ${r.non2xx} |`,
  );
}
for (const r of baseline) {
  out.push(
    `| static /_astro file, same server (baseline) | ${r.connections} | ${r.p50} | ${r.p99} | ${r.rps.toFixed(0)} | ${r.errors} | ${r.non2xx} |`,
  );
}
out.push('', '### Peak RSS (VmHWM) over the whole run', '', '| contender | MB |', '|---|---|');
for (const c of Object.keys(PORTS) as Contender[]) out.push(`| ${names[c]} | ${rss[c].toFixed(0)} |`);
console.log(out.join('\n'));
process.exit(0);

// Production entry: `npm run serve` (after `npm run build`).
// - validates the environment before anything listens;
// - runs one worker per core (node:cluster; WEB_CONCURRENCY sets the count)
//   and restarts a worker that crashes; without Redis the primary counts the
//   workers' login limits (src/lib/server/auth/cluster-limits.ts);
// - each worker serves built files from memory (compressed, cached) behind the
//   catalog gate, and everything else through Astro's handler
//   (src/lib/server/http/node-server.ts);
// - SIGTERM/SIGINT: stop accepting, finish in-flight requests and
//   transactions, close the database pool, then exit.
import cluster from 'node:cluster';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// Node 24 runs these TypeScript modules directly.
const { getEnv, EnvError } = await import('./src/lib/server/env.ts');
let env;
try {
  env = getEnv();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(err.message);
  process.exit(1);
}
// Every worker and every copy of the env module must sign with one secret
// (in development it is generated here, once).
process.env.JWT_SECRET = env.JWT_SECRET;
const HOST = env.HOST ?? '0.0.0.0';
const PORT = env.PORT;
const SHUTDOWN_GRACE_MS = env.SHUTDOWN_GRACE_MS;

const outDir = resolve(process.env.SOKO_OUT_DIR || 'dist');
const entry = resolve(outDir, 'server/entry.mjs');
if (!existsSync(entry)) {
  console.error('No build found in dist/. Run `npm run build` first (or `npm start`, which does everything).');
  process.exit(1);
}

function workerCount() {
  const asked = env.WEB_CONCURRENCY ?? availableParallelism();
  // Embedded PGlite lives inside one process: more workers need PostgreSQL.
  if (!env.DATABASE_URL && asked > 1) {
    if (env.WEB_CONCURRENCY)
      console.warn(
        '[soko] WEB_CONCURRENCY ignored: the embedded database serves one process; set DATABASE_URL for more',
      );
    return 1;
  }
  return asked;
}

if (cluster.isPrimary) {
  const count = workerCount();
  if (count > 1) await runPrimary(count);
  else await runWorker();
  printBanner(count);
} else {
  await runWorker();
}

async function runPrimary(count) {
  // Size each worker's pool so the host stays within its connection budget.
  if (!process.env.DATABASE_POOL_SIZE) {
    process.env.DATABASE_POOL_SIZE = String(Math.max(2, Math.floor(env.DATABASE_POOL_BUDGET / count)));
  }
  // Without Redis, the workers' login and registration limits are counted here, all together.
  const { countLimitsInPrimary } = await import('./src/lib/server/auth/cluster-limits.ts');
  countLimitsInPrimary();
  let stopping = false;
  const recentCrashes = [];
  const fork = () => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`[soko] worker ${worker.process.pid} exited (${signal ?? code}); starting a new one`);
    const now = Date.now();
    recentCrashes.push(now);
    while (recentCrashes.length && recentCrashes[0] < now - 60_000) recentCrashes.shift();
    // Back off when workers keep crashing (a bad deploy should not spin the CPU).
    setTimeout(fork, Math.min(5_000, 100 * 2 ** Math.max(0, recentCrashes.length - 1)));
  });
  await new Promise((ok) => {
    let listening = 0;
    cluster.on('listening', () => ++listening === count && ok());
  });
  console.log(
    `[soko] ${count} workers listening on http://${HOST}:${PORT} (pool ${process.env.DATABASE_POOL_SIZE} per worker)`,
  );
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.once(sig, () => {
      stopping = true;
      console.log(`[soko] ${sig}: draining workers`);
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      const done = () => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0);
      cluster.on('exit', done);
      done();
      setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + 2_000).unref();
    });
  }
}

async function runWorker() {
  // We own the listening server: the adapter (middleware mode) only provides the request handler.
  // A build from before middleware mode (standalone) would start its own server on import.
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const { handler } = await import(pathToFileURL(entry).href);
  const { getDb, closeDb } = await import('./src/lib/server/db.ts');
  const { createCatalogGate, readBuiltAt } = await import('./src/lib/server/http/catalog-gate.ts');
  const { createServer } = await import('./src/lib/server/http/node-server.ts');
  const { evictProducts } = await import('./src/lib/server/catalog/api-cache.ts');
  // Pages edited after this build are rendered on demand, and cached API answers for
  // changed products are dropped (see catalog-gate.ts).
  const gate = createCatalogGate(getDb(), { builtAt: readBuiltAt(outDir), onChanged: evictProducts });
  // Block archived pages from the first request (if the database is down, start anyway).
  await gate.refresh();
  gate.start();
  const server = createServer({ astroHandler: handler, gate, outDir, production: env.isProduction });
  // Behind a load balancer idle keep-alive sockets must outlive its own timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  const { warmUp } = await import('./src/lib/server/http/warm-up.ts');
  try {
    const warm = await warmUp(server, getDb(), { poolSize: env.DATABASE_POOL_SIZE });
    console.log(
      `[soko] worker ${process.pid} warmed up in ${warm.ms} ms (${warm.requests} requests` +
        (warm.failed > 0 ? `, ${warm.failed} failed or timed out)` : ')'),
    );
  } catch (err) {
    // A warm-up is an optimization: the worker serves without one.
    console.error(`[soko] worker ${process.pid}: warm-up failed, serving anyway:`, err);
    if (server.listening) await new Promise((ok) => server.close(ok));
  }
  await new Promise((ok, fail) => server.listen(PORT, HOST, ok).once('error', fail));
  if (!cluster.isWorker)
    console.log(`[soko] listening on http://${HOST}:${PORT} (catalog gate: ${gate.size} unavailable pages)`);

  let draining = false;
  const drain = (sig) => {
    if (draining) return;
    draining = true;
    gate.stop();
    // Stop accepting; idle keep-alive sockets close now, busy ones after their response.
    server.close(async () => {
      await closeDb().catch(() => {});
      process.exit(0);
    });
    server.closeIdleConnections();
    setTimeout(() => {
      console.error(`[soko] worker ${process.pid}: ${sig} grace period over, closing remaining connections`);
      server.closeAllConnections();
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => drain('SIGTERM'));
  process.on('SIGINT', () => drain('SIGINT'));
}

function printBanner(count) {
  if (env.isProduction) return;
  import('./prisma/seed/data.ts').then(({ ADMIN, SELLERS, BUYERS }) => {
    const host = HOST === '0.0.0.0' ? 'localhost' : HOST;
    console.log(`
  Soko Africa is running: open http://${host}:${PORT}/  (${count} worker${count > 1 ? 's' : ''})

  Demo accounts (password: ${env.DEMO_PASSWORD})
    admin   ${ADMIN.email}
    seller  ${SELLERS[0].email}  (${SELLERS[0].storeName}; ${SELLERS.length} sellers in all, see README)
    buyer   ${BUYERS[0].email}
`);
  });
}

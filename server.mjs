// Production entry: serves the built site (static files and on-demand routes)
// behind the catalog gate (src/lib/server/http/node-server.ts). Build first
// with `npm run build`.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const outDir = resolve(process.env.SOKO_OUT_DIR || 'dist');
const entry = resolve(outDir, 'server/entry.mjs');
if (!existsSync(entry)) {
  console.error('No build found in dist/. Run `npm run build` first (or `npm start`, which does everything).');
  process.exit(1);
}
// Validate the environment before listening: a bad value stops startup with a
// message naming the variable. (Node 24 runs this TypeScript module directly.)
const { getEnv, EnvError } = await import('./src/lib/server/env.ts');
let env;
try {
  env = getEnv();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  console.error(err.message);
  process.exit(1);
}
process.env.HOST ??= '0.0.0.0';
process.env.PORT ??= '4321';
// We own the listening server: the adapter only provides the request handler.
process.env.ASTRO_NODE_AUTOSTART = 'disabled';
const { handler } = await import(pathToFileURL(entry).href);
const { getDb } = await import('./src/lib/server/db.ts');
const { createCatalogGate, readBuiltAt } = await import('./src/lib/server/http/catalog-gate.ts');
const { createServer } = await import('./src/lib/server/http/node-server.ts');
// Pages edited after this build are rendered on demand (see catalog-gate.ts).
const gate = createCatalogGate(getDb(), { builtAt: readBuiltAt(outDir) });
// Block archived pages from the first request (if the database is down, start anyway).
await gate.refresh();
gate.start();
const server = createServer({ astroHandler: handler, gate, outDir, production: env.isProduction });
await new Promise((ok, fail) => server.listen(Number(process.env.PORT), process.env.HOST, ok).once('error', fail));
console.log(
  `[soko] listening on http://${process.env.HOST}:${process.env.PORT} (catalog gate: ${gate.size} unavailable pages)`,
);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    gate.stop();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3_000).unref();
  });
}

if (!env.isProduction) {
  const { ADMIN, SELLERS, BUYERS } = await import('./prisma/seed/data.ts');
  const host = process.env.HOST === '0.0.0.0' ? 'localhost' : process.env.HOST;
  console.log(`
  Soko Africa is running: open http://${host}:${process.env.PORT}/

  Demo accounts (password: ${env.DEMO_PASSWORD})
    admin   ${ADMIN.email}
    seller  ${SELLERS[0].email}  (${SELLERS[0].storeName}; ${SELLERS.length} sellers in all, see README)
    buyer   ${BUYERS[0].email}
`);
}

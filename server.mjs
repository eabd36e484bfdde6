// Production entry: serves the built site (static files and on-demand routes).
// Build first with `npm run build`.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const entry = resolve(process.env.SOKO_OUT_DIR || 'dist', 'server/entry.mjs');
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
await import(pathToFileURL(entry).href);

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

// Prepares and runs the server the end-to-end tests drive: a fresh PostgreSQL
// database, schema sync, demo seed, a production build in its own folder,
// then `node server.mjs`. Started by Playwright's webServer.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { syncSchema } from '../../prisma/sync.ts';
import { seedDatabase } from '../../prisma/seed/index.ts';
import { createDb } from '../../src/lib/server/db.ts';
import { FolderStorage } from '../../src/lib/server/images/storage.ts';
import { assertPostgresReachable, createDatabase } from '../helpers/postgres.ts';
import { E2E_JWT_SECRET } from './support/auth.ts';

const port = process.env.E2E_PORT ?? '4330';
const dbName = `soko_e2e_${port}`;
const log = (m: string) => console.log(`[e2e-server] ${m}`);

await assertPostgresReachable();
const url = await createDatabase(dbName);
await syncSchema({ url });
const env = {
  ...process.env,
  DATABASE_URL: url,
  PUBLIC_SITE_URL: `http://127.0.0.1:${port}`,
  // Shares the rendered-image cache with the Vitest suite: same content, same keys.
  UPLOADS_DIR: resolve('.data/test/uploads'),
  IMAGE_CACHE_DIR: resolve(`.data/e2e-${port}/image-cache`),
  SOKO_OUT_DIR: resolve(`.data/e2e-${port}/dist`),
  BCRYPT_ROUNDS: '4',
  // Known to the specs, so the JWT attack tests can sign tokens with the real key.
  JWT_SECRET: E2E_JWT_SECRET,
  HOST: '127.0.0.1',
  PORT: port,
};
{
  const { db, close } = createDb({ url });
  await seedDatabase(db, {
    storage: new FolderStorage(env.UPLOADS_DIR),
    cacheDir: resolve('.data/test'),
    password: 'soko-demo-2026',
    bcryptRounds: 4,
    log,
  });
  await close();
}
log('building');
const build = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (build.status !== 0) {
  console.error(build.stdout?.toString());
  throw new Error('astro build failed for the e2e server');
}
log('starting server');
const server = spawn(process.execPath, ['server.mjs'], { env, stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));

// npm run db:seed [-- --products 10000]: seeds the configured database.
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, targetFromEnv } from '../src/lib/server/db.ts';
import { getEnv } from '../src/lib/server/env.ts';
import { getStorage } from '../src/lib/server/images/storage.ts';
import { seedDatabase } from './seed/index.ts';

const { values } = parseArgs({ options: { products: { type: 'string' } } });
const products = values.products === undefined ? undefined : Number(values.products);
if (products !== undefined && (!Number.isInteger(products) || products < 1 || products > 200_000)) {
  console.error('db:seed: --products must be a whole number from 1 to 200000');
  process.exit(1);
}

const env = getEnv();
if (env.isProduction) {
  console.error('db:seed: refused in production (the demo accounts share a known password)');
  process.exit(1);
}
const { db, close } = createDb(targetFromEnv());
try {
  await seedDatabase(db, {
    storage: getStorage(),
    cacheDir: dirname(env.UPLOADS_DIR),
    password: env.DEMO_PASSWORD,
    bcryptRounds: env.BCRYPT_ROUNDS,
    products,
    log: (m) => console.log(`db:seed: ${m}`),
  });
} finally {
  await close();
}
process.exit(0);

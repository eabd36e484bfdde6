// Keyword search SQL, one statement at a time on the bench database: the ranking search.ts sends
// (category and store names matched and ranked once, in the small tables, then joined by id)
// beside the one it replaced (both names ranked again on every matching product). The load mix's
// 18 searches (6 words x 3 price caps, in stock, relevance), alternating, unnamed statements as
// Prisma sends them. Each statement's rows are checked against the other's, and the current one's
// against searchProducts itself, so this cannot drift from the code it stands for.
//   npm run bench:search-sql          (N=600 to change)
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { p50p99 } from '../load/arrivals.ts';
import { BENCH_DB, prepare } from '../load/setup.ts';
import { createDb } from '../../src/lib/server/db.ts';
import { searchProducts } from '../../src/lib/server/catalog/search.ts';
import { productQuerySchema } from '../../src/lib/shared/catalog-query.ts';

const N = Number(process.env.N ?? 600);
const LIMIT = 24;
const WORDS = ['gold', 'leather', 'coffee', 'silk', 'ring', 'vase'];
const CAPS_KES = [5000, 20000, 100000];

const products = `FROM "Product" p
  JOIN "Category" c ON c.id = p."categoryId"
  JOIN "User" u ON u.id = p."sellerId"
  LEFT JOIN "Profile" pr ON pr."userId" = p."sellerId"`;
const filters = `p."status" = 'ACTIVE' AND u."status" = 'ACTIVE' AND p."price" <= $2::int AND p."stock" > 0`;
const tsq = `websearch_to_tsquery('english', $1)`;

const SHAPES = {
  /** As search.ts sends it. */
  'ranked once per category/store': `
    WITH cm AS (SELECT id, ts_rank(to_tsvector('english', "name"), ${tsq}) AS r
                FROM "Category" WHERE to_tsvector('english', "name") @@ ${tsq}),
         sm AS (SELECT "userId" AS id, ts_rank(to_tsvector('english', coalesce("storeName", '')), ${tsq}) AS r
                FROM "Profile" WHERE to_tsvector('english', coalesce("storeName", '')) @@ ${tsq})
    SELECT * FROM (
      SELECT p.id, (ts_rank(p."searchVector", ${tsq}) + 0.4 * coalesce(cm.r, 0) + 0.4 * coalesce(sm.r, 0))::float8 AS k0
      ${products}
      LEFT JOIN cm ON cm.id = p."categoryId" LEFT JOIN sm ON sm.id = p."sellerId"
      WHERE ${filters} AND (p."searchVector" @@ ${tsq}
        OR p."categoryId" = ANY (ARRAY(SELECT id FROM cm)) OR p."sellerId" = ANY (ARRAY(SELECT id FROM sm)))
    ) s ORDER BY s.k0 DESC, s.id DESC LIMIT ${LIMIT + 1}`,
  /** Until 2026-12-01: the names' vectors built and ranked for every matching product. */
  'ranked per product': `
    SELECT * FROM (
      SELECT p.id, (ts_rank(p."searchVector", ${tsq}) + 0.4 * ts_rank(to_tsvector('english', c."name"), ${tsq})
                    + 0.4 * ts_rank(to_tsvector('english', coalesce(pr."storeName", '')), ${tsq}))::float8 AS k0
      ${products}
      WHERE ${filters} AND (p."searchVector" @@ ${tsq}
        OR p."categoryId" IN (SELECT id FROM "Category" WHERE to_tsvector('english', "name") @@ ${tsq})
        OR p."sellerId" IN (SELECT "userId" FROM "Profile" WHERE to_tsvector('english', coalesce("storeName", '')) @@ ${tsq}))
    ) s ORDER BY s.k0 DESC, s.id DESC LIMIT ${LIMIT + 1}`,
};
type Shape = keyof typeof SHAPES;

await prepare(10_000);
const c = new pg.Client({ connectionString: BENCH_DB });
await c.connect();
const { db, close } = createDb({ url: BENCH_DB, poolSize: 1 });
const searches = WORDS.flatMap((q) => CAPS_KES.map((kes) => ({ q, kes })));
const ids = (shape: Shape, q: string, kes: number) =>
  c.query(SHAPES[shape], [q, kes * 100]).then((r) => r.rows.map((row: { id: string }) => row.id));

for (const { q, kes } of searches) {
  const [now, before] = await Promise.all([
    ids('ranked once per category/store', q, kes),
    ids('ranked per product', q, kes),
  ]);
  const query = productQuerySchema.parse({ q, inStock: 'true', maxPrice: String(kes), limit: String(LIMIT) });
  const viaApp = (await searchProducts(db, query)).items.map((p) => p.id);
  if (now.join() !== before.join() || now.slice(0, LIMIT).join() !== viaApp.join())
    throw new Error(`the shapes disagree for "${q}" under ${kes} KES`);
}

const times: Record<Shape, number[]> = { 'ranked once per category/store': [], 'ranked per product': [] };
for (let i = 0; i < N; i++) {
  const { q, kes } = searches[i % searches.length]!;
  // Alternating which runs first, so that neither always finds the other's pages cached.
  for (const shape of (i % 2
    ? ['ranked per product', 'ranked once per category/store']
    : Object.keys(SHAPES)) as Shape[]) {
    const t = performance.now();
    await ids(shape, q, kes);
    times[shape].push(performance.now() - t);
  }
}
const round = (x: number) => Math.round(x * 100) / 100;
const results = Object.fromEntries(Object.entries(times).map(([shape, xs]) => [shape, p50p99(xs)])) as Record<
  Shape,
  { p50: number; p99: number }
>;
const ratio = round(results['ranked per product'].p50 / results['ranked once per category/store'].p50);
const out = { when: new Date().toISOString(), statements: N, results, ratioP50: ratio };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/search-sql.json', JSON.stringify(out, null, 2));
console.log(JSON.stringify(out, null, 2));
await c.end();
await close();
process.exit(0);

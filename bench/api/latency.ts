// API latency under no load: p50/p99 of the product list, search and product
// detail over HTTP (one request at a time, keep-alive), side by side with the
// SQL those requests run, replayed alone through node-postgres. The ratio is
// what the framework (Astro, Prisma's query compiler, JSON, HTTP) adds.
// Needs the 10k bench catalog (prepared on first run, like bench:load).
//   npm run bench:api
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { Client } from 'undici';
import { p50p99 } from '../load/arrivals.ts';
import { BENCH_DB, prepare, sample, startSoko } from '../load/setup.ts';
import { openAdapter, type Db } from '../../src/lib/server/db.ts';
import { PrismaClient } from '../../src/generated/prisma/client.ts';
import { searchProducts } from '../../src/lib/server/catalog/search.ts';
import { getProductDetail } from '../../src/lib/server/catalog/product.ts';
import { productQuerySchema } from '../../src/lib/shared/catalog-query.ts';

const N = Number(process.env.N ?? 300);
const PORT = 4520;
await prepare(10_000);
const s = await sample();
const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;

interface Case {
  name: string;
  path: (i: number) => string;
  /** The same work through the domain function, to capture its SQL. */
  run: (db: Db, i: number) => Promise<unknown>;
}
// Every request i is a different query (the limit varies too), so the first
// pass misses the server's short read cache; a second request for the same
// path right after measures a hit.
const listQuery = (i: number) =>
  `category=${pick(s.categories, i)}&sort=${pick(['newest', 'price_asc', 'price_desc'], Math.floor(i / 8))}&limit=${20 + (Math.floor(i / 24) % 60)}`;
const searchQuery = (i: number) =>
  `q=${pick(['gold', 'leather', 'coffee', 'silk', 'ring', 'vase'], i)}&inStock=true&maxPrice=${pick([5000, 20000, 100000], Math.floor(i / 6))}&limit=${20 + (Math.floor(i / 18) % 60)}`;
const parse = (q: string) => productQuerySchema.parse(Object.fromEntries(new URLSearchParams(q)));
const cases: Case[] = [
  {
    name: 'list',
    path: (i) => `/api/products?${listQuery(i)}`,
    run: (db, i) => searchProducts(db, parse(listQuery(i))),
  },
  {
    name: 'search',
    path: (i) => `/api/products?${searchQuery(i)}`,
    run: (db, i) => searchProducts(db, parse(searchQuery(i))),
  },
  {
    name: 'detail',
    path: (i) => `/api/products/${pick(s.ids, i)}`,
    run: (db, i) => getProductDetail(db, pick(s.ids, i)),
  },
];

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

// 1. Capture each request's SQL (Prisma's query log) by running the domain code in this process.
const captured = new Map<string, { sql: string; params: unknown[] }[][]>();
{
  const db = new PrismaClient({
    adapter: openAdapter({ url: BENCH_DB, poolSize: 1 }).adapter,
    log: [{ emit: 'event', level: 'query' }],
  });
  let current: { sql: string; params: unknown[] }[] = [];
  db.$on('query', (ev) => current.push({ sql: ev.query, params: JSON.parse(ev.params) as unknown[] }));
  for (const c of cases) {
    const runs: { sql: string; params: unknown[] }[][] = [];
    for (let i = 0; i < N; i++) {
      current = [];
      await c.run(db as unknown as Db, i);
      runs.push(current);
    }
    captured.set(c.name, runs);
  }
  await db.$disconnect();
}

// 2. SQL alone: the same statements, one request's worth at a time, on one connection.
const sqlTimes = new Map<string, number[]>();
{
  const client = new pg.Client({ connectionString: BENCH_DB });
  await client.connect();
  for (const c of cases) {
    const runs = captured.get(c.name)!;
    for (const r of runs.slice(0, 20)) for (const q of r) await client.query(q.sql, q.params); // warm
    const times: number[] = [];
    for (const r of runs) {
      const t0 = process.hrtime.bigint();
      for (const q of r) await client.query(q.sql, q.params);
      times.push(ms(t0));
    }
    sqlTimes.set(c.name, times);
  }
  await client.end();
}

// 3. Over HTTP, through the built server (one worker).
const server = await startSoko(PORT, { WEB_CONCURRENCY: '1' });
const http = new Client(`http://127.0.0.1:${PORT}`, { keepAliveTimeout: 60_000 });
const results = [];
try {
  for (const c of cases) {
    const get = async (i: number) => {
      const res = await http.request({ path: c.path(i), method: 'GET', headers: { accept: 'application/json' } });
      const body = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`${c.path(i)}: ${res.statusCode} ${body.slice(0, 200)}`);
    };
    for (let i = N; i < N + 30; i++) await get(i); // warm up (other keys than the measured ones)
    const miss: number[] = [];
    const hit: number[] = [];
    for (let i = 0; i < N; i++) {
      let t0 = process.hrtime.bigint();
      await get(i);
      miss.push(ms(t0));
      t0 = process.hrtime.bigint();
      await get(i);
      hit.push(ms(t0));
    }
    const api = p50p99(miss);
    const sql = p50p99(sqlTimes.get(c.name)!);
    const statements = captured.get(c.name)![0]!.length;
    results.push({
      route: c.name,
      statements,
      api,
      cached: p50p99(hit),
      sql,
      ratioP50: Math.round((api.p50 / sql.p50) * 10) / 10,
    });
  }
} finally {
  await http.close();
  server.kill('SIGTERM');
}
const out = { when: new Date().toISOString(), requests: N, results };
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/api-latency.json', JSON.stringify(out, null, 2));
console.table(
  results.map((r) => ({
    route: r.route,
    statements: r.statements,
    'sql p50': r.sql.p50,
    'sql p99': r.sql.p99,
    'api p50': r.api.p50,
    'api p99': r.api.p99,
    'api/sql p50': r.ratioP50,
    'cached p50': r.cached.p50,
    'cached p99': r.cached.p99,
  })),
);
process.exit(0);

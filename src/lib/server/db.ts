// One Prisma client per process. DATABASE_URL set: PostgreSQL through
// @prisma/adapter-pg with a bounded pool. Unset: embedded PGlite in a local
// folder, so a fresh clone runs with no database server at all.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { getEnv } from './env.ts';
import { AppError, isWriteConflict } from './http/errors.ts';

export type Db = PrismaClient;

export interface DbTarget {
  /** postgres:// URL, or undefined for embedded PGlite. */
  url?: string;
  /** PGlite data folder ('memory://' for a throwaway in-memory database). */
  pgliteDir?: string;
  poolSize?: number;
}

export interface DbHandle {
  adapter: SqlMigrationAwareDriverAdapterFactory;
  engine: 'postgresql' | 'pglite';
  close(): Promise<void>;
}

export function openAdapter(target: DbTarget, pgClient?: typeof pg.Client): DbHandle {
  if (target.url) {
    const adapter = new PrismaPg({
      connectionString: target.url,
      ...(pgClient ? { Client: pgClient } : {}),
      max: target.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    return { adapter, engine: 'postgresql', close: async () => {} };
  }
  const dir = target.pgliteDir ?? '.data/pglite';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir);
  return { adapter: new PrismaPGlite(pglite), engine: 'pglite', close: () => pglite.close() };
}

export function createDb(target: DbTarget): { db: Db; engine: DbHandle['engine']; close(): Promise<void> } {
  return clientFor(openAdapter(target));
}

/** A Prisma client over an already opened adapter (tests share one in-memory PGlite this way). */
export function clientFor(handle: DbHandle): { db: Db; engine: DbHandle['engine']; close(): Promise<void> } {
  const db = new PrismaClient({ adapter: handle.adapter });
  return {
    db,
    engine: handle.engine,
    async close() {
      await db.$disconnect();
      await handle.close();
    },
  };
}

export function targetFromEnv(): DbTarget {
  const env = getEnv();
  return { url: env.DATABASE_URL, pgliteDir: env.PGLITE_DATA_DIR, poolSize: env.DATABASE_POOL_SIZE };
}

// Kept on globalThis: server.mjs loads this module directly while the Astro
// bundle carries its own copy, and both must use one client (one pool, and
// never two PGlite instances on the same folder).
const SHARED = Symbol.for('soko.db.shared');
const holder = globalThis as { [SHARED]?: ReturnType<typeof createDb> };

/** The process-wide client, configured from the environment. */
export function getDb(): Db {
  holder[SHARED] ??= createDb(targetFromEnv());
  return holder[SHARED].db;
}

export function getDbEngine(): DbHandle['engine'] {
  getDb();
  return holder[SHARED]!.engine;
}

export async function closeDb(): Promise<void> {
  const s = holder[SHARED];
  holder[SHARED] = undefined;
  await s?.close();
}

/**
 * Runs `run`, and again (up to `attempts` runs in all, after a short random pause) when
 * PostgreSQL failed it to settle a conflict with another transaction: a serialization failure
 * or a broken deadlock (isWriteConflict). Then a 409 saying `conflict`.
 */
export async function retriedOnConflict<T>(
  run: () => Promise<T>,
  opts: { attempts: number; conflict: string },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isWriteConflict(err)) throw err;
      if (attempt >= opts.attempts) throw new AppError('CONFLICT', opts.conflict);
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
    }
  }
}

/** `fn` in a transaction, retried as retriedOnConflict says. */
export function retriedTransaction<T>(
  db: Db,
  fn: (tx: Prisma.TransactionClient) => Promise<T>,
  opts: {
    maxWait: number;
    timeout: number;
    isolationLevel?: Prisma.TransactionIsolationLevel;
    attempts: number;
    conflict: string;
  },
): Promise<T> {
  const { attempts, conflict, ...txOptions } = opts;
  return retriedOnConflict(() => db.$transaction(fn, txOptions), { attempts, conflict });
}

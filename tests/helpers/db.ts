// Each test file gets its own database on each engine: an in-memory PGlite and
// a fresh PostgreSQL database, both synced from prisma/schema.prisma. Files
// run in parallel without sharing state, and nothing is left behind.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe } from 'vitest';
import { syncSchema, syncSchemaWith } from '../../prisma/sync.ts';
import { clientFor, createDb, openAdapter, type Db } from '../../src/lib/server/db.ts';
import { createDatabase, dropDatabase } from './postgres.ts';

export type Engine = 'pglite' | 'postgresql';
export const ENGINES: Engine[] = ['pglite', 'postgresql'];

export interface TestDb {
  db: Db;
  engine: Engine;
  /** postgres:// URL for PostgreSQL; undefined for PGlite. */
  url?: string;
}

export async function openTestDb(engine: Engine): Promise<TestDb & { close(): Promise<void> }> {
  if (engine === 'pglite') {
    // An in-memory PGlite lives in one instance: sync and query through the same adapter.
    const handle = openAdapter({ pgliteDir: 'memory://' });
    await syncSchemaWith(handle);
    const { db, close } = clientFor(handle);
    return { db, engine, close };
  }
  const name = `soko_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(name);
  await syncSchema({ url, poolSize: 2 });
  const { db, close } = createDb({ url, poolSize: 5 });
  return {
    db,
    engine,
    url,
    async close() {
      await close();
      await dropDatabase(name);
    },
  };
}

/** Declares `fn`'s tests once per engine, each against its own fresh database. */
export function describeEachEngine(name: string, fn: (ctx: () => TestDb) => void, engines: Engine[] = ENGINES): void {
  for (const engine of engines) {
    describe(`${name} [${engine}]`, () => {
      let handle: (TestDb & { close(): Promise<void> }) | undefined;
      beforeAll(async () => {
        handle = await openTestDb(engine);
      });
      afterAll(async () => {
        await handle?.close();
      });
      fn(() => {
        if (!handle) throw new Error('test database not ready');
        return handle;
      });
    });
  }
}

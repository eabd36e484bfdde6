// db:sync on an existing database, on both engines: a second run changes
// nothing; an upgrade applies what is safe (a new unique constraint on a
// column without duplicates) and still refuses what would lose data (dropping
// a column that holds values).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncSchema, syncSchemaWith } from '../../prisma/sync.ts';
import { openAdapter, type DbHandle } from '../../src/lib/server/db.ts';
import { createDatabase, dropDatabase } from '../helpers/postgres.ts';

async function exec(handle: DbHandle, sql: string): Promise<void> {
  const conn = await handle.adapter.connect();
  try {
    await conn.executeRaw({ sql, args: [], argTypes: [] });
  } finally {
    await conn.dispose();
  }
}

async function indexExists(handle: DbHandle, name: string): Promise<boolean> {
  const conn = await handle.adapter.connect();
  try {
    const r = await conn.queryRaw({ sql: `SELECT 1 FROM pg_class WHERE relname = '${name}'`, args: [], argTypes: [] });
    return r.rows.length === 1;
  } finally {
    await conn.dispose();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

/** A database of this engine, and how to sync it the way `npm run db:sync` does. */
async function open(engine: 'pglite' | 'postgresql'): Promise<{ handle: DbHandle; sync: () => Promise<number> }> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'soko-sync-'));
    const handle = openAdapter({ pgliteDir: dir });
    cleanups.push(async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    });
    return { handle, sync: () => syncSchemaWith(handle) };
  }
  const name = `soko_sync_${randomBytes(4).toString('hex')}`;
  const url = await createDatabase(name);
  const handle = openAdapter({ url, poolSize: 2 });
  cleanups.push(async () => {
    await (handle.adapter as unknown as { dispose?: () => Promise<void> }).dispose?.();
    await dropDatabase(name);
  });
  return { handle, sync: () => syncSchema({ url, poolSize: 2 }) };
}

for (const engine of ['pglite', 'postgresql'] as const) {
  describe(`schema sync on an existing database [${engine}]`, () => {
    it('adds a unique constraint the schema gained, and refuses to drop a column holding data', async () => {
      const { handle, sync } = await open(engine);
      expect(await sync()).toBeGreaterThan(0);
      // Safe on every start: a database already in sync gets no steps, and extras.sql re-applies cleanly.
      expect(await sync()).toBe(0);
      // The database as an older version left it: the unique index did not exist yet.
      await exec(handle, 'DROP INDEX "Profile_logoImageId_key"');
      expect(await indexExists(handle, 'Profile_logoImageId_key')).toBe(false);
      await sync();
      expect(await indexExists(handle, 'Profile_logoImageId_key')).toBe(true);

      // A column the schema does not know, with data in it: never dropped silently.
      await exec(handle, `INSERT INTO "Category" ("id", "slug", "name") VALUES ('c1', 'c1', 'C1')`);
      await exec(handle, 'ALTER TABLE "Category" ADD COLUMN "legacy" text');
      await exec(handle, `UPDATE "Category" SET "legacy" = 'keep me'`);
      await expect(sync()).rejects.toThrow(/would lose data[\s\S]*legacy/);
    }, 60_000);
  });
}

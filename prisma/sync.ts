// Applies prisma/schema.prisma (and prisma/extras.sql) to the configured
// database without the native schema engine: Prisma's wasm schema engine over
// the same driver adapter the app uses. Works offline, idempotent, safe on
// every start. Usage: npm run db:sync
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { openAdapter, targetFromEnv, type DbHandle, type DbTarget } from '../src/lib/server/db.ts';

const schemaPath = fileURLToPath(new URL('./schema.prisma', import.meta.url));
const extrasPath = fileURLToPath(new URL('./extras.sql', import.meta.url));

// The schema engine introspects pg_catalog, whose "char" columns (OID 18)
// @prisma/adapter-pg cannot map (it throws UnsupportedNativeDataType). The pg
// client below reports them as text and marks their positions on the rows
// array; the adapter wrapper then declares those columns as Character, which
// is what the engine expects. Only schema sync needs this; the app never
// reads pg_catalog.
const CHAR_OID = 18;
const TEXT_OID = 25;
const CHARACTER_COLUMN = 6; // ColumnTypeEnum.Character in @prisma/driver-adapter-utils
const charColumns = Symbol('charColumns');

class CharAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const fix = (r: pg.QueryResult | undefined) => {
      const marked: number[] = [];
      (r?.fields ?? []).forEach((f, i) => {
        if (f.dataTypeID === CHAR_OID) {
          f.dataTypeID = TEXT_OID;
          marked.push(i);
        }
      });
      if (r && marked.length > 0) Object.defineProperty(r.rows, charColumns, { value: marked });
      return r;
    };
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (err: unknown, r: pg.QueryResult) => callback(err, fix(r));
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    return (result instanceof Promise ? result.then(fix) : result) as never;
  }
}

type Queryable = {
  queryRaw(q: unknown): Promise<{ columnTypes: number[]; rows: unknown[] }>;
  startTransaction?: (...a: unknown[]) => Promise<Queryable>;
};

function withCharColumns<T extends Queryable>(q: T): T {
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const marked = (result.rows as { [charColumns]?: number[] })[charColumns] ?? [];
    for (const i of marked) result.columnTypes[i] = CHARACTER_COLUMN;
    return result;
  };
  const start = q.startTransaction;
  if (start) q.startTransaction = async (...a: unknown[]) => withCharColumns(await start.apply(q, a));
  return q;
}

function charAwareFactory(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  return Object.assign(Object.create(factory) as SqlMigrationAwareDriverAdapterFactory, {
    connect: async () => withCharColumns((await factory.connect()) as never),
    connectToShadowDb: async () => withCharColumns((await factory.connectToShadowDb()) as never),
  });
}

/** prisma/extras.sql split into statements: one per blank-line-separated block. */
function readExtras(): string[] {
  return readFileSync(extrasPath, 'utf8')
    .split(/\n\s*\n/)
    .map((block) =>
      block
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((sql) => sql.length > 0);
}

export async function syncSchema(target: DbTarget, log: (msg: string) => void = () => {}): Promise<number> {
  const handle = openAdapter(target, CharAsTextClient);
  try {
    return await syncSchemaWith(handle, log);
  } finally {
    await handle.close();
  }
}

/** Syncs through an adapter the caller opened and will close. */
export async function syncSchemaWith(handle: DbHandle, log: (msg: string) => void = () => {}): Promise<number> {
  const schema = readFileSync(schemaPath, 'utf8');
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(
      handle.engine === 'postgresql' ? charAwareFactory(handle.adapter) : handle.adapter,
    ),
  );
  const push = (force: boolean) =>
    engine.schemaPush({
      force,
      schema: { files: [{ path: schemaPath, content: schema }] },
      filters: { externalTables: [], externalEnums: [] },
    });
  let result = await push(false);
  let accepted: string[] = [];
  // "A unique constraint ... will be added" is a warning, not a loss: if
  // duplicates existed, creating the constraint would fail and change nothing.
  // Any other warning (a dropped column, a narrowed type) still stops the sync.
  if (
    result.unexecutable.length === 0 &&
    result.warnings.length > 0 &&
    result.warnings.every((w) => /^A unique constraint covering the columns .* will be added\./.test(w))
  ) {
    accepted = result.warnings;
    result = await push(true);
  }
  const refused = result.warnings.filter((w) => !accepted.includes(w));
  if (result.unexecutable.length > 0 || refused.length > 0) {
    throw new Error(`Schema sync refused (it would lose data):\n${[...result.unexecutable, ...refused].join('\n')}`);
  }
  engine.free();
  const conn = await handle.adapter.connect();
  try {
    for (const sql of readExtras()) await conn.executeRaw({ sql, args: [], argTypes: [] });
  } finally {
    await conn.dispose();
  }
  log(`schema in sync (${handle.engine}, ${result.executedSteps} step(s) applied)`);
  return result.executedSteps;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  syncSchema(targetFromEnv(), (m) => console.log(`db:sync: ${m}`)).then(
    // Exit at once: idle pool and engine handles would otherwise keep the process up.
    () => process.exit(0),
    (err: unknown) => {
      console.error(`db:sync failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}

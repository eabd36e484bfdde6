// `npm run create-admin`: creates an admin (password from ADMIN_PASSWORD or
// stdin), promotes an existing account, records either in the audit log,
// refuses bad input with exit code 2; on PostgreSQL and on the embedded PGlite database.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/lib/server/db.ts';
import { syncSchema } from '../../prisma/sync.ts';
import { verifyPassword } from '../../src/lib/server/auth/password.ts';
import { createDatabase, dropDatabase } from '../helpers/postgres.ts';

const name = `soko_test_cli_${process.pid}`;
let url = '';
let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  url = await createDatabase(name);
  await syncSchema({ url, poolSize: 2 });
  ({ db, close } = createDb({ url, poolSize: 2 }));
});
afterAll(async () => {
  await close();
  await dropDatabase(name);
});

const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/create-admin.ts', ...args], {
    env: { ...process.env, DATABASE_URL: url, ...env },
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });

it('creates an admin with the password from ADMIN_PASSWORD', async () => {
  const r = cli(['--email', ' Ops@Example.com ', '--name', 'Ops Team'], { ADMIN_PASSWORD: 'a long admin phrase' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/Created admin ops@example.com/);
  const u = await db.user.findUniqueOrThrow({ where: { email: 'ops@example.com' } });
  expect(u.role).toBe('ADMIN');
  expect(await verifyPassword('a long admin phrase', u.passwordHash)).toBe(true);
  // Audited: no admin acted, so the new account is its own actor and `via` names the command.
  expect(await db.auditLog.findMany({ where: { targetId: u.id } })).toEqual([
    expect.objectContaining({
      actorId: u.id,
      action: 'user.create',
      targetType: 'user',
      before: null,
      after: { role: 'ADMIN', status: 'ACTIVE', via: 'npm run create-admin' },
    }),
  ]);
}, 90_000);

it('reads the password from standard input when ADMIN_PASSWORD is unset', async () => {
  const r = cli(['--email', 'stdin-admin@example.com'], { ADMIN_PASSWORD: '' }, 'another long phrase\n');
  expect(r.status, r.stderr).toBe(0);
  const u = await db.user.findUniqueOrThrow({ where: { email: 'stdin-admin@example.com' } });
  expect(await verifyPassword('another long phrase', u.passwordHash)).toBe(true);
}, 90_000);

it('promotes an existing account and ends its sessions', async () => {
  await db.user.create({ data: { email: 'buyer-cli@example.com', name: 'B', passwordHash: 'x' } });
  const r = cli(['--email', 'buyer-cli@example.com'], { ADMIN_PASSWORD: '' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/Promoted admin/);
  const u = await db.user.findUniqueOrThrow({ where: { email: 'buyer-cli@example.com' } });
  expect(u.role).toBe('ADMIN');
  expect(u.tokenVersion).toBe(1);
  // A role change like the one /admin/users records, with the command as its source.
  expect(await db.auditLog.findMany({ where: { targetId: u.id } })).toEqual([
    expect.objectContaining({
      actorId: u.id,
      action: 'user.role',
      targetType: 'user',
      before: { role: 'BUYER', status: 'ACTIVE' },
      after: { role: 'ADMIN', status: 'ACTIVE', via: 'npm run create-admin' },
    }),
  ]);
}, 90_000);

it('records a new password given while promoting, and a suspended account made active again', async () => {
  const before = await db.user.create({
    data: { email: 'suspended-cli@example.com', name: 'S', passwordHash: 'x', status: 'SUSPENDED' },
  });
  const r = cli(['--email', 'suspended-cli@example.com'], { ADMIN_PASSWORD: 'a fresh admin phrase' });
  expect(r.status, r.stderr).toBe(0);
  const u = await db.user.findUniqueOrThrow({ where: { id: before.id } });
  expect(u).toMatchObject({ role: 'ADMIN', status: 'ACTIVE' });
  expect(await verifyPassword('a fresh admin phrase', u.passwordHash)).toBe(true);
  const [entry, ...more] = await db.auditLog.findMany({ where: { targetId: u.id } });
  expect(more).toEqual([]);
  expect(entry).toMatchObject({
    actorId: u.id,
    action: 'user.role',
    before: { role: 'BUYER', status: 'SUSPENDED' },
    after: { role: 'ADMIN', status: 'ACTIVE', via: 'npm run create-admin', passwordChanged: true },
  });
}, 90_000);

it('refuses a bad email or a common password', async () => {
  const audited = await db.auditLog.count();
  expect(cli(['--email', 'not-an-email']).status).toBe(2);
  expect(cli([]).status).toBe(2);
  const weak = cli(['--email', 'weak@example.com'], { ADMIN_PASSWORD: 'password123' });
  expect(weak.status).toBe(1);
  expect(weak.stderr).toMatch(/common/);
  expect(await db.user.count({ where: { email: 'weak@example.com' } })).toBe(0);
  // Nothing was done, so nothing is audited.
  expect(await db.auditLog.count()).toBe(audited);
}, 90_000);

it('works on the embedded PGlite database when DATABASE_URL is unset', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'soko-cli-'));
  try {
    await syncSchema({ pgliteDir: dir });
    const r = cli(['--email', 'pglite-admin@example.com'], {
      DATABASE_URL: '',
      PGLITE_DATA_DIR: dir,
      ADMIN_PASSWORD: 'an embedded admin phrase',
    });
    expect(r.status, r.stderr).toBe(0);
    const local = createDb({ pgliteDir: dir });
    try {
      const u = await local.db.user.findUniqueOrThrow({ where: { email: 'pglite-admin@example.com' } });
      expect(u.role).toBe('ADMIN');
      expect(await verifyPassword('an embedded admin phrase', u.passwordHash)).toBe(true);
      expect(
        await local.db.auditLog.findMany({ where: { targetId: u.id }, select: { actorId: true, action: true } }),
      ).toEqual([{ actorId: u.id, action: 'user.create' }]);
    } finally {
      await local.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

// `npm test` needs PostgreSQL and Chromium. Without them it fails and says how
// to get them: never a silent skip.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';

function run(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

it('fails the Vitest suite when PostgreSQL is unreachable, saying how to start it', () => {
  // Nothing listens on port 1.
  const { status, output } = run(['node_modules/vitest/vitest.mjs', 'run', 'tests/unit/env.test.ts'], {
    TEST_POSTGRES_URL: 'postgresql://postgres@127.0.0.1:1/postgres',
  });
  expect(status).not.toBe(0);
  expect(output).toContain('PostgreSQL is required');
  expect(output).toContain('pg_ctlcluster --skip-systemctl-redirect');
}, 150_000);

it('fails the Playwright suite when Chromium is missing, saying how to install it', () => {
  const { status, output } = run(['node_modules/@playwright/test/cli.js', 'test', '--list'], {
    CHROMIUM_PATH: '/nonexistent/chromium',
  });
  expect(status).not.toBe(0);
  expect(output).toContain('apt-get install -y chromium');
}, 150_000);

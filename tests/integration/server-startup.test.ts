// `npm run serve` (server.mjs) checks the environment before anything else: a
// bad value stops it with a message naming the variable, even before a build exists.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

function serve(vars: Record<string, string | undefined>) {
  const env: Record<string, string | undefined> = { ...process.env, NODE_ENV: 'development', ...vars };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  // No build in this folder: a valid environment gets as far as "No build found".
  env.SOKO_OUT_DIR = '.data/test/no-build-here';
  const r = spawnSync(process.execPath, ['server.mjs'], { env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

it.each([
  ['WHATSAPP_NUMBER', { WHATSAPP_NUMBER: '+254 756 185 209' }],
  ['PUBLIC_SITE_URL', { PUBLIC_SITE_URL: 'soko.example' }],
  ['DATABASE_URL', { DATABASE_URL: 'mysql://db/soko' }],
  ['PORT', { PORT: 'eighty' }],
  ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
  ['JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: undefined }],
])('refuses to start with a bad %s and names it', (name, vars) => {
  const { status, stderr } = serve(vars);
  expect(status).toBe(1);
  expect(stderr).toMatch(new RegExp(`^\\s+${name}: `, 'm'));
  expect(stderr).not.toMatch(/No build found|\n\s+at /);
});

it('gets past validation with a good environment', () => {
  const { status, stderr } = serve({ JWT_SECRET: undefined });
  expect(status).toBe(1);
  expect(stderr).toMatch(/No build found/);
});

it("loads the modules it imports with Node's own type stripping (no tsx in production)", () => {
  const modules = [...readFileSync('server.mjs', 'utf8').matchAll(/import\('(\.\/[^']+\.ts)'\)/g)].map((m) => m[1]!);
  expect(modules).toContain('./src/lib/server/http/node-server.ts');
  const code = modules.map((m) => `await import(${JSON.stringify(pathToFileURL(resolve(m)).href)});`).join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
});

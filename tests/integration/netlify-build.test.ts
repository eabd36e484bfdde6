// The Netlify build (NETLIFY=true picks @astrojs/netlify) succeeds here:
// static pages in the publish folder, on-demand routes as a Netlify function,
// hashed assets cached for a year.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { syncSchema } from '../../prisma/sync.ts';

const work = mkdtempSync(join(tmpdir(), 'soko-netlify-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

it('builds for Netlify', async () => {
  const pgliteDir = join(work, 'pglite');
  await syncSchema({ pgliteDir });
  const outDir = join(work, 'dist');
  const result = spawnSync(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
    env: { ...process.env, NETLIFY: 'true', NODE_ENV: 'production', PGLITE_DATA_DIR: pgliteDir, SOKO_OUT_DIR: outDir },
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(result.status, result.stderr + result.stdout).toBe(0);
  // CI may force colours (FORCE_COLOR), which puts escape codes inside the line.
  expect(stripVTControlCharacters(result.stdout)).toMatch(/adapter: @astrojs\/netlify/);
  expect(existsSync(join(outDir, 'index.html'))).toBe(true);
  expect(readdirSync('.netlify/v1/functions').length).toBeGreaterThan(0);
  // Hashed build assets: immutable for a year, in the deploy config and in netlify.toml.
  expect(readdirSync(join(outDir, '_astro')).some((f) => /\.[\w-]{8}\.(js|css)$/.test(f))).toBe(true);
  const deploy = JSON.parse(readFileSync('.netlify/v1/config.json', 'utf8')) as {
    headers: { for: string; values: Record<string, string> }[];
  };
  const immutable = 'public, max-age=31536000, immutable';
  expect(deploy.headers.find((h) => h.for === '/_astro/*')?.values['Cache-Control']).toBe(immutable);
  expect(readFileSync('netlify.toml', 'utf8')).toMatch(
    new RegExp(`for = "/_astro/\\*"\\s+\\[headers\\.values\\]\\s+Cache-Control = "${immutable}"`),
  );
}, 300_000);

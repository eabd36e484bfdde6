// A second server process over the e2e build, for tests that stop, starve or
// signal a server (faults, database outages) without touching the shared one.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from '@playwright/test';
import { E2E_PORT } from '../../../playwright.config.ts';
import { E2E_JWT_SECRET } from './auth.ts';

export interface SpawnedServer {
  process: ChildProcess;
  base: string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  output(): string;
}

export async function spawnServer(opts: {
  port: number;
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<SpawnedServer> {
  let log = '';
  const child = spawn(process.execPath, ['server.mjs'], {
    env: {
      ...process.env,
      DATABASE_URL: opts.databaseUrl ?? `postgresql://postgres@127.0.0.1:5432/soko_e2e_${E2E_PORT}`,
      JWT_SECRET: E2E_JWT_SECRET,
      PUBLIC_SITE_URL: `http://127.0.0.1:${E2E_PORT}`,
      SOKO_OUT_DIR: resolve(`.data/e2e-${E2E_PORT}/dist`),
      UPLOADS_DIR: resolve('.data/test/uploads'),
      IMAGE_CACHE_DIR: resolve(`.data/e2e-${E2E_PORT}/image-cache`),
      BCRYPT_ROUNDS: '4',
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  const base = `http://127.0.0.1:${opts.port}`;
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 30_000 })
    .toBe(200);
  return { process: child, base, exited, output: () => log };
}

/** Resident memory of a process in MB (Linux). */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

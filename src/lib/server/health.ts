// Liveness plus a real database round trip.
import type { Db } from './db.ts';

export interface Health {
  status: 'ok' | 'unavailable';
  database: { status: 'up' | 'down'; engine: string; latencyMs?: number; error?: string };
}

export async function checkHealth(db: Db, engine: string, timeoutMs = 2_000): Promise<Health> {
  const started = performance.now();
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), timeoutMs).unref()),
    ]);
    return {
      status: 'ok',
      database: { status: 'up', engine, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
    };
  } catch {
    return { status: 'unavailable', database: { status: 'down', engine, error: 'unreachable' } };
  }
}

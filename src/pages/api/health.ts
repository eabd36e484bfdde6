import type { APIRoute } from 'astro';
import { getDb, getDbEngine } from '../../lib/server/db.ts';
import { checkHealth } from '../../lib/server/health.ts';
import { json } from '../../lib/server/http/errors.ts';

export const prerender = false;

export const GET: APIRoute = async () => {
  const health = await checkHealth(getDb(), getDbEngine());
  return json(health, health.status === 'ok' ? { status: 200 } : { status: 503, headers: { 'Retry-After': '5' } });
};

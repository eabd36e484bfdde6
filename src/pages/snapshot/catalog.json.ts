// Build-time snapshot of the catalog: the grid's fallback when the API is down.
import type { APIRoute } from 'astro';
import { getDb } from '../../lib/server/db.ts';
import { buildSnapshot } from '../../lib/server/catalog/pages.ts';

export const prerender = true;

export const GET: APIRoute = async () => Response.json(await buildSnapshot(getDb()));

// Build-time snapshot of one category (see ../catalog.json.ts).
import type { APIRoute, GetStaticPaths } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { listCategories } from '../../../lib/server/catalog/home.ts';
import { buildSnapshot } from '../../../lib/server/catalog/pages.ts';

export const prerender = true;

export const getStaticPaths = (async () =>
  (await listCategories(getDb())).map((c) => ({ params: { slug: c.slug } }))) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => Response.json(await buildSnapshot(getDb(), params.slug));

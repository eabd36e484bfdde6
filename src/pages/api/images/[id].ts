import type { APIRoute } from 'astro';
import { getDb } from '../../../lib/server/db.ts';
import { handle } from '../../../lib/server/http/errors.ts';
import { serveImage } from '../../../lib/server/images/variants.ts';

export const prerender = false;

export const GET: APIRoute = handle(({ params, url, request }) => serveImage(getDb(), params.id, url, request.headers));

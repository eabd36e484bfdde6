// Any /api path no route matched: a JSON 404, never the HTML error page.
import type { APIRoute } from 'astro';
import { AppError, errorResponse } from '../../lib/server/http/errors.ts';

export const prerender = false;

export const ALL: APIRoute = ({ url }) => errorResponse(new AppError('NOT_FOUND', `No API route at ${url.pathname}`));

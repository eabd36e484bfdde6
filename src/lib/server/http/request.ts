// Reading JSON request bodies. Only application/json is accepted: a
// cross-site form post (text/plain, urlencoded, multipart) cannot reach a JSON
// endpoint, and a browser needs a CORS preflight to send application/json
// cross-origin, which this server never grants.
import type { z } from 'zod';
import { AppError, badRequest, fromZod } from './errors.ts';

const MAX_JSON_BYTES = 16 * 1024;

export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
  }
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_JSON_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', `Request body must be at most ${MAX_JSON_BYTES} bytes`);
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_JSON_BYTES) {
    throw new AppError('PAYLOAD_TOO_LARGE', `Request body must be at most ${MAX_JSON_BYTES} bytes`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw badRequest('Request body is not valid JSON');
  }
  return parseOr400(schema, data);
}

/** Parses with a zod schema; a failure is a 400 naming the field (`body.email`, `query.page`...). */
export function parseOr400<S extends z.ZodType>(schema: S, data: unknown, where = 'body'): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw fromZod(result.error, where);
  return result.data;
}

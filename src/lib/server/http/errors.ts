// Typed domain errors, mapped to HTTP in one place. Server modules throw these;
// API routes wrap their handler with `handle` and never build error JSON by hand.
import { z } from 'zod';

export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'HEADERS_TOO_LARGE'
  | 'REQUEST_TIMEOUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'GONE'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  GONE: 410,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

// Plain fields, not parameter properties: server.mjs loads this module through
// Node's type stripping, which does not support them.
export class AppError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details?: unknown;
  readonly headers: Record<string, string>;
  constructor(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.details = details;
    this.headers = headers;
    this.status = STATUS[code];
  }
}

/** The HTTP status of an error code. */
export const statusOf = (code: ErrorCode): number => STATUS[code];

export const notFound = (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found`);
export const conflict = (message: string, details?: unknown) => new AppError('CONFLICT', message, details);
export const badRequest = (message: string, details?: unknown) => new AppError('BAD_REQUEST', message, details);

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(data), { ...init, headers });
}

export function errorResponse(err: AppError): Response {
  const body: { error: { code: string; message: string; details?: unknown } } = {
    error: { code: err.code, message: err.message },
  };
  if (err.details !== undefined) body.error.details = err.details;
  return json(body, { status: err.status, headers: err.headers });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A page that failed: a short HTML answer with the error's status, message and headers (503 + Retry-After...). */
export function errorPage(err: AppError): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(err.message)} · Soko Africa</title></head>
<body><main><h1>${escapeHtml(err.message)}</h1><p><a href="/">Back to the home page</a></p></main></body></html>
`;
  const headers = new Headers(err.headers);
  headers.set('Content-Type', 'text/html; charset=utf-8');
  headers.set('Cache-Control', 'no-store');
  return new Response(html, { status: err.status, headers });
}

/**
 * Answers a refusal on a plain Node response, before Astro: the JSON error for the API, the
 * error page elsewhere, over `headers` (the security headers of that kind of response).
 */
export function sendError(
  res: import('node:http').ServerResponse,
  err: AppError,
  { api, headers }: { api: boolean; headers: Record<string, string> },
): void {
  const r = api ? errorResponse(err) : errorPage(err);
  void r.text().then((body) => {
    res.writeHead(r.status, { ...headers, ...Object.fromEntries(r.headers) });
    res.end(body);
  });
}

/** A zod failure as a 400 that names each offending field. */
export function fromZod(error: z.ZodError, where = 'body'): AppError {
  const issues = error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
  const first = issues[0];
  const message = first ? `Invalid ${first.path}: ${first.message}` : `Invalid ${where}`;
  return new AppError('VALIDATION_FAILED', message, { issues });
}

type ErrorLink = {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { driverAdapterError?: unknown };
};

/** The error and the errors it wraps (Prisma raw queries wrap the adapter's error in meta rather than cause). */
function* errorChain(err: unknown): Generator<ErrorLink> {
  const seen = new Set<unknown>();
  let e: unknown = err;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const o = e as ErrorLink;
    yield o;
    e = o.cause ?? o.meta?.driverAdapterError;
  }
}

/** True when the error means the database cannot be reached (down, starting, refusing). */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (const o of errorChain(err)) {
    const code = typeof o.code === 'string' ? o.code : '';
    const msg = typeof o.message === 'string' ? o.message : '';
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'P1001', 'P1002', 'P1017', '57P01', '57P03'].includes(code))
      return true;
    if (o.name === 'PrismaClientInitializationError') return true;
    // The driver adapter's socket errors. A connection cut in the middle of a raw query (the
    // checkout's single statement) arrives as P2010 wrapping ConnectionClosed, which no code
    // above names: it was a 500 while the database was going away.
    if (o.kind === 'ConnectionClosed' || o.kind === 'DatabaseNotReachable' || o.kind === 'SocketTimeout') return true;
    if (
      /ECONNREFUSED|Connection terminated|Server has closed the connection|Can't reach database server|connect ETIMEDOUT|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|DatabaseNotReachable/i.test(
        msg,
      )
    ) {
      return true;
    }
  }
  return false;
}

/**
 * True when PostgreSQL failed a transaction to settle a conflict with another one: a
 * serialization failure (40001) or a broken deadlock (40P01). Running it again is safe.
 * Prisma reports these as P2034, or through the driver adapter as TransactionWriteConflict.
 */
export function isWriteConflict(err: unknown): boolean {
  // Our own refusals name products, whose titles could contain anything.
  if (err instanceof AppError) return false;
  for (const o of errorChain(err)) {
    if (o.code === 'P2034' || o.kind === 'TransactionWriteConflict') return true;
    if (o.originalCode === '40001' || o.originalCode === '40P01') return true;
    if (typeof o.message === 'string' && /could not serialize|deadlock detected/i.test(o.message)) return true;
  }
  return false;
}

/** True when a link of the error chain carries one of these SQLSTATEs, or a message matching `message`. */
function hasSqlState(err: unknown, states: readonly string[], message: RegExp): boolean {
  if (err instanceof AppError) return false;
  for (const o of errorChain(err)) {
    if (states.includes(String(o.originalCode)) || states.includes(String(o.code))) return true;
    if (typeof o.message === 'string' && message.test(o.message)) return true;
  }
  return false;
}

/**
 * True when checkout's write statement refused itself because a line's stock moved since the
 * read (checkout_assert in prisma/extras.sql raises SQLSTATE SK001): nothing was written.
 */
export const isStockMoved = (err: unknown): boolean => hasSqlState(err, ['SK001'], /checkout: stock moved/);

/**
 * True when PostgreSQL refused a text value it cannot store: a NUL character (22021, which a
 * percent-encoded %00 in a path or query, or \u0000 in JSON, becomes) or an untranslatable one
 * (22P05). That is the client's input, not a fault of the server.
 */
export const isInvalidText = (err: unknown): boolean =>
  hasSqlState(err, ['22021', '22P05'], /invalid byte sequence for encoding/i);

/** Any thrown value as an AppError; unknown errors are logged and hidden. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  // Input no route checked character by character (ids, search words) must not become a 500.
  if (isInvalidText(err)) return badRequest('The request contains characters that cannot be stored (NUL)');
  if (isDatabaseUnavailable(err)) {
    return new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable; please retry shortly', undefined, {
      'Retry-After': '5',
    });
  }
  console.error('[api] unexpected error', err);
  return new AppError('INTERNAL', 'Something went wrong on our side');
}

/** Wraps an API handler: thrown errors become `{ error: { code, message } }` with the right status. */
export function handle<C>(fn: (ctx: C) => Promise<Response> | Response): (ctx: C) => Promise<Response> {
  return async (ctx: C) => {
    try {
      return await fn(ctx);
    } catch (err) {
      return errorResponse(toAppError(err));
    }
  };
}

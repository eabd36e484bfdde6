import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AppError,
  errorPage,
  fromZod,
  handle,
  isDatabaseUnavailable,
  isInvalidText,
  toAppError,
} from '../../src/lib/server/http/errors.ts';

describe('API errors', () => {
  it('maps domain errors to their status with a JSON body', async () => {
    const route = handle(async () => {
      throw new AppError('CONFLICT', 'Only 2 left');
    });
    const res = await route({});
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({ error: { code: 'CONFLICT', message: 'Only 2 left' } });
  });

  it('hides unexpected errors behind a 500 without a stack trace', async () => {
    const route = handle(async () => {
      throw new Error('secret internals at /srv/app.ts:12');
    });
    const original = console.error;
    console.error = () => {};
    const res = await route({}).finally(() => (console.error = original));
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toMatch(/secret internals|app\.ts/);
    expect(JSON.parse(text).error.code).toBe('INTERNAL');
  });

  it('answers a failed page with escaped HTML, its status and headers, never cached', async () => {
    const res = errorPage(
      new AppError('SERVICE_UNAVAILABLE', 'Down <script>alert(1)</script> & out', undefined, { 'Retry-After': '5' }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('retry-after')).toBe('5');
    const html = await res.text();
    expect(html).toContain('<h1>Down &lt;script&gt;alert(1)&lt;/script&gt; &amp; out</h1>');
    expect(html).not.toContain('<script>');
  });

  it('turns an unreachable database into 503 with Retry-After', () => {
    const err = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('wrapped', { cause: err }))).toBe(true);
    const app = toAppError(err);
    expect(app.status).toBe(503);
    expect(app.headers['Retry-After']).toBe('5');
  });

  it('recognises a raw query whose adapter error sits in meta (Prisma P2010)', () => {
    const adapterError = Object.assign(new Error('DatabaseNotReachable'), { name: 'DriverAdapterError' });
    const err = Object.assign(new Error('Raw query failed. Code: `N/A`.'), {
      code: 'P2010',
      meta: { driverAdapterError: adapterError },
    });
    expect(isDatabaseUnavailable(err)).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: 'P2010', meta: {} }))).toBe(false);
  });

  it('treats a connection cut in the middle of a raw query (ConnectionClosed) as a 503', () => {
    // The shape Prisma 7 gave when the database went away during a checkout (database-down-load.spec.ts).
    const adapterError = Object.assign(new Error('ConnectionClosed'), {
      name: 'DriverAdapterError',
      cause: { kind: 'ConnectionClosed' },
    });
    const err = Object.assign(
      new Error('Raw query failed. Code: `N/A`. Message: `Server has closed the connection.`'),
      {
        code: 'P2010',
        meta: { driverAdapterError: adapterError },
      },
    );
    expect(toAppError(err).status).toBe(503);
    expect(isDatabaseUnavailable({ kind: 'SocketTimeout' })).toBe(true);
  });

  it('answers text PostgreSQL cannot store (a NUL) with a 400, not a 500', () => {
    const adapterError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      name: 'DriverAdapterError',
      cause: { kind: 'postgres', originalCode: '22021' },
    });
    const err = Object.assign(new Error('Invalid `prisma.productImage.findFirst()` invocation'), {
      meta: { driverAdapterError: adapterError },
    });
    expect(isInvalidText(err)).toBe(true);
    expect(toAppError(err).status).toBe(400);
    expect(isInvalidText(new Error('something else'))).toBe(false);
  });

  it('names the invalid field from a zod error', () => {
    const r = z.object({ limit: z.number().max(100) }).safeParse({ limit: 500 });
    const err = fromZod(r.error!, 'query');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/query\.limit/);
  });
});

// The API's endpoints, found by reading the route files under src/pages/api,
// so a test that covers "every endpoint" covers a new one without a list to
// keep up to date (tests/unit/strict-bodies.test.ts, tests/e2e/faults.spec.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const API_DIR = resolve('src/pages/api');

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ALL'] as const;
export type RouteMethod = (typeof HTTP_METHODS)[number];

export function routeFiles(dir: string = API_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? routeFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    )
    .sort();
}

export type Segment = { literal: string } | { param: string; rest: boolean };

export interface ApiEndpoint {
  /** The route file, relative to src/pages/api (`/products/[id].ts`). */
  file: string;
  /** The URL pattern (`/api/products/[id]`). */
  pattern: string;
  segments: Segment[];
  method: RouteMethod;
  /** The handler reads the request body: JSON (readJson) or an upload (multipart). */
  readsBody: boolean;
  /** The handler streams a multipart upload. */
  upload: boolean;
}

/** One entry per exported method of every route file. */
export function apiEndpoints(dir: string = API_DIR): ApiEndpoint[] {
  const endpoints: ApiEndpoint[] = [];
  for (const path of routeFiles(dir)) {
    const file = path.slice(dir.length);
    const route = file.replace(/\.ts$/, '').replace(/\/index$/, '');
    const segments: Segment[] = `api${route}`
      .split('/')
      .filter(Boolean)
      .map((s) => {
        const m = /^\[(\.\.\.)?(\w+)\]$/.exec(s);
        return m ? { param: m[2]!, rest: Boolean(m[1]) } : { literal: s };
      });
    const src = readFileSync(path, 'utf8');
    // Each `export const METHOD` up to the next export: that method's handler.
    const chunks = src.split(/^(?=export const )/m);
    for (const chunk of chunks) {
      const method = /^export const (GET|POST|PUT|PATCH|DELETE|ALL)\b/.exec(chunk)?.[1] as RouteMethod | undefined;
      if (!method) continue;
      const upload = /assertUploadAllowed\(/.test(chunk);
      endpoints.push({
        file,
        pattern: `/api${route}`,
        segments,
        method,
        readsBody: upload || /readJson\(/.test(chunk),
        upload,
      });
    }
  }
  return endpoints;
}

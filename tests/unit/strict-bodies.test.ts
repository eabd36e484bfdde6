// Every JSON body an API route reads goes through a strict zod schema: an
// unknown field (role, sellerId, price, status...) is a 400, never silently
// dropped or mass-assigned. Found by reading the routes, so a new endpoint is
// checked without being listed here.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { API_DIR as API, routeFiles } from '../helpers/api-routes.ts';

/** [route, schema name, module the route imports it from] for each readJson call. */
function bodySchemas(): [string, string, string][] {
  const found: [string, string, string][] = [];
  for (const file of routeFiles(API)) {
    const src = readFileSync(file, 'utf8');
    for (const [, name] of src.matchAll(/readJson\(\s*request\s*,\s*(\w+)\s*\)/g)) {
      const from = new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*'([^']+)'`).exec(src)?.[1];
      if (!from) throw new Error(`${file}: cannot find where ${name} is imported from`);
      found.push([file.slice(API.length), name!, resolve(dirname(file), from)]);
    }
  }
  return found;
}

describe('JSON request bodies', () => {
  const cases = bodySchemas();

  it('finds the routes that read a body', () => {
    expect(cases.length).toBeGreaterThanOrEqual(13);
  });

  it.each(cases)('%s parses its body with a strict schema (%s)', async (_route, name, modulePath) => {
    const schema = (await import(pathToFileURL(modulePath).href))[name] as z.ZodType;
    const result = schema.safeParse({ mass_assigned_field: 'ADMIN' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.code)).toContain('unrecognized_keys');
  });
});

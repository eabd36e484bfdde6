// The layout rules of docs/ARCHITECTURE.md that a bundle would otherwise break
// quietly: browser code (islands, stores, lib/shared) never imports server
// modules, the Prisma client or Node built-ins; routes leave queries to
// lib/server, which stays free of Astro.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve('src');
const filesUnder = (dir: string): string[] =>
  readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|astro)$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

describe('code layout', () => {
  it('keeps server code out of islands, client stores and lib/shared', () => {
    const offending: string[] = [];
    for (const file of ['components/islands', 'stores', 'lib/shared'].flatMap(filesUnder)) {
      for (const spec of importsOf(file)) {
        const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)) : spec;
        if (/^(lib\/server|generated)\/|^node:|^(pg|sharp|@prisma\/|@electric-sql\/|astro:middleware)/.test(target))
          offending.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('keeps routes, components and layouts thin: Prisma is queried only in lib/server', () => {
    const files = ['pages', 'components', 'layouts'].flatMap(filesUnder).concat(join(root, 'middleware.ts'));
    const offending = files.filter((file) =>
      /\bdb\.(\$\w+|\w+\.(find|create|update|delete|upsert|count|aggregate|groupBy)\w*)\(/.test(
        readFileSync(file, 'utf8'),
      ),
    );
    expect(offending.map((f) => relative(root, f))).toEqual([]);
  });

  it('keeps lib/server free of Astro and of the pages', () => {
    const offending = filesUnder('lib/server').flatMap((file) =>
      importsOf(file)
        .filter((spec) => /^astro(:|\/|$)/.test(spec) || spec.includes('/pages/'))
        .map((spec) => `${relative(root, file)} imports ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});

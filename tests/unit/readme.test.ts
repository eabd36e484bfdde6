// The README is the new user's entry point: its Quick start is one code block
// of exactly two command lines, and its demo accounts are the seed's.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADMIN, BUYERS, SELLERS } from '../../prisma/seed/data.ts';
import { parseEnv } from '../../src/lib/server/env.ts';

const readme = readFileSync('README.md', 'utf8');
const section = (title: string) => readme.split(/^## /m).find((s) => s.startsWith(`${title}\n`)) ?? '';

describe('README', () => {
  it('starts with two command lines: install and serve, then test', () => {
    const blocks = [...section('Quick start').matchAll(/^```\w*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.trim().split('\n')).toEqual(['npm install && npm start', 'npm test']);
  });

  it('lists the demo accounts the seed creates, with their stores', () => {
    const accounts = section('Quick start');
    expect(accounts).toContain(ADMIN.email);
    for (const s of SELLERS) expect(accounts).toContain(`| ${s.email} | ${s.storeName}, ${s.location} |`);
    for (const b of BUYERS) expect(accounts).toContain(b.email.split('@')[0]!);
    expect(accounts).toContain(`\`${parseEnv({}).DEMO_PASSWORD}\` (\`DEMO_PASSWORD\``);
  });
});

import { expect, it } from 'vitest';
import { createDb } from '../../src/lib/server/db.ts';
import { checkHealth } from '../../src/lib/server/health.ts';
import { describeEachEngine } from '../helpers/db.ts';

describeEachEngine('health', (ctx) => {
  it('reports the database up', async () => {
    const h = await checkHealth(ctx().db, ctx().engine);
    expect(h.status).toBe('ok');
    expect(h.database.status).toBe('up');
  });
});

it('reports the database down when PostgreSQL is unreachable', async () => {
  // Nothing listens on port 1: the connection is refused at once.
  const { db, close } = createDb({ url: 'postgresql://postgres@127.0.0.1:1/none', poolSize: 1 });
  try {
    const h = await checkHealth(db, 'postgresql', 3_000);
    expect(h.status).toBe('unavailable');
    expect(h.database.status).toBe('down');
  } finally {
    await close();
  }
});

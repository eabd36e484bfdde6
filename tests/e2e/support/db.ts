// The e2e server's PostgreSQL database (soko_e2e_PORT), for specs that set up
// or check rows directly.
import pg from 'pg';
import { E2E_PORT } from '../../../playwright.config.ts';
import { databaseUrl } from '../../helpers/postgres.ts';

export const E2E_DB_URL = databaseUrl(`soko_e2e_${E2E_PORT}`);

/** One query on a short-lived connection. */
export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: E2E_DB_URL });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}

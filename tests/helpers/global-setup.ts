// Runs once before the Vitest suite: PostgreSQL must be there.
import { assertPostgresReachable } from './postgres.ts';

export default async function setup(): Promise<void> {
  await assertPostgresReachable();
}

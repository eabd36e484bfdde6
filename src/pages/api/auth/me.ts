import type { APIRoute } from 'astro';
import { requireActiveUser } from '../../../lib/server/authz/guards.ts';
import { getDb } from '../../../lib/server/db.ts';
import { handle, json } from '../../../lib/server/http/errors.ts';

export const prerender = false;

// Re-checked in the database: this is what islands trust to show who is signed in.
export const GET: APIRoute = handle(async ({ locals }) => {
  const { id, email, name, role } = await requireActiveUser(getDb(), locals);
  return json({ user: { id, email, name, role } });
});

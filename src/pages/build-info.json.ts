// Written at build time: when the static catalog pages were rendered. The node
// server's catalog gate reads it to route products and stores edited since
// then to their on-demand routes (src/lib/server/http/catalog-gate.ts).
import type { APIRoute } from 'astro';

// Module evaluation precedes page rendering, so edits during the build count as "after".
const builtAt = new Date().toISOString();

export const GET: APIRoute = () =>
  new Response(JSON.stringify({ builtAt }), { headers: { 'Content-Type': 'application/json' } });

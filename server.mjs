// Production entry: serves the built site (static files and on-demand routes).
// Build first with `npm run build`.
import { existsSync } from 'node:fs';

if (!existsSync(new URL('./dist/server/entry.mjs', import.meta.url))) {
  console.error('No build found in dist/. Run `npm run build` first (or `npm start`, which does everything).');
  process.exit(1);
}
process.env.HOST ??= '0.0.0.0';
process.env.PORT ??= '4321';
await import('./dist/server/entry.mjs');

// @ts-check
// Static by default: the catalog is pre-rendered at build time. Routes that
// need a request (API, admin, account) opt out with `export const prerender = false`.
import { defineConfig } from 'astro/config';
import node from '@astrojs/node';
import netlify from '@astrojs/netlify';
import react from '@astrojs/react';

// Netlify's build sets NETLIFY=true: build for its functions there, for a
// plain Node server everywhere else.
const onNetlify = process.env.NETLIFY === 'true';

export default defineConfig({
  site: process.env.PUBLIC_SITE_URL || 'http://localhost:4321',
  output: 'static',
  // Tests build into their own folder so they never clobber a developer's dist/.
  outDir: process.env.SOKO_OUT_DIR || './dist',
  // 'middleware': server.mjs owns the HTTP server and serves the built files itself
  // (lib/server/http/static-files.ts); the adapter's handler is Astro's request pipeline
  // alone. 'standalone' would first look every on-demand request up on disk (a blocking
  // lstat and a stat, an event-loop turn more for every API call and checkout).
  adapter: onNetlify ? netlify() : node({ mode: 'middleware' }),
  integrations: [
    react(),
    {
      // Lets src/lib/server/env.ts tell a build (NODE_ENV=production is set by
      // Astro, but no secrets are needed to pre-render) from a running server.
      name: 'soko-build-phase',
      hooks: {
        'astro:config:setup': ({ command }) => {
          if (command === 'build') process.env.SOKO_PHASE = 'build';
        },
      },
    },
  ],
  trailingSlash: 'ignore',
  build: { format: 'directory', inlineStylesheets: 'auto' },
  security: {
    // Cross-site requests (CSRF) are refused by src/middleware.ts with the same
    // rule (lib/server/http/origin-check.ts), so the API can answer JSON.
    checkOrigin: false,
    // A <meta> CSP on every page: script-src and style-src list the hashes of
    // Astro's own inline scripts and styles (islands hydrate under it); no
    // 'unsafe-inline'. frame-ancestors cannot be set by a meta tag: the
    // server sends it as a header (src/lib/server/http/security-headers.ts).
    csp: {
      directives: [
        "default-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
    },
  },
  server: { host: process.env.HOST || 'localhost', port: Number(process.env.PORT) || 4321 },
  vite: {
    // Prisma's generated client and native modules stay external in SSR.
    ssr: { external: ['sharp', '@electric-sql/pglite', 'pg'] },
  },
});

// Prisma CLI config. The app itself connects through driver adapters
// (src/lib/server/db.ts); this file only tells the CLI where the schema is.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/unused' },
});

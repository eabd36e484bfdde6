import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Playwright owns tests/e2e; Vitest must not pick up its *.spec.ts files.
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'src/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'dist/**'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    pool: 'forks',
    env: { NODE_ENV: 'test', BCRYPT_ROUNDS: '4', UPLOADS_DIR: '.data/test/uploads', IMAGE_CACHE_DIR: '.data/test/image-cache' },
  },
});

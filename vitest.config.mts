import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real clients run apart, once: npm run test:clients (vitest.clients.config.mts).
    exclude: [...configDefaults.exclude, 'tests/clients/**'],
    globalSetup: ['tests/global-setup.ts'],
    // Each file boots its own Strapi, and Strapi owns process-wide state (global.strapi, listeners): one process per file.
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    restoreMocks: true,
  },
});

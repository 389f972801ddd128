import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Real clients, the admin panel in a browser, the replicas under load and strapi develop run apart, once: npm run
    // test:clients, npm run test:browser, npm run test:scale, npm run test:develop.
    exclude: [...configDefaults.exclude, 'tests/clients/**', 'tests/browser/**', 'tests/scale/**', 'tests/develop/**'],
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

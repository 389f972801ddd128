import { defineConfig } from 'vitest/config';

/**
 * `npm run test:browser`: the admin panel in a real browser (chromium through playwright-core), served by the
 * playground with its admin built by the global setup. Kept out of `npm test`: the admin build takes about a minute.
 */
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/browser/global-setup.ts'],
    pool: 'forks',
    // Each file boots Strapi with its admin panel and drives one browser: one file at a time.
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});

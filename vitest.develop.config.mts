import { defineConfig } from 'vitest/config';

/**
 * Developer mode end to end (npm run test:develop): a real `strapi develop` process on a copy of the playground,
 * restarted by a schema change made through MCP. Run once in .ci/run.
 */
export default defineConfig({
  test: {
    include: ['tests/develop/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
    testTimeout: 400_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});

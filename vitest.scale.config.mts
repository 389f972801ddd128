import { defineConfig } from 'vitest/config';

/**
 * Replicas, load and faults (npm run test:scale): Strapi child processes on PostgreSQL and Redis, one file at a time
 * (each takes both cores), run once in .ci/run.
 */
export default defineConfig({
  test: {
    include: ['tests/scale/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});

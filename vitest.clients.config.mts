import { defineConfig } from 'vitest/config';

/**
 * `npm run test:clients`: real MCP clients (the MCP Inspector CLI and web UI, mcp-remote) replayed against the
 * playground. Kept out of `npm test`: it downloads the Inspector through npx on first use and drives a browser.
 */
export default defineConfig({
  test: {
    include: ['tests/clients/**/*.test.ts'],
    globalSetup: ['tests/clients/global-setup.ts'],
    pool: 'forks',
    // Each file boots Strapi and runs client processes in series: one file at a time keeps runs comparable.
    maxWorkers: 1,
    minWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
  },
});

'use strict';

/**
 * The database indexes of the mcp-server plugin (docs/search.md), by hand:
 *   npm run indexes -- check    which recommended indexes exist and which are missing
 *   npm run indexes -- apply    creates the missing ones (CREATE INDEX CONCURRENTLY: writes go on meanwhile)
 *   npm run indexes -- revert   drops the indexes the plugin created (named mcp_ix_*), and nothing else
 * Boots the playground's Strapi against its configured database (DATABASE_CLIENT, DATABASE_NAME, ...) without serving
 * HTTP, prints the report as JSON on stdout, and stops. PostgreSQL only: on SQLite nothing is recommended.
 */
const path = require('node:path');

const COMMANDS = ['check', 'apply', 'revert'];
const USAGE = `usage: npm run indexes -- ${COMMANDS.join('|')}`;

const main = async () => {
  const command = process.argv[2];
  if (!COMMANDS.includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  // The boot itself neither checks nor applies (this command does), and starts nothing beside Strapi.
  Object.assign(process.env, {
    MCP_INDEXES: 'off',
    PLAYGROUND_QUIET: 'true',
    PLAYGROUND_AUTHORIZATION_SERVER: 'false',
  });
  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  const { appDir, distDir } = await compileStrapi({ appDir: path.resolve(__dirname, '..') });
  const strapi = createStrapi({ appDir, distDir, autoReload: false, serveAdminPanel: false });
  // Strapi logs on stdout, where the report goes.
  strapi.log.level = 'error';
  await strapi.load();
  try {
    const report = await strapi.plugin('mcp-server').service('indexes')[command]();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await strapi.destroy();
  }
};

main().catch((error) => {
  process.stderr.write(`indexes: ${error.message}\n${USAGE}\n`);
  process.exit(1);
});

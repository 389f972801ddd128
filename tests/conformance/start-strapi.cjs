'use strict';

/**
 * Child process of run.mjs: boots the compiled playground (playground/dist) with the environment run.mjs gives it,
 * tells the parent over IPC once Strapi listens, and shuts Strapi down on SIGTERM (Strapi's own signal handler).
 */
const path = require('node:path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '..', '..', 'playground');

const main = async () => {
  const strapi = createStrapi({
    appDir,
    distDir: path.join(appDir, 'dist'),
    autoReload: false,
    serveAdminPanel: false,
  });
  strapi.log.level = process.env.CONFORMANCE_STRAPI_LOG_LEVEL || 'info';
  await strapi.load();
  await strapi.listen();
  // The scale tests ask for the heap after a full collection (the process runs with --expose-gc there).
  process.on('message', (message) => {
    if (message?.type !== 'heap') return;
    global.gc?.();
    process.send?.({
      type: 'heap',
      heapUsed: process.memoryUsage().heapUsed,
      collected: typeof global.gc === 'function',
    });
  });
  process.send?.({ ready: true, port: strapi.server.httpServer.address().port });
};

main().catch((error) => {
  process.stderr.write(`start-strapi: ${error?.stack ?? error}\n`);
  process.exit(1);
});

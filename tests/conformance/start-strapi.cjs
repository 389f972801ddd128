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
  // The scale tests ask for the heap at rest: the least of three full collections a tenth of a second apart (what is
  // still held, not what finalizers and timers free a moment later). The process runs with --expose-gc there.
  process.on('message', async (message) => {
    if (message?.type !== 'heap') return;
    let heapUsed = Infinity;
    for (let sample = 0; sample < 3; sample += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      globalThis.gc?.();
      heapUsed = Math.min(heapUsed, process.memoryUsage().heapUsed);
    }
    process.send?.({ type: 'heap', heapUsed, collected: typeof globalThis.gc === 'function' });
  });
  process.send?.({ ready: true, port: strapi.server.httpServer.address().port });
};

main().catch((error) => {
  process.stderr.write(`start-strapi: ${error?.stack ?? error}\n`);
  process.exit(1);
});

/**
 * Boots the playground inside the bench process, production-like: NODE_ENV=production, request logging off (the
 * `strapi::logger` middleware removed), no admin panel, rate limits off (and the bound on one user's running tool
 * calls raised to the number of clients), audit on, Strapi's built-in MCP on (STRAPI_NATIVE_MCP=true), on a throwaway
 * database. Listens on a free loopback port.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createThrowawayDatabase, readDatabaseVersion } from './throwaway-database.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PLAYGROUND = path.join(ROOT, 'playground');
const require = createRequire(import.meta.url);
const random = () => crypto.randomBytes(24).toString('base64url');

/** Idle connections stay open across the rounds, so no contender pays a reconnect the others do not. */
const KEEP_ALIVE_MS = 120_000;

const applyEnv = (values) => {
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
};

export const keepConnectionsAlive = (httpServer) => {
  httpServer.keepAliveTimeout = KEEP_ALIVE_MS;
  httpServer.headersTimeout = KEEP_ALIVE_MS + 1000;
};

/**
 * createStrapi() adds SIGINT/SIGTERM handlers that destroy Strapi and exit at once; the bench has its own, which
 * also stop the load generator and drop the database.
 */
const withoutOwnSignalHandlers = (create) => {
  const signals = ['SIGINT', 'SIGTERM'];
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const created = create();
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal).includes(listener)) process.removeListener(signal, listener);
    }
  }
  return created;
};

/**
 * @param {{ database: 'sqlite' | 'postgres', sessionCap: number, concurrency: number }} options sessionCap raises the
 *   plugin's session caps (MCP_SESSIONS_MAX, MCP_SESSIONS_MAX_PER_USER) for the idle-session phase; concurrency its
 *   bound on one user's (and tenant's) running tool calls, 4 and 6 by default, to the bench's number of clients,
 *   which all call as the same user.
 */
export const bootPlayground = async ({ database, sessionCap, concurrency }) => {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-bench-'));
  const removeTemp = () => fs.rmSync(tempDir, { recursive: true, force: true });
  let db;
  try {
    db = await createThrowawayDatabase(database, tempDir);
  } catch (error) {
    removeTemp();
    throw error;
  }
  fs.writeFileSync(path.join(tempDir, '.env'), '');
  const secret = random();
  applyEnv({
    ENV_PATH: path.join(tempDir, '.env'),
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    ...db.env,
    APP_KEYS: [random(), random()].join(','),
    API_TOKEN_SALT: random(),
    ADMIN_JWT_SECRET: random(),
    TRANSFER_TOKEN_SALT: random(),
    JWT_SECRET: random(),
    ENCRYPTION_KEY: random(),
    MCP_SECRET_KEY: secret,
    MCP_SESSIONS_MAX: String(sessionCap),
    MCP_SESSIONS_MAX_PER_USER: String(sessionCap),
    MCP_AUDIT_ENABLED: 'true',
    // The bench measures throughput from one address: rate limits off.
    MCP_RATE_LIMIT_PER_MINUTE: '0',
    MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '0',
    // The playground's dev identity provider's keys (jwks.json), not a JWKS URL.
    MCP_JWKS_URI: undefined,
    MCP_JWT_ISSUER: undefined,
    MCP_JWT_AUDIENCE: undefined,
    STRAPI_NATIVE_MCP: 'true',
    STRAPI_TELEMETRY_DISABLED: 'true',
    STRAPI_STARTUP_BANNER: 'false',
    PLAYGROUND_QUIET: 'true',
  });
  // The plugin config reads the dev identity provider's public key at load: create the key pair on a fresh clone.
  require(path.join(PLAYGROUND, 'scripts', 'dev-identity-provider.js')).ensureKeys();

  const { compileStrapi, createStrapi } = require('@strapi/strapi');
  let strapi;
  const close = async () => {
    try {
      if (strapi) await strapi.destroy();
    } finally {
      strapi = undefined;
      try {
        await db.drop();
      } finally {
        removeTemp();
      }
    }
  };
  try {
    const { distDir } = await compileStrapi({ appDir: PLAYGROUND });
    strapi = withoutOwnSignalHandlers(() =>
      createStrapi({ appDir: PLAYGROUND, distDir, autoReload: false, serveAdminPanel: false }),
    );
    strapi.log.level = 'warn';
    // Request logging off: the logger middleware removed, not only silenced by the log level.
    strapi.config.set(
      'middlewares',
      strapi.config.get('middlewares').filter((middleware) => middleware !== 'strapi::logger'),
    );
    await strapi.load();
    strapi
      .plugin('mcp-server')
      .service('settings')
      .update({
        limits: { maxConcurrentCallsPerUser: concurrency, maxConcurrentCallsPerTenant: concurrency },
      });
    await new Promise((resolve) => strapi.server.listen(0, '127.0.0.1', resolve));
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  keepConnectionsAlive(strapi.server.httpServer);
  return {
    strapi,
    baseUrl: `http://127.0.0.1:${strapi.server.httpServer.address().port}`,
    secret,
    database: { client: database, name: db.name, version: await readDatabaseVersion(strapi) },
    close,
  };
};

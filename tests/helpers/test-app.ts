/**
 * Boots the real playground (its content types, seed and plugin config) inside the test process, on a fresh
 * database: a temp SQLite file, or a fresh PostgreSQL database when DATABASE_CLIENT=postgres. Each boot gets its
 * own app folder under .test-runs/ whose config/plugins.js wraps the playground's and applies the test's overrides.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Core, createStrapi as CreateStrapi } from '@strapi/strapi';
import Database from 'better-sqlite3';
import pg from 'pg';
import { appEnvironment, randomSecret } from './app-environment';
import { startIdentityProvider, type TestIdentityProvider } from './identity-provider';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const PLAYGROUND_DIR = path.join(REPO_ROOT, 'playground');
export const PLAYGROUND_DIST = path.join(PLAYGROUND_DIR, 'dist');
/** Where `strapi build` writes the admin panel of a TypeScript app, and where Strapi serves it from (dirs.dist.root). */
export const PLAYGROUND_ADMIN_BUILD = path.join(PLAYGROUND_DIST, 'build');
const RUNS_DIR = path.join(REPO_ROOT, '.test-runs');

// Strapi's ESM build cannot be loaded by Node's ESM loader (directory imports); use its CommonJS build.
const { createStrapi } = createRequire(__filename)('@strapi/strapi') as { createStrapi: typeof CreateStrapi };

interface KnexPool {
  numUsed(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/**
 * A query started during the boot and awaited by nobody (seen on PostgreSQL: admin users read by id, right after
 * the boot) can still wait for a connection when the test closes the app; destroying the pool then rejects it,
 * unhandled, and fails the run. Waits, bounded, until no query holds or waits for a connection, twice in a row.
 */
const waitForIdleDatabase = async (strapi: Core.Strapi, timeoutMs = 2_000) => {
  const pool = (strapi.db.connection as unknown as { client: { pool?: KnexPool } }).client.pool;
  if (!pool) return;
  const busy = () => pool.numUsed() + pool.numPendingAcquires() + pool.numPendingCreates() > 0;
  const deadline = Date.now() + timeoutMs;
  let idleTicks = 0;
  while (idleTicks < 2 && Date.now() < deadline) {
    idleTicks = busy() ? 0 : idleTicks + 1;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

export interface BootOptions {
  /** Merged over the playground's `mcp-server` config; objects merge key by key, arrays and scalars replace. */
  pluginConfig?: Record<string, unknown>;
  /** Extra environment variables for this boot. */
  env?: Record<string, string | undefined>;
  /** Reuse an identity provider (for example across two boots); one is started otherwise. */
  idp?: TestIdentityProvider;
  /** The port to listen on, for configurations that must name the URL before the boot; a free one by default. */
  port?: number;
  /** Receives every line Strapi logs from the start of the boot, whatever level the console shows. */
  onLog?: (entry: LogEntry) => void;
  /** Serves the built admin panel at /admin (playground/dist/build, built by the browser suite's global setup). */
  adminPanel?: boolean;
  /**
   * Boots as `strapi develop` does (autoReload: the Content-Type Builder may write), with a copy of the playground's
   * `src/` in the run folder for it to write to: the repository never changes.
   */
  develop?: boolean;
}

export interface LogEntry {
  level: string;
  message: string;
}

export interface TestApp {
  strapi: Core.Strapi;
  /** The run folder: the app root (its `src/` is the playground's copy in develop boots). */
  runDir: string;
  baseUrl: string;
  mcpUrl: string;
  secret: string;
  idp: TestIdentityProvider;
  /** Shuts Strapi down; `inspect` then reads the database before it is deleted (what shutdown left behind). */
  close(options?: { inspect?: (query: SqlQuery) => Promise<void> }): Promise<void>;
}

export type SqlQuery = (sql: string) => Promise<Array<Record<string, unknown>>>;

const writeAppFolder = (runDir: string, pluginConfig: Record<string, unknown>, adminPanel: boolean) => {
  if (!fs.existsSync(path.join(PLAYGROUND_DIST, 'config', 'plugins.js'))) {
    throw new Error('playground/dist is missing: the vitest global setup compiles it');
  }
  if (adminPanel && !fs.existsSync(path.join(PLAYGROUND_ADMIN_BUILD, 'index.html'))) {
    throw new Error("playground/dist/build is missing: the browser suite's global setup builds the admin panel");
  }
  fs.mkdirSync(path.join(runDir, 'public', 'uploads'), { recursive: true });
  fs.mkdirSync(path.join(runDir, 'database', 'migrations'), { recursive: true });
  fs.copyFileSync(path.join(PLAYGROUND_DIR, 'package.json'), path.join(runDir, 'package.json'));
  // An admin build left in playground/dist (13 MB) is copied only for the boots that serve it.
  fs.cpSync(PLAYGROUND_DIST, path.join(runDir, 'dist'), {
    recursive: true,
    filter: (source) => adminPanel || source !== PLAYGROUND_ADMIN_BUILD,
  });
  const wrapper = `'use strict';
// Written by tests/helpers/test-app.ts: the playground's plugin config with this test's overrides.
const base = require(${JSON.stringify(path.join(PLAYGROUND_DIST, 'config', 'plugins.js'))});
const overrides = ${JSON.stringify(pluginConfig)};
const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const merge = (target, source) => {
  const result = { ...target };
  for (const [key, value] of Object.entries(source)) {
    result[key] = isObject(value) && isObject(result[key]) ? merge(result[key], value) : value;
  }
  return result;
};
module.exports = (context) => {
  const config = (base.default ?? base)(context);
  config['mcp-server'].config = merge(config['mcp-server'].config, overrides);
  return config;
};
`;
  fs.writeFileSync(path.join(runDir, 'dist', 'config', 'plugins.js'), wrapper);
};

const withPostgres = async <T>(database: string, run: (client: pg.Client) => Promise<T>): Promise<T> => {
  const client = new pg.Client({
    host: process.env.DATABASE_HOST ?? '127.0.0.1',
    port: Number(process.env.DATABASE_PORT ?? 5432),
    user: process.env.DATABASE_USERNAME ?? 'postgres',
    password: process.env.DATABASE_PASSWORD ?? '',
    database,
  });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

/**
 * Strapi's destroy() removes every process listener, the test runner's included, and a boot that fails half-way
 * leaves Strapi's own signal handlers behind: put the process listeners back exactly as they were.
 */
const snapshotProcessListeners = () => {
  const saved = new Map(process.eventNames().map((name) => [name, process.rawListeners(name)] as const));
  return () => {
    for (const name of process.eventNames()) {
      const keep = saved.get(name) ?? [];
      for (const listener of process.rawListeners(name)) {
        if (!keep.includes(listener)) process.removeListener(name as never, listener as never);
      }
    }
    for (const [name, listeners] of saved) {
      const present = process.rawListeners(name);
      for (const listener of listeners) if (!present.includes(listener)) process.on(name as never, listener as never);
    }
  };
};

export const bootTestApp = async (options: BootOptions = {}): Promise<TestApp> => {
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const runDir = path.join(RUNS_DIR, runId);
  const adminPanel = options.adminPanel ?? false;
  writeAppFolder(runDir, options.pluginConfig ?? {}, adminPanel);
  if (options.develop) fs.cpSync(path.join(PLAYGROUND_DIR, 'src'), path.join(runDir, 'src'), { recursive: true });

  const idp = options.idp ?? (await startIdentityProvider());
  const ownsIdp = !options.idp;
  const secret = randomSecret();
  const usePostgres = process.env.DATABASE_CLIENT === 'postgres';
  const databaseName = `mcp_test_${runId.replace(/-/g, '_')}`;
  if (usePostgres) await withPostgres('postgres', (client) => client.query(`CREATE DATABASE "${databaseName}"`));

  Object.assign(process.env, {
    HOST: '127.0.0.1',
    PORT: '0',
    ...appEnvironment(idp, secret),
    ...(usePostgres ? { DATABASE_NAME: databaseName } : { DATABASE_FILENAME: path.join(runDir, 'data.db') }),
  });
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }

  const restoreListeners = snapshotProcessListeners();
  const strapi = createStrapi({
    appDir: runDir,
    distDir: path.join(runDir, 'dist'),
    autoReload: options.develop ?? false,
    serveAdminPanel: adminPanel,
  });
  strapi.log.level = (process.env.TEST_LOG_LEVEL as typeof strapi.log.level) ?? 'error';
  const { onLog } = options;
  // The logger is a stream of every entry; its transports filter by level, this listener does not.
  if (onLog) {
    strapi.log.on('data', (info: { level: string; message: unknown; [key: symbol]: unknown }) =>
      onLog({ level: String(info[Symbol.for('level')] ?? info.level), message: String(info.message) }),
    );
  }

  const cleanUp = async () => {
    restoreListeners();
    if (ownsIdp) await idp.close();
    if (usePostgres) {
      await withPostgres('postgres', (client) =>
        client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`),
      );
    }
    fs.rmSync(runDir, { recursive: true, force: true });
  };

  try {
    await strapi.load();
    strapi.server.mount();
    await new Promise<void>((resolve) => strapi.server.httpServer.listen(options.port ?? 0, '127.0.0.1', resolve));
  } catch (error) {
    await strapi.destroy().catch(() => undefined);
    await cleanUp();
    throw error;
  }

  const { port } = strapi.server.httpServer.address() as AddressInfo;
  let closed = false;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    strapi,
    runDir,
    baseUrl,
    mcpUrl: `${baseUrl}/api/mcp-server/mcp`,
    secret,
    idp,
    close: async (options = {}) => {
      if (closed) return;
      closed = true;
      await waitForIdleDatabase(strapi);
      await strapi.destroy();
      if (options.inspect) {
        if (usePostgres) {
          await withPostgres(databaseName, (client) => options.inspect!(async (sql) => (await client.query(sql)).rows));
        } else {
          const database = new Database(path.join(runDir, 'data.db'), { readonly: true });
          try {
            await options.inspect(async (sql) => database.prepare(sql).all() as Array<Record<string, unknown>>);
          } finally {
            database.close();
          }
        }
      }
      await cleanUp();
    },
  };
};

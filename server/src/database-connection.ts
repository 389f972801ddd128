import type { Core } from '@strapi/strapi';

/** What only pg and knex say of a lost or refused database connection. */
const DATABASE_MESSAGES =
  /Connection terminated|Connection ended unexpectedly|Timeout acquiring a connection|the database system is (starting up|shutting down)|terminating connection due to administrator command/i;
/** PostgreSQL's admin_shutdown, crash_shutdown, cannot_connect_now. */
const DATABASE_CODES = new Set(['57P01', '57P02', '57P03']);
/** Network failures: the database's only when they name its port (any other client can fail the same way). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

const DEFAULT_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306, mysql2: 3306 };

/** The port Strapi's database listens on; undefined for SQLite. */
const databasePort = (strapi: Core.Strapi): number | undefined => {
  const config = (strapi.db as unknown as { config?: { connection?: { client?: unknown; connection?: unknown } } })
    .config?.connection;
  const client = String(config?.client ?? '');
  if (!(client in DEFAULT_PORTS)) return undefined;
  // A function (connection settings computed per connection) says nothing here: the client's default port.
  const connection = (typeof config?.connection === 'object' && config.connection ? config.connection : {}) as {
    port?: unknown;
    connectionString?: string;
  };
  if (connection.port) return Number(connection.port);
  try {
    const port = connection.connectionString ? new URL(connection.connectionString).port : '';
    return port ? Number(port) : DEFAULT_PORTS[client];
  } catch {
    return DEFAULT_PORTS[client];
  }
};

/** Whether `reason` is Strapi's database connection lost or refused, as opposed to a failed query or another client. */
export const isConnectionLoss = (strapi: Core.Strapi, reason: unknown): boolean => {
  const error = reason as { code?: unknown; message?: unknown; port?: unknown } | null;
  if (!error || typeof error !== 'object') return false;
  const code = typeof error.code === 'string' ? error.code : '';
  if (DATABASE_CODES.has(code)) return true;
  if (typeof error.message === 'string' && DATABASE_MESSAGES.test(error.message)) return true;
  const port = databasePort(strapi);
  return NETWORK_CODES.has(code) && port !== undefined && Number(error.port) === port;
};

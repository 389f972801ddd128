/**
 * The bench's database, created for the run and removed after it: a SQLite file in a temp folder, or a fresh
 * PostgreSQL database (127.0.0.1:5432, user postgres unless DATABASE_* says otherwise) dropped at the end.
 * Returns the environment that points the playground's config/database.ts at it.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';

const postgresConnection = (database) => ({
  host: process.env.DATABASE_HOST ?? '127.0.0.1',
  port: Number(process.env.DATABASE_PORT ?? 5432),
  user: process.env.DATABASE_USERNAME ?? 'postgres',
  password: process.env.DATABASE_PASSWORD ?? '',
  database,
});

const onPostgres = async (run) => {
  const client = new pg.Client(postgresConnection('postgres'));
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
};

export const createThrowawayDatabase = async (client, tempDir) => {
  if (client === 'sqlite') {
    return {
      client,
      name: path.join(tempDir, 'data.db'),
      env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: path.join(tempDir, 'data.db') },
      drop: async () => {},
    };
  }
  const name = `mcp_bench_${Date.now().toString(36)}_${crypto.randomBytes(3).toString('hex')}`;
  await onPostgres((admin) => admin.query(`CREATE DATABASE "${name}"`));
  let dropped = false;
  return {
    client,
    name,
    env: { DATABASE_CLIENT: 'postgres', DATABASE_NAME: name, DATABASE_URL: undefined },
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await onPostgres((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
};

/** The server's version string, for the results file. */
export const readDatabaseVersion = async (strapi) => {
  const knex = strapi.db.connection;
  if (strapi.db.config.connection.client === 'sqlite') {
    const [row] = await knex.raw('select sqlite_version() as version');
    return `SQLite ${row.version}`;
  }
  const { rows } = await knex.raw('show server_version');
  return `PostgreSQL ${rows[0].server_version}`;
};

/**
 * Replicas of the playground as a load balancer sees them: N Strapi processes (Strapi keeps process-wide state, so
 * each is a child process) on one PostgreSQL database, sharing one Redis and the same app keys, secret and identity
 * provider, behind a round-robin proxy. The first replica boots alone (it creates the schema and seeds), then the
 * others.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { appEnvironment, randomSecret } from '../../helpers/app-environment';
import { startIdentityProvider, type TestIdentityProvider } from '../../helpers/identity-provider';
import { startStrapiProcess, type StrapiProcess } from '../../helpers/strapi-process';
import type { TestApp } from '../../helpers/test-app';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy';

export interface PostgresServer {
  host: string;
  port: number;
}

export const SHARED_POSTGRES: PostgresServer = {
  host: process.env.DATABASE_HOST ?? '127.0.0.1',
  port: Number(process.env.DATABASE_PORT ?? 5432),
};

export interface ReplicaSet {
  idp: TestIdentityProvider;
  replicas: StrapiProcess[];
  /** The replicas as the raw-request helpers see them, one by one. */
  apps: TestApp[];
  /** The load balancer in front, as a TestApp whose URLs are the proxy's. */
  balanced: TestApp;
  proxy: RoundRobinProxy;
  /** A query on the replicas' database. */
  sql(query: string, values?: unknown[]): Promise<Array<Record<string, any>>>;
  /** Boots one more replica of the same app (not behind the proxy), closed with the others. */
  addReplica(env?: Record<string, string>): Promise<TestApp>;
  close(): Promise<void>;
}

export interface ReplicaOptions {
  count: number;
  /** Variables every replica gets (MCP_REDIS_URL, MCP_SESSIONS_MODE, limits...). */
  env?: Record<string, string>;
  /** Variables of one replica, by its index, over `env`. */
  replicaEnv?: Array<Record<string, string>>;
  postgres?: PostgresServer;
  execArgv?: string[];
}

const withClient = async <T>(server: PostgresServer, database: string, run: (client: pg.Client) => Promise<T>) => {
  const client = new pg.Client({ host: server.host, port: server.port, user: 'postgres', database });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end().catch(() => undefined);
  }
};

export const startReplicas = async (options: ReplicaOptions): Promise<ReplicaSet> => {
  const postgres = options.postgres ?? SHARED_POSTGRES;
  const database = `mcp_scale_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withClient(postgres, 'postgres', (client) => client.query(`CREATE DATABASE "${database}"`));
  const idp = await startIdentityProvider();
  const secret = randomSecret();
  const env: Record<string, string> = {
    ...appEnvironment(idp, secret),
    DATABASE_CLIENT: 'postgres',
    DATABASE_HOST: postgres.host,
    DATABASE_PORT: String(postgres.port),
    DATABASE_NAME: database,
    DATABASE_USERNAME: 'postgres',
    DATABASE_PASSWORD: '',
    ...options.env,
  };
  const replicas: StrapiProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  const close = async () => {
    await proxy?.close();
    await Promise.all(replicas.map((replica) => replica.close()));
    await idp.close();
    await withClient(postgres, 'postgres', (client) =>
      client.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`),
    ).catch(() => undefined);
  };
  try {
    for (let index = 0; index < options.count; index += 1) {
      const own = { ...env, ...options.replicaEnv?.[index] };
      replicas.push(await startStrapiProcess(own, { execArgv: options.execArgv }));
    }
    proxy = await startRoundRobinProxy(replicas.map((replica) => replica.app.baseUrl));
    const apps = replicas.map((replica) => Object.assign(replica.app, { idp }));
    const balanced = { baseUrl: proxy.url, mcpUrl: `${proxy.url}/api/mcp-server/mcp`, secret, idp } as TestApp;
    return {
      idp,
      replicas,
      apps,
      balanced,
      proxy,
      sql: (query, values) =>
        withClient(postgres, database, async (client) => (await client.query(query, values)).rows),
      addReplica: async (extra = {}) => {
        const replica = await startStrapiProcess({ ...env, ...extra }, { execArgv: options.execArgv });
        replicas.push(replica);
        return Object.assign(replica.app, { idp });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};

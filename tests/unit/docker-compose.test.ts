/**
 * There is no Docker engine here, so the compose setup is checked statically: the services, their wiring through
 * env, the ports, and that every variable the playground reads is provided; the load balancer's configuration is
 * checked by HAProxy itself (`haproxy -c`), and tests/scale/two-replicas.test.ts runs it in front of two replicas.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
// Docker Compose applies YAML merge keys (`<<: *replica`).
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const { postgres, redis, playground, loadbalancer } = compose.services;
const replicas = [compose.services['replica-1'], compose.services['replica-2']];
const HAPROXY_CONFIG = path.join(root, 'playground', 'deploy', 'haproxy.cfg');

const haproxyBinary = (() => {
  try {
    execFileSync('haproxy', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** `${NAME:-default}` → the default, `${NAME:?message}` → a marker, plain values as they are. */
const resolveValue = (value: unknown) =>
  String(value).replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_match, name, fallback) => fallback ?? `<${name}>`);

describe('docker-compose.yml', () => {
  it('has the playground, PostgreSQL and Redis, and two replicas behind a load balancer in the replicas profile', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'loadbalancer',
      'playground',
      'postgres',
      'redis',
      'replica-1',
      'replica-2',
    ]);
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(redis.image).toMatch(/^redis:\d+/);
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    for (const service of [...replicas, loadbalancer]) expect(service.profiles).toEqual(['replicas']);
    expect(playground.profiles).toBeUndefined();
  });

  it('shares Redis between every instance', () => {
    for (const service of [playground, ...replicas]) {
      expect(service.environment.MCP_REDIS_URL).toBe('redis://redis:6379');
      expect(service.depends_on.redis?.condition ?? service.depends_on['replica-1']?.condition).toBe('service_healthy');
    }
  });

  it('runs the replicas stateless, on one database, with the same secrets, the second after the first is healthy', () => {
    for (const replica of replicas) {
      expect(replica.build).toEqual(playground.build);
      expect(replica.environment.MCP_SESSIONS_MODE).toBe('stateless');
      const { MCP_SESSIONS_MODE: _mode, ...shared } = replica.environment;
      expect(shared).toEqual(playground.environment);
      expect(replica.volumes).toEqual(['dev-idp:/app/playground/.mcp-dev-idp']);
      expect(replica.healthcheck.test.join(' ')).toContain('/api/mcp-server/health');
      expect(replica.ports).toBeUndefined();
    }
    expect(replicas[1].depends_on).toEqual({ 'replica-1': { condition: 'service_healthy' } });
  });

  it('balances over both replicas with HAProxy, health-checked, sticky only on Mcp-Session-Id', () => {
    expect(loadbalancer.image).toMatch(/^haproxy:/);
    expect(loadbalancer.volumes).toEqual(['./playground/deploy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro']);
    expect(Object.keys(loadbalancer.depends_on).sort()).toEqual(['replica-1', 'replica-2']);
    const config = fs.readFileSync(HAPROXY_CONFIG, 'utf8');
    const servers = [...config.matchAll(/^\s*server (\S+) (\S+):(\d+) check/gm)].map((match) => match.slice(1));
    expect(servers).toEqual([
      ['replica-1', 'replica-1', '1337'],
      ['replica-2', 'replica-2', '1337'],
    ]);
    expect(config).toMatch(/^\s*option httpchk GET \/api\/mcp-server\/health$/m);
    expect(config).toMatch(/^\s*balance roundrobin$/m);
    // Stored from responses only: a request's made-up id must not take a place in the table.
    expect(config).toMatch(/^\s*stick match req\.hdr\(mcp-session-id\)$/m);
    expect(config).toMatch(/^\s*stick store-response res\.hdr\(mcp-session-id\)$/m);
    expect(config).not.toMatch(/^\s*stick (on|store-request)/m);
    const [bind] = config.match(/^\s*bind :(\d+)$/m)!.slice(1);
    expect(resolveValue(loadbalancer.ports[0]).split(':')[1]).toBe(bind);
  });

  it.runIf(haproxyBinary)('has a load balancer configuration HAProxy accepts', () => {
    const output = execFileSync('haproxy', ['-c', '-f', HAPROXY_CONFIG], { encoding: 'utf8', stdio: 'pipe' });
    expect(output).toContain('Configuration file is valid');
  });

  it('builds the playground from the Dockerfile at the repository root', () => {
    expect(playground.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(fs.existsSync(path.join(root, playground.build.context, playground.build.dockerfile))).toBe(true);
  });

  it('wires the playground to the postgres service through env', () => {
    const env = playground.environment;
    expect(env.DATABASE_CLIENT).toBe('postgres');
    expect(env.DATABASE_HOST).toBe('postgres');
    expect(Number(env.DATABASE_PORT)).toBe(5432);
    expect(env.DATABASE_NAME).toBe(postgres.environment.POSTGRES_DB);
    expect(env.DATABASE_USERNAME).toBe(postgres.environment.POSTGRES_USER);
    expect(env.DATABASE_PASSWORD).toBe(postgres.environment.POSTGRES_PASSWORD);
    expect(playground.depends_on.postgres.condition).toBe('service_healthy');
    expect(postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  it('publishes the port the app listens on, which the Dockerfile exposes', () => {
    const port = Number(playground.environment.PORT);
    const [published] = playground.ports.map((mapping: string) => resolveValue(mapping).split(':'));
    expect(Number(published[1])).toBe(port);
    expect(dockerfile).toMatch(new RegExp(`EXPOSE ${port}\\b`));
    expect(dockerfile).toMatch(new RegExp(`PORT=${port}\\b`));
  });

  it('provides every secret the playground and the plugin need, and requires them rather than defaulting', () => {
    const env = playground.environment;
    const required = [
      'APP_KEYS',
      'API_TOKEN_SALT',
      'ADMIN_JWT_SECRET',
      'TRANSFER_TOKEN_SALT',
      'JWT_SECRET',
      'ENCRYPTION_KEY',
      'MCP_SECRET_KEY',
    ];
    for (const name of required) expect(env[name]).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    // The same list is what scripts/prepare-env.js generates for local runs.
    const prepareEnv = fs.readFileSync(path.join(root, 'playground', 'scripts', 'prepare-env.js'), 'utf8');
    for (const name of required) expect(prepareEnv).toContain(`${name}:`);
    // And .env.example documents each of them.
    const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    for (const name of [...required, 'MCP_JWKS_URI', 'MCP_JWT_ISSUER', 'MCP_JWT_AUDIENCE']) {
      expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
    }
  });

  it("defaults the issuer and audience to the playground's dev identity provider", () => {
    const provider = fs.readFileSync(path.join(root, 'playground', 'scripts', 'dev-identity-provider.js'), 'utf8');
    expect(provider).toContain(`'${resolveValue(playground.environment.MCP_JWT_ISSUER)}'`);
    expect(provider).toContain(`'${resolveValue(playground.environment.MCP_JWT_AUDIENCE)}'`);
  });
});

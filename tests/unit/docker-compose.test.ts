/**
 * There is no Docker engine here, so the compose setup is checked statically: the services, their wiring through
 * env, the ports, and that every variable the playground reads is provided.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..', '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'));
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const { postgres, playground } = compose.services;

/** `${NAME:-default}` → the default, `${NAME:?message}` → a marker, plain values as they are. */
const resolveValue = (value: unknown) =>
  String(value).replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}/g, (_match, name, fallback) => fallback ?? `<${name}>`);

describe('docker-compose.yml', () => {
  it('has the playground and PostgreSQL', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['playground', 'postgres']);
    expect(postgres.image).toMatch(/^postgres:\d+/);
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

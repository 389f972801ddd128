/** Rate-limit configuration (defaults, environment fallbacks, refusals that name the key) and budget selection. */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePluginConfig } from '../../server/src/config/schema';
import { rateLimitsSchema } from '../../server/src/config/rate-limits-schema';
import { retryAfterSeconds, selectCallBudget } from '../../server/src/services/rate-limits/budgets';

const minimal = {
  internalSecret: 'x'.repeat(32),
  jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' },
};
const ENV_NAMES = [
  'MCP_RATE_LIMIT_PER_MINUTE',
  'MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE',
  'MCP_REDIS_URL',
  'MCP_REDIS_KEY_PREFIX',
  'MCP_REDIS_WHEN_UNAVAILABLE',
];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
for (const name of ENV_NAMES) delete process.env[name];

afterEach(() => {
  for (const name of ENV_NAMES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
});

describe('rate-limit configuration', () => {
  it('defaults to 100 calls and 20 failed authentications per minute, in memory, failing open', () => {
    const config = parsePluginConfig(minimal);
    expect(config.rateLimits).toEqual({ perMinute: 100, failedAuthPerMinute: 20, overrides: {} });
    expect(config.redis).toEqual({
      url: undefined,
      keyPrefix: 'mcp-server:rate',
      whenUnavailable: 'fail-open',
      connectTimeoutMs: 2000,
      commandTimeoutMs: 500,
    });
  });

  it('reads every option from its environment variable', () => {
    Object.assign(process.env, {
      MCP_RATE_LIMIT_PER_MINUTE: '0',
      MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '7',
      MCP_REDIS_URL: 'redis://cache.internal:6380/2',
      MCP_REDIS_KEY_PREFIX: 'staging',
      MCP_REDIS_WHEN_UNAVAILABLE: 'fail-closed',
    });
    const config = parsePluginConfig(minimal);
    expect(config.rateLimits).toMatchObject({ perMinute: 0, failedAuthPerMinute: 7 });
    expect(config.redis).toMatchObject({
      url: 'redis://cache.internal:6380/2',
      keyPrefix: 'staging',
      whenUnavailable: 'fail-closed',
    });
  });

  it('prefers config/plugins over the environment', () => {
    process.env.MCP_RATE_LIMIT_PER_MINUTE = '5';
    expect(parsePluginConfig({ ...minimal, rateLimits: { perMinute: 9 } }).rateLimits.perMinute).toBe(9);
  });

  it.each([
    [{ rateLimits: { perMinute: -1 } }, /rateLimits\.perMinute: /],
    [{ rateLimits: { perMinute: 1.5 } }, /rateLimits\.perMinute: /],
    [{ rateLimits: { perMinte: 10 } }, /rateLimits\.perMinte: unknown key \(did you mean rateLimits\.perMinute\?\)/],
    [{ rateLimits: { overrides: { 'alice@example.com': 10 } } }, /rateLimits\.overrides\.alice@example\.com: /],
    [{ redis: { url: 'http://cache.internal:6379' } }, /redis\.url: /],
    [{ redis: { whenUnavailable: 'ignore' } }, /redis\.whenUnavailable: /],
    [{ redis: { host: 'cache' } }, /redis\.host: unknown key/],
  ])('stops the boot on %j, naming the key', (patch, message) => {
    expect(() => parsePluginConfig({ ...minimal, ...patch })).toThrow(message);
  });
});

describe('call budgets', () => {
  const limits = rateLimitsSchema.parse({
    perMinute: 10,
    overrides: {
      'user:Alice@Example.com': 30,
      'jwt:https://idp.example:client:importer': 500,
      'admin-token:7': 0,
    },
  });
  const caller = (email: string, credentialKey: string, id = 1) => ({ adminUser: { id }, email, credentialKey });

  it('charges a user all their credentials together, by admin user id', () => {
    expect(selectCallBudget(caller('bob@example.com', 'jwt:https://idp.example:subject:bob', 4), limits)).toEqual({
      key: 'user:4',
      perMinute: 10,
      holder: 'user',
    });
  });

  it('sizes a user budget by user:<email>, whatever the case of the email', () => {
    expect(selectCallBudget(caller('alice@example.com', 'jwt:https://idp.example:subject:a', 2), limits)).toEqual({
      key: 'user:2',
      perMinute: 30,
      holder: 'user',
    });
  });

  it('gives a credential named in overrides a budget of its own, 0 meaning no limit', () => {
    expect(selectCallBudget(caller('alice@example.com', 'jwt:https://idp.example:client:importer'), limits)).toEqual({
      key: 'credential:jwt:https://idp.example:client:importer',
      perMinute: 500,
      holder: 'credential',
    });
    expect(selectCallBudget(caller('bob@example.com', 'admin-token:7'), limits).perMinute).toBe(0);
  });

  it('does not let a credential key that looks like a user override pose as one', () => {
    const posing = caller('mallory@example.com', 'user:Alice@Example.com', 9);
    expect(selectCallBudget(posing, limits)).toEqual({ key: 'user:9', perMinute: 10, holder: 'user' });
  });

  it('asks to retry in whole seconds, at least one', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
    expect(retryAfterSeconds(59_999)).toBe(60);
  });
});

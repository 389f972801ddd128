/** The config schema: defaults, environment fallbacks, and boot-stopping messages that name the key. */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePluginConfig } from '../../server/src/config/schema';

const SECRET = 'x'.repeat(32);
const minimal = {
  internalSecret: SECRET,
  jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' },
};
const ENV_NAMES = [
  'MCP_SECRET_KEY',
  'MCP_JWKS_URI',
  'MCP_JWT_ISSUER',
  'MCP_JWT_AUDIENCE',
  'MCP_SESSIONS_MAX_PER_USER',
  'MCP_ALLOWED_ORIGINS',
  'MCP_JWT_ALGORITHMS',
  'MCP_TOOLS_PER_TYPE',
];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('plugin config', () => {
  it('fills every default', () => {
    const config = parsePluginConfig(minimal);
    expect(config).toMatchObject({
      requireInternalSecret: true,
      allowedOrigins: [],
      claims: { email: 'email', role: 'role', tenant: 'tenant' },
      sessions: {
        idleTimeoutMs: 1_800_000,
        maxLifetimeMs: 86_400_000,
        max: 1000,
        maxPerUser: 10,
        sweepIntervalMs: 60_000,
      },
      contentTypes: {},
      jwt: { clockToleranceSec: 30 },
    });
    expect(config.jwt!.algorithms).toEqual([
      'RS256',
      'RS384',
      'RS512',
      'PS256',
      'PS384',
      'PS512',
      'ES256',
      'ES384',
      'ES512',
      'EdDSA',
    ]);
  });

  it('allows no HMAC algorithm unless a shared secret is configured, and then only HMAC', () => {
    expect(parsePluginConfig(minimal).jwt!.algorithms.some((alg) => alg.startsWith('HS'))).toBe(false);
    const hmac = parsePluginConfig({ ...minimal, jwt: { issuer: 'i', audience: 'a', secret: 's'.repeat(32) } });
    expect(hmac.jwt!.algorithms).toEqual(['HS256']);
    expect(() => parsePluginConfig({ ...minimal, jwt: { ...minimal.jwt, algorithms: ['HS256'] } })).toThrow(
      /jwt\.algorithms: HS256 needs jwt\.secret/,
    );
    expect(() =>
      parsePluginConfig({
        ...minimal,
        jwt: { issuer: 'i', audience: 'a', secret: 's'.repeat(32), algorithms: ['RS256'] },
      }),
    ).toThrow(/only HS256, HS384 or HS512/);
    expect(() => parsePluginConfig({ ...minimal, jwt: { ...minimal.jwt, algorithms: ['none'] } })).toThrow(
      /jwt\.algorithms/,
    );
  });

  it('reads environment variables when the config leaves an option out, and prefers the config when both are set', () => {
    process.env.MCP_SECRET_KEY = 'e'.repeat(40);
    process.env.MCP_JWKS_URI = 'https://env-idp.example/jwks.json';
    process.env.MCP_JWT_ISSUER = 'https://env-idp.example';
    process.env.MCP_JWT_AUDIENCE = 'env-audience';
    process.env.MCP_SESSIONS_MAX_PER_USER = '4';
    process.env.MCP_ALLOWED_ORIGINS = 'https://a.example, https://b.example';
    const fromEnv = parsePluginConfig({});
    expect(fromEnv).toMatchObject({
      internalSecret: 'e'.repeat(40),
      allowedOrigins: ['https://a.example', 'https://b.example'],
      sessions: { maxPerUser: 4 },
      jwt: {
        jwksUri: 'https://env-idp.example/jwks.json',
        issuer: 'https://env-idp.example',
        audience: 'env-audience',
      },
    });
    expect(parsePluginConfig({ ...minimal, sessions: { maxPerUser: 2 } })).toMatchObject({
      internalSecret: SECRET,
      sessions: { maxPerUser: 2 },
      jwt: { issuer: 'https://idp.example' },
    });
  });

  it.each([
    [{ ...minimal, internalSecret: undefined }, /internalSecret: is required \(env MCP_SECRET_KEY\)/],
    [{ ...minimal, internalSecret: 'short' }, /internalSecret: must be at least 32 characters/],
    [{ ...minimal, jwt: { issuer: 'i', audience: 'a' } }, /jwt: one of jwksUri \(MCP_JWKS_URI\), jwks, publicKey/],
    [{ ...minimal, jwt: { ...minimal.jwt, publicKey: 'pem' } }, /jwt: set only one of/],
    [
      { ...minimal, jwt: { jwksUri: 'https://idp.example/jwks.json', audience: 'a' } },
      /jwt\.issuer: is required \(env MCP_JWT_ISSUER\)/,
    ],
    [
      { ...minimal, jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'i' } },
      /jwt\.audience: is required \(env MCP_JWT_AUDIENCE\)/,
    ],
    [{ ...minimal, jwt: { ...minimal.jwt, jwksUri: 'ftp://idp.example/keys' } }, /jwt\.jwksUri/],
    [{ ...minimal, sessions: { maxPerUser: 0 } }, /sessions\.maxPerUser/],
    [{ ...minimal, sessions: { idleTimeoutMs: -5 } }, /sessions\.idleTimeoutMs/],
    [{ ...minimal, allowedOrigins: 'https://a.example' }, /allowedOrigins/],
  ])('stops with a message naming the key (%#)', (config, message) => {
    expect(() => parsePluginConfig(config)).toThrow(message);
  });

  it('offers typed per-type tools only when tools.perType or MCP_TOOLS_PER_TYPE says so', () => {
    expect(parsePluginConfig(minimal).tools).toEqual({ perType: false });
    expect(parsePluginConfig({ ...minimal, tools: { perType: true } }).tools).toEqual({ perType: true });
    process.env.MCP_TOOLS_PER_TYPE = 'on';
    expect(parsePluginConfig(minimal).tools).toEqual({ perType: true });
    expect(parsePluginConfig({ ...minimal, tools: { perType: false } }).tools).toEqual({ perType: false });
    expect(() => parsePluginConfig({ ...minimal, tools: { pertype: true } })).toThrow(/tools\.pertype/);
  });

  it('lets a deployment without the internal secret opt out explicitly', () => {
    const config = parsePluginConfig({ ...minimal, internalSecret: undefined, requireInternalSecret: false });
    expect(config.requireInternalSecret).toBe(false);
    expect(config.internalSecret).toBeUndefined();
  });

  it('accepts the content types as a list or as a map of per-type settings', () => {
    expect(parsePluginConfig({ ...minimal, contentTypes: ['api::article.article'] }).contentTypes).toEqual({
      'api::article.article': { fields: {}, conditions: [] },
    });
    expect(parsePluginConfig({ ...minimal, contentTypes: { article: {} } }).contentTypes).toEqual({
      article: { fields: {}, conditions: [] },
    });
  });
});

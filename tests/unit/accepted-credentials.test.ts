/** The credentials part of the boot line: what is accepted, never a secret, a key, or credentials inside a URL. */
import { afterEach, describe, expect, it } from 'vitest';
import { describeAcceptedCredentials, describeInternalSecret } from '../../server/src/boot/accepted-credentials';
import { parsePluginConfig } from '../../server/src/config/schema';

const SECRET = 'a-real-internal-secret-of-at-least-32-characters';
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

const configWith = (overrides: Record<string, unknown>) => {
  for (const name of Object.keys(process.env)) if (name.startsWith('MCP_')) delete process.env[name];
  return parsePluginConfig({
    internalSecret: SECRET,
    jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' },
    ...overrides,
  });
};

describe('the credentials of the boot line', () => {
  it('names the JWT issuer and key source, and admin tokens unless turned off', () => {
    expect(describeAcceptedCredentials(configWith({}))).toEqual([
      'JWT from https://idp.example (JWKS https://idp.example/jwks.json)',
      'Strapi admin tokens',
    ]);
    expect(describeAcceptedCredentials(configWith({ adminTokens: { enabled: false } }))).toEqual([
      'JWT from https://idp.example (JWKS https://idp.example/jwks.json)',
    ]);
  });

  it('never logs a password or an API key carried by the JWKS URL', () => {
    const [jwt] = describeAcceptedCredentials(
      configWith({
        jwt: {
          jwksUri: 'https://svc:jwks-basic-pass@idp.example/jwks?api_key=abc123',
          issuer: 'https://idp.example',
          audience: 'strapi',
        },
      }),
    );
    expect(jwt).toBe('JWT from https://idp.example (JWKS https://idp.example/jwks?…)');
  });

  it('says which credentials need the internal secret when their rules differ', () => {
    expect(describeInternalSecret(configWith({}))).toBe('internal secret required');
    expect(describeInternalSecret(configWith({ adminTokens: { requireInternalSecret: false } }))).toBe(
      'internal secret required for JWTs only',
    );
  });
});

describe('no jwt configuration', () => {
  const bare = (overrides: Record<string, unknown> = {}) => {
    for (const name of Object.keys(process.env)) if (name.startsWith('MCP_')) delete process.env[name];
    return () => parsePluginConfig({ internalSecret: SECRET, ...overrides });
  };

  it('accepts admin tokens only', () => {
    const config = bare()();
    expect(config.jwt).toBeUndefined();
    expect(describeAcceptedCredentials(config)).toEqual(['Strapi admin tokens']);
  });

  it('stops the boot when no credential would be accepted, or OAuth has no JWT configuration', () => {
    expect(bare({ adminTokens: { enabled: false } })).toThrow(/jwt: no credential is accepted: configure JWTs/);
    expect(
      bare({ oauth: { authorizationServers: ['https://as.example'], resource: 'https://cms.example/mcp' } }),
    ).toThrow(/oauth\.authorizationServers: need jwt/);
  });

  it('checks a jwt configuration in full as soon as anything of it is set', () => {
    expect(bare({ jwt: { issuer: 'https://idp.example' } })).toThrow(/jwt\.audience: is required/);
  });
});

describe("the README's install snippet without an identity provider", () => {
  it('reads jwt options of unset variables as no jwt configuration: admin tokens only', () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('MCP_')) delete process.env[name];
    const config = parsePluginConfig({
      internalSecret: SECRET,
      jwt: {
        jwksUri: process.env.MCP_JWKS_URI,
        issuer: process.env.MCP_JWT_ISSUER,
        audience: process.env.MCP_JWT_AUDIENCE,
      },
      contentTypes: ['api::article.article'],
    });
    expect(config.jwt).toBeUndefined();
    expect(describeAcceptedCredentials(config)).toEqual(['Strapi admin tokens']);
  });
});

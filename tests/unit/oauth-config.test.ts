/** The `oauth` config section and where the metadata of a resource lives (RFC 9728 §3.1). */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePluginConfig } from '../../server/src/config/schema';
import { metadataUrlOf } from '../../server/src/services/oauth';

const jwt = { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example' };
const minimal = { internalSecret: 'x'.repeat(32), jwt: { ...jwt, audience: 'strapi' } };
const ENV_NAMES = ['MCP_OAUTH_AUTHORIZATION_SERVERS', 'MCP_OAUTH_RESOURCE', 'MCP_JWT_AUDIENCE'];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));

afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('oauth config', () => {
  it('is off by default', () => {
    delete process.env.MCP_OAUTH_AUTHORIZATION_SERVERS;
    delete process.env.MCP_OAUTH_RESOURCE;
    expect(parsePluginConfig(minimal).oauth).toEqual({ authorizationServers: [] });
  });

  it('reads the authorization servers (comma-separated) and the resource from the environment', () => {
    process.env.MCP_OAUTH_AUTHORIZATION_SERVERS = 'https://login.example, https://other.example/tenant';
    process.env.MCP_OAUTH_RESOURCE = 'https://cms.example/api/mcp-server/mcp';
    expect(parsePluginConfig(minimal).oauth).toEqual({
      authorizationServers: ['https://login.example', 'https://other.example/tenant'],
      resource: 'https://cms.example/api/mcp-server/mcp',
    });
  });

  it('refuses a resource with a fragment, a non-http URL, a scope with a space, and unknown keys', () => {
    expect(() => parsePluginConfig({ ...minimal, oauth: { resource: 'https://cms.example/mcp#x' } })).toThrow(
      /oauth\.resource: must not contain a fragment/,
    );
    expect(() => parsePluginConfig({ ...minimal, oauth: { authorizationServers: ['ftp://login.example'] } })).toThrow(
      /oauth\.authorizationServers\.0/,
    );
    expect(() => parsePluginConfig({ ...minimal, oauth: { scopesSupported: ['article read'] } })).toThrow(
      /oauth\.scopesSupported\.0: must be a scope token/,
    );
    expect(() => parsePluginConfig({ ...minimal, oauth: { authorisationServers: [] } })).toThrow(
      /authorisationServers/,
    );
  });

  it('needs jwt.audience unless an authorization server is configured', () => {
    delete process.env.MCP_JWT_AUDIENCE;
    delete process.env.MCP_OAUTH_AUTHORIZATION_SERVERS;
    expect(() => parsePluginConfig({ ...minimal, jwt })).toThrow(/jwt\.audience: is required \(env MCP_JWT_AUDIENCE\)/);
    const config = parsePluginConfig({ ...minimal, jwt, oauth: { authorizationServers: ['https://login.example'] } });
    expect(config.jwt!.audience).toBeUndefined();
  });
});

describe('metadataUrlOf', () => {
  it.each([
    [
      'https://cms.example/api/mcp-server/mcp',
      'https://cms.example/.well-known/oauth-protected-resource/api/mcp-server/mcp',
    ],
    ['https://cms.example:8443/mcp/', 'https://cms.example:8443/.well-known/oauth-protected-resource/mcp'],
    ['https://cms.example/', 'https://cms.example/.well-known/oauth-protected-resource'],
    ['https://cms.example/mcp?tenant=a', 'https://cms.example/.well-known/oauth-protected-resource/mcp?tenant=a'],
  ])('%s → %s', (resource, url) => {
    expect(metadataUrlOf(resource)).toBe(url);
  });
});

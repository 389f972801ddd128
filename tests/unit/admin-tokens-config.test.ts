/** The adminTokens config section and the bearer shapes that tell a JWT from a Strapi admin token. */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { adminTokensRequireSecret } from '../../server/src/config/admin-tokens-schema';
import { parsePluginConfig } from '../../server/src/config/schema';
import { classifyBearer } from '../../server/src/services/identity/bearer';

const minimal = {
  internalSecret: 'x'.repeat(32),
  jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' },
};
const ENV_NAMES = ['MCP_ADMIN_TOKENS_ENABLED', 'MCP_ADMIN_TOKENS_REQUIRE_SECRET'];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('adminTokens config', () => {
  it('is on by default, follows the top-level secret rule, and assigns no tenants or roles', () => {
    const config = parsePluginConfig(minimal);
    expect(config.adminTokens).toEqual({ enabled: true, requireInternalSecret: undefined, tenants: {}, roles: {} });
    expect(adminTokensRequireSecret(config)).toBe(true);
    const open = parsePluginConfig({ ...minimal, requireInternalSecret: false });
    expect(adminTokensRequireSecret(open)).toBe(false);
  });

  it('reads its environment variables', () => {
    process.env.MCP_ADMIN_TOKENS_ENABLED = 'false';
    process.env.MCP_ADMIN_TOKENS_REQUIRE_SECRET = 'false';
    const config = parsePluginConfig(minimal);
    expect(config.adminTokens).toMatchObject({ enabled: false, requireInternalSecret: false });
    expect(adminTokensRequireSecret(config)).toBe(false);
  });

  it('keys tenants by email with ASCII case folded, and drops unassigned (null) entries', () => {
    const config = parsePluginConfig({
      ...minimal,
      adminTokens: { tenants: { 'Ada@Example.COM': 'org-1', 'bob@example.com': null } },
    });
    expect(config.adminTokens.tenants).toEqual({ 'ada@example.com': 'org-1' });
  });

  it.each([
    [
      { adminTokens: { tenants: { 'a@example.com': 'org-1', 'A@example.com': 'org-2' } } },
      /adminTokens\.tenants\.A@example\.com: names the same admin user as a@example\.com/,
    ],
    [{ adminTokens: { tenants: { 'a@example.com': '' } } }, /adminTokens\.tenants\.a@example\.com/],
    [{ adminTokens: { enabled: 'yes' } }, /adminTokens\.enabled/],
    [{ adminTokens: { tenant: {} } }, /adminTokens\.tenant: unknown key \(did you mean adminTokens\.tenants\?\)/],
    // Admin tokens that need the secret need one configured, even when JWT callers do not.
    [
      { internalSecret: undefined, requireInternalSecret: false, adminTokens: { requireInternalSecret: true } },
      /internalSecret: is required/,
    ],
  ])('stops with a message naming the key (%#)', (patch, message) => {
    expect(() => parsePluginConfig({ ...minimal, ...patch })).toThrow(message);
  });

  it('needs no secret when neither credential requires it, or admin tokens are off', () => {
    expect(() =>
      parsePluginConfig({ ...minimal, internalSecret: undefined, requireInternalSecret: false }),
    ).not.toThrow();
    expect(() =>
      parsePluginConfig({
        ...minimal,
        internalSecret: undefined,
        requireInternalSecret: false,
        adminTokens: { enabled: false, requireInternalSecret: true },
      }),
    ).not.toThrow();
  });
});

describe('classifyBearer', () => {
  it('recognises a Strapi admin token: the 256 hex characters Strapi issues', () => {
    expect(classifyBearer(randomBytes(128).toString('hex'))).toBe('admin-token');
  });

  it('recognises a compact JWS (three dot-separated base64url parts), the unsecured form included', () => {
    expect(classifyBearer('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('jwt');
    expect(classifyBearer('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).toBe('jwt');
  });

  it.each([
    ['abc'],
    ['a'.repeat(63)],
    ['0123456789abcdef'.repeat(33)],
    [`${'a'.repeat(64)}.`],
    ['a.b'],
    ['a.b.c.d'],
    [`${'a'.repeat(255)}g`],
    ['dGVzdA=='],
  ])('treats %s as neither', (token) => {
    expect(classifyBearer(token)).toBe('unknown');
  });
});

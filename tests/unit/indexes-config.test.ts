/** The `indexes` option (docs/search.md): check by default, apply or off, from the config or MCP_INDEXES. */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePluginConfig } from '../../server/src/config/schema';

const minimal = {
  internalSecret: 'x'.repeat(32),
  jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' },
};
const saved = process.env.MCP_INDEXES;

afterEach(() => {
  if (saved === undefined) delete process.env.MCP_INDEXES;
  else process.env.MCP_INDEXES = saved;
});

describe('indexes', () => {
  it("is 'check' by default", () => {
    delete process.env.MCP_INDEXES;
    expect(parsePluginConfig(minimal).indexes).toBe('check');
  });

  it.each(['check', 'apply', 'off'])('takes %s from the config', (mode) => {
    expect(parsePluginConfig({ ...minimal, indexes: mode }).indexes).toBe(mode);
  });

  it('falls back to MCP_INDEXES, under the value of the config', () => {
    process.env.MCP_INDEXES = 'apply';
    expect(parsePluginConfig(minimal).indexes).toBe('apply');
    expect(parsePluginConfig({ ...minimal, indexes: 'off' }).indexes).toBe('off');
  });

  it('refuses any other value, naming the option, from the config or the environment', () => {
    expect(() => parsePluginConfig({ ...minimal, indexes: 'always' })).toThrow(
      /indexes: Invalid option: expected one of "check"\|"apply"\|"off"/,
    );
    expect(() => parsePluginConfig({ ...minimal, indexes: true })).toThrow(
      /indexes: Invalid option: expected one of "check"\|"apply"\|"off"/,
    );
    process.env.MCP_INDEXES = 'yes';
    expect(() => parsePluginConfig(minimal)).toThrow(
      /indexes: Invalid option: expected one of "check"\|"apply"\|"off"/,
    );
  });
});

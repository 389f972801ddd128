/**
 * The `indexes` option (docs/search.md): check by default, apply or off, from the config or MCP_INDEXES; and the names
 * of the indexes, which `revert` finds by their prefix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parsePluginConfig } from '../../server/src/config/schema';
import { INDEX_PREFIX, indexName } from '../../server/src/services/indexes/recommended-indexes';

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

describe('index names', () => {
  it('are the prefix, the table and what they index', () => {
    expect(indexName('articles', 'title_trgm')).toBe('mcp_ix_articles_title_trgm');
  });

  it('keep to the 63 characters PostgreSQL keeps, and stay distinct and stable when cut', () => {
    const table = 'components_shared_very_long_collection_name_for_reports';
    const first = indexName(table, 'meta_description_trgm');
    const second = indexName(table, 'meta_descriptions_trgm');
    for (const name of [first, second]) {
      expect(name.length).toBe(63);
      expect(name.startsWith(`${INDEX_PREFIX}components_shared_very_long`)).toBe(true);
    }
    expect(first).not.toBe(second);
    expect(indexName(table, 'meta_description_trgm')).toBe(first);
  });
});

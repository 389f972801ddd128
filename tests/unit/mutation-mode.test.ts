/** The production fence's configuration: its default per environment, its sources and bounds, and who may change it. */
import { afterEach, describe, expect, it } from 'vitest';
import { resolveMutationMode } from '../../server/src/config/mutation-mode';
import { parsePluginConfig } from '../../server/src/config/schema';
import { uneditableKeys } from '../../server/src/services/settings/admin-changes';

const minimal = {
  internalSecret: 'x'.repeat(32),
  jwt: { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' },
};
const ENV_NAMES = ['MCP_MUTATIONS', 'MCP_CONFIRMATION_TTL_SECONDS'];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const modeOf = (config: Record<string, unknown>, environment: string) =>
  resolveMutationMode(parsePluginConfig({ ...minimal, ...config }).mutations, environment);

describe('mutations', () => {
  it('are off in production unless the configuration says otherwise', () => {
    delete process.env.MCP_MUTATIONS;
    expect(modeOf({}, 'production')).toBe('disabled');
  });

  it.each(['development', 'test', 'staging', undefined])('are on in the %s environment by default', (environment) => {
    delete process.env.MCP_MUTATIONS;
    expect(modeOf({}, environment as string)).toBe('enabled');
  });

  it.each(['enabled', 'confirm', 'disabled'])('follow an explicit %s in any environment', (mode) => {
    delete process.env.MCP_MUTATIONS;
    expect(modeOf({ mutations: mode }, 'production')).toBe(mode);
    expect(modeOf({ mutations: mode }, 'development')).toBe(mode);
  });

  it('read MCP_MUTATIONS when the config file leaves them unset, and the file wins over it', () => {
    process.env.MCP_MUTATIONS = 'confirm';
    expect(modeOf({}, 'production')).toBe('confirm');
    expect(modeOf({ mutations: 'enabled' }, 'production')).toBe('enabled');
  });

  it('refuse a mode that does not exist, naming the key', () => {
    delete process.env.MCP_MUTATIONS;
    expect(() => parsePluginConfig({ ...minimal, mutations: 'on' })).toThrow(/mutations/);
    process.env.MCP_MUTATIONS = 'yes';
    expect(() => parsePluginConfig(minimal)).toThrow(/mutations/);
  });

  it('give a confirmation token 300 s by default, 1 to 3600 s when set', () => {
    delete process.env.MCP_CONFIRMATION_TTL_SECONDS;
    expect(parsePluginConfig(minimal).mutationConfirmation).toEqual({ ttlSeconds: 300 });
    expect(parsePluginConfig({ ...minimal, mutationConfirmation: { ttlSeconds: 1 } }).mutationConfirmation).toEqual({
      ttlSeconds: 1,
    });
    for (const ttlSeconds of [0, 3601, 1.5]) {
      expect(() => parsePluginConfig({ ...minimal, mutationConfirmation: { ttlSeconds } })).toThrow(
        /mutationConfirmation\.ttlSeconds/,
      );
    }
    process.env.MCP_CONFIRMATION_TTL_SECONDS = '60';
    expect(parsePluginConfig(minimal).mutationConfirmation.ttlSeconds).toBe(60);
  });

  it('cannot be changed from the admin panel, in either direction', () => {
    expect(uneditableKeys({ mutations: 'enabled' })).toEqual([
      { path: ['mutations'], message: 'cannot be changed from the admin panel (set it in config/plugins)' },
    ]);
    expect(uneditableKeys({ mutations: 'disabled', mutationConfirmation: { ttlSeconds: 10 } })).toHaveLength(2);
  });
});

import type { Core } from '@strapi/strapi';
import { parsePluginConfig, type PluginConfig } from '../../config/schema';

export const PLUGIN_ID = 'mcp-server';

interface Snapshot {
  version: number;
  /** The input the configuration was parsed from, so that a runtime change can be applied over it. */
  input: Record<string, unknown>;
  config: PluginConfig;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Objects merge key by key; arrays and scalars replace. */
const mergeInput = (base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> => {
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergeInput(merged[key], value) : value;
  }
  return merged;
};

/**
 * The one owner of the plugin's configuration. It parses `config/plugins` once, and a runtime change (`update`) is
 * validated by the same schema and bumps the version. Everything built from the configuration (the compiled policy,
 * the token verifier, the origin policy) is a `derived` value rebuilt at its next use after a change, so a change
 * applies at the next request without a restart.
 */
const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  let snapshot: Snapshot | undefined;
  const listeners = new Set<(config: PluginConfig, version: number) => void>();
  const checks: Array<(config: PluginConfig) => void> = [];

  const current = (): Snapshot => {
    if (!snapshot) {
      const input = (strapi.config.get(`plugin::${PLUGIN_ID}`) ?? {}) as Record<string, unknown>;
      snapshot = { version: 1, input, config: parsePluginConfig(input) };
    }
    return snapshot;
  };

  return {
    /** The configuration in force. */
    get: (): PluginConfig => current().config,

    /** Bumped by every change; caches key on it. */
    version: (): number => current().version,

    /**
     * Applies a change over the configuration in force (objects merge, arrays replace). Invalid changes throw with
     * every offending key named, and leave the configuration as it was.
     */
    update(patch: Record<string, unknown>): PluginConfig {
      const { version, input } = current();
      const next = mergeInput(input, patch);
      const config = parsePluginConfig(next);
      for (const check of checks) check(config);
      snapshot = { version: version + 1, input: next, config };
      for (const listener of listeners) listener(snapshot.config, snapshot.version);
      return snapshot.config;
    },

    /** A value built from the configuration, rebuilt lazily after each change. */
    derived<T>(build: (config: PluginConfig) => T): () => T {
      let cached: { version: number; value: T } | undefined;
      return () => {
        const { version, config } = current();
        if (cached?.version !== version) cached = { version, value: build(config) };
        return cached.value;
      };
    },

    /**
     * A check every change must pass before it applies, beyond the schema (e.g. the policy against the real content
     * types); it throws with a message naming the key.
     */
    addCheck(check: (config: PluginConfig) => void) {
      checks.push(check);
    },

    /** Called after every change, with the new configuration. */
    onChange(listener: (config: PluginConfig, version: number) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
};

export default createSettingsService;
export type SettingsService = ReturnType<typeof createSettingsService>;

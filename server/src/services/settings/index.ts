import type { Core } from '@strapi/strapi';
import { ConfigurationError } from '../../config/config-problems';
import { parsePluginConfig, type PluginConfig } from '../../config/schema';
import { getService } from '../get-service';
import {
  applyChanges,
  combineChanges,
  diffValues,
  hardLimitProblems,
  mergeInput,
  POLICY_KEYS,
  uneditableKeys,
  EDITABLE_KEYS,
  type AdminChanges,
  type Change,
} from './admin-changes';

export const PLUGIN_ID = 'mcp-server';

/** Who changed the settings in the admin panel. */
export interface SettingsActor {
  id: number;
  email: string;
  /** `admin-panel` (an admin session), or `admin-token:<id>` for a Strapi admin token calling the admin routes. */
  credential?: string;
}

interface StoredChanges {
  changes: AdminChanges;
  updatedAt: string;
  updatedBy: SettingsActor;
  /** The last change of the Policy page (the switches and access have their own audit rows). */
  policyUpdatedAt?: string;
  policyUpdatedBy?: SettingsActor;
}

interface Snapshot {
  version: number;
  /** The config file's input, with the changes made through `update` (code, tests) merged over it. */
  input: Record<string, unknown>;
  /** That input parsed: the ceiling of the admin panel's changes. */
  baseline: PluginConfig;
  /** The configuration in force: the baseline input with the admin panel's stored changes applied over it. */
  config: PluginConfig;
}

const STORE_KEY = 'admin-changes';

/**
 * The one owner of the plugin's configuration. It parses `config/plugins` once; the admin panel's changes are stored
 * in Strapi's plugin store and applied over it (`save`, `reset`), validated by the same schema, checked against the
 * real content types and the config file's hard limits, each one an audit row. Everything built from the configuration
 * (the compiled policy, the token verifier, the origin policy) is a `derived` value rebuilt at its next use after a
 * change, so a change applies at the next request without a restart.
 */
const createSettingsService = ({ strapi }: { strapi: Core.Strapi }) => {
  let snapshot: Snapshot | undefined;
  let stored: StoredChanges | null = null;
  /** The stored changes as this instance last read or wrote them (JSON), to notice another instance's save. */
  let lastRead = 'null';
  const listeners = new Set<(config: PluginConfig, version: number) => void>();
  const checks: Array<(config: PluginConfig) => void> = [];
  const store = () => strapi.store({ type: 'plugin', name: PLUGIN_ID });

  const current = (): Snapshot => {
    if (!snapshot) {
      const input = (strapi.config.get(`plugin::${PLUGIN_ID}`) ?? {}) as Record<string, unknown>;
      const baseline = parsePluginConfig(input);
      snapshot = { version: 1, input, baseline, config: baseline };
    }
    return snapshot;
  };

  /** The configuration these changes give over this input; throws a ConfigurationError naming every problem. */
  const resolve = (input: Record<string, unknown>, changes: AdminChanges) => {
    const baseline = parsePluginConfig(input);
    const config = parsePluginConfig(applyChanges(input, changes));
    const problems = hardLimitProblems(baseline, config);
    if (problems.length > 0) throw new ConfigurationError(problems);
    for (const check of checks) check(config);
    return { baseline, config };
  };

  const install = (input: Record<string, unknown>, resolved: { baseline: PluginConfig; config: PluginConfig }) => {
    snapshot = { version: current().version + 1, input, ...resolved };
    for (const listener of listeners) listener(snapshot.config, snapshot.version);
    return snapshot.config;
  };

  return {
    /** The configuration in force. */
    get: (): PluginConfig => current().config,

    /** The configuration of the config file (and of `update`), without the admin panel's changes. */
    baseline: (): PluginConfig => current().baseline,

    /** Bumped by every change; caches key on it. */
    version: (): number => current().version,

    /** When and by whom the Policy page last changed the policy in force; null when the config file's applies. */
    lastPolicyChange: () =>
      stored?.policyUpdatedAt && stored.policyUpdatedBy && POLICY_KEYS.some((key) => stored?.changes[key] !== undefined)
        ? { at: stored.policyUpdatedAt, by: stored.policyUpdatedBy }
        : null,

    /** Whether the Policy page's changes are in force. */
    policyOverridden: (): boolean => POLICY_KEYS.some((key) => stored?.changes[key] !== undefined),

    /**
     * Applies a change from code over the configuration in force (objects merge, arrays replace). Invalid changes
     * throw with every offending key named, and leave the configuration as it was.
     */
    update(patch: Record<string, unknown>): PluginConfig {
      const input = mergeInput(current().input, patch);
      return install(input, resolve(input, stored?.changes ?? {}));
    },

    /**
     * Reads the admin panel's stored changes (at bootstrap, and when another instance saved some). Changes that no
     * longer validate (a content type removed since, a config file that now forbids them) are reported and dropped
     * step by step: the policy first, then the on/off switch, then the users' admin-token assignments; the users'
     * kill switches go last (dropping them would reopen what an admin closed). It never stops the boot.
     */
    async loadStoredChanges(): Promise<void> {
      const value = (await store().get({ key: STORE_KEY })) as StoredChanges | null;
      lastRead = JSON.stringify(value ?? null);
      const { input } = current();
      if (!value?.changes || typeof value.changes !== 'object') {
        // The row is gone (or was never written): the config file's settings, not what this instance last read.
        if (stored) {
          stored = null;
          install(input, resolve(input, {}));
        }
        return;
      }
      // Only what the admin panel may change is read back: a row written by other means (the database, another
      // plugin) cannot switch on what the deployment switched off, such as mutations.
      const refused = uneditableKeys(value.changes);
      if (refused.length > 0) {
        strapi.log.error(
          `[mcp-server] stored admin-panel settings name keys the admin panel may not change; ignored: ${refused
            .map((problem) => problem.path.join('.'))
            .join(', ')}`,
        );
      }
      const editable = Object.fromEntries(
        Object.entries(value.changes).filter(([key]) => (EDITABLE_KEYS as readonly string[]).includes(key)),
      ) as AdminChanges;
      const { enabled, access } = editable as { enabled?: boolean; access?: { disabledUsers?: unknown } };
      const candidates: AdminChanges[] = [
        editable,
        // The policy dropped: a content type or field removed since.
        { enabled, access },
        // The switch dropped: the config file switches MCP off now.
        { access },
        // Users' admin-token roles dropped (a role removed from the config file); kill switches kept to the last.
        { access: { disabledUsers: access?.disabledUsers } },
        {},
      ].map((changes) => JSON.parse(JSON.stringify(changes)) as AdminChanges);
      for (const changes of candidates) {
        try {
          const resolved = resolve(input, changes);
          stored = { ...value, changes };
          install(input, resolved);
          return;
        } catch (error) {
          strapi.log.error(
            `[mcp-server] settings saved in the admin panel no longer apply and are not in force: ${(error as Error).message}`,
          );
        }
      }
    },

    /**
     * Reads the stored changes again when they differ from what this instance last read or saved (another instance
     * saved some, and no Redis told this one); returns whether they did.
     */
    async reloadIfChanged(): Promise<boolean> {
      const value = (await store().get({ key: STORE_KEY })) as StoredChanges | null;
      if (JSON.stringify(value ?? null) === lastRead) return false;
      await this.loadStoredChanges();
      return true;
    },

    /**
     * The changes these would make to the configuration in force, leaf by leaf, without applying them; throws a
     * ConfigurationError naming every problem when they are invalid.
     */
    preview(changes: AdminChanges): Change[] {
      const problems = uneditableKeys(changes);
      if (problems.length > 0) throw new ConfigurationError(problems);
      const { input } = current();
      const { config } = resolve(input, combineChanges(stored?.changes ?? {}, changes));
      const keys = Object.keys(changes) as Array<keyof PluginConfig>;
      return diffValues(
        Object.fromEntries(keys.map((key) => [key, current().config[key]])),
        Object.fromEntries(keys.map((key) => [key, config[key]])),
      );
    },

    /**
     * Saves a change made in the admin panel: validated, stored, applied at the next request, and recorded in the audit
     * trail with its before and after. Returns the changes made.
     */
    async save(changes: AdminChanges, actor: SettingsActor, action = 'update-settings'): Promise<Change[]> {
      const diff = this.preview(changes);
      const { input } = current();
      const now = new Date().toISOString();
      const touchesPolicy = Object.keys(changes).some((key) => (POLICY_KEYS as readonly string[]).includes(key));
      const next: StoredChanges = {
        ...stored,
        changes: combineChanges(stored?.changes ?? {}, changes),
        updatedAt: now,
        updatedBy: actor,
        ...(touchesPolicy ? { policyUpdatedAt: now, policyUpdatedBy: actor } : {}),
      };
      const resolved = resolve(input, next.changes);
      await store().set({ key: STORE_KEY, value: next });
      lastRead = JSON.stringify(next);
      stored = next;
      install(input, resolved);
      // In force on every instance before the save answers (each one confirms, or 2 s pass).
      await getService(strapi, 'cluster').publish({ type: 'settings' }, { wait: true });
      await recordChange(action, actor, diff);
      return diff;
    },

    /** Drops the Policy page's changes: the config file's policy is in force again (switches and access stay). */
    async resetPolicy(actor: SettingsActor): Promise<Change[]> {
      const { input, config: before } = current();
      const changes = Object.fromEntries(
        Object.entries(stored?.changes ?? {}).filter(([key]) => !(POLICY_KEYS as readonly string[]).includes(key)),
      );
      const resolved = resolve(input, changes);
      const next: StoredChanges = { changes, updatedAt: new Date().toISOString(), updatedBy: actor };
      await store().set({ key: STORE_KEY, value: next });
      lastRead = JSON.stringify(next);
      stored = next;
      install(input, resolved);
      await getService(strapi, 'cluster').publish({ type: 'settings' }, { wait: true });
      const diff = diffValues(
        Object.fromEntries(POLICY_KEYS.map((key) => [key, before[key]])),
        Object.fromEntries(POLICY_KEYS.map((key) => [key, resolved.config[key]])),
      );
      await recordChange('reset-settings', actor, diff);
      return diff;
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

  async function recordChange(action: string, actor: SettingsActor, diff: Change[]) {
    await getService(strapi, 'audit').write(
      {
        decision: 'allowed',
        action,
        adminUserId: actor.id,
        adminUserEmail: actor.email,
        credential: actor.credential ?? 'admin-panel',
        diff: { changes: diff },
        reason:
          diff.length === 0
            ? 'no change'
            : `${diff.length} ${diff.length === 1 ? 'change' : 'changes'}: ${diff.map((c) => c.path.join('.')).join(', ')}`,
      },
      { always: true },
    );
  }
};

export default createSettingsService;
export type SettingsService = ReturnType<typeof createSettingsService>;

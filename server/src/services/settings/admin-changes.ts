import type { PluginConfig } from '../../config/schema';
import type { ConfigProblem } from '../../config/config-problems';

/** The policy keys the admin panel's Policy page edits, in the same shape as the config file's. */
export const POLICY_KEYS = [
  'contentTypes',
  'roles',
  'roleSource',
  'strapiRoles',
  'tenantField',
  'crossTenantRoles',
  'onForbiddenField',
  'readOnly',
  'limits',
] as const;

/**
 * Everything the admin panel may change; connection and identity settings (keys, secrets, issuers) stay in code, and
 * so does the production fence (`mutations`, `mutationConfirmation`): an admin session must not be able to switch on
 * what the deployment switched off.
 */
export const EDITABLE_KEYS = [...POLICY_KEYS, 'enabled', 'access'] as const;
export type EditableKey = (typeof EDITABLE_KEYS)[number];

/** Maps whose entries the panel removes: replaced whole rather than merged key by key. */
const REPLACED_KEYS = new Set(['contentTypes', 'roles', 'strapiRoles']);

export type AdminChanges = Partial<Record<EditableKey, unknown>>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys that would reach an object's prototype rather than name a setting. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Objects merge key by key; arrays and scalars replace. */
export const mergeInput = (base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> => {
  const merged = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    merged[key] = isPlainObject(value) && isPlainObject(merged[key]) ? mergeInput(merged[key], value) : value;
  }
  return merged;
};

/** The keys of a change the panel may not make: anything outside the editable keys, named one by one. */
export const uneditableKeys = (changes: Record<string, unknown>): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  for (const key of Object.keys(changes)) {
    if (!(EDITABLE_KEYS as readonly string[]).includes(key)) {
      problems.push({ path: [key], message: 'cannot be changed from the admin panel (set it in config/plugins)' });
    }
  }
  return problems;
};

/** A later change over an earlier one: replaced maps replace, the rest merges as the config input does. */
export const combineChanges = (earlier: AdminChanges, later: AdminChanges): AdminChanges => {
  const combined: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
    combined[key] =
      !REPLACED_KEYS.has(key) && isPlainObject(value) && isPlainObject(combined[key])
        ? mergeInput(combined[key], value)
        : value;
  }
  return combined;
};

/** The configuration input with the admin panel's changes applied over the config file's. */
export const applyChanges = (input: Record<string, unknown>, changes: AdminChanges): Record<string, unknown> =>
  combineChanges(input as AdminChanges, changes) as Record<string, unknown>;

/**
 * What the config file fixes as a ceiling: no limit may be raised above its value, read-only mode and the off switch
 * set there cannot be undone from the panel.
 */
export const hardLimitProblems = (baseline: PluginConfig, candidate: PluginConfig): ConfigProblem[] => {
  const problems: ConfigProblem[] = [];
  for (const [key, ceiling] of Object.entries(baseline.limits) as Array<[keyof PluginConfig['limits'], number]>) {
    if (candidate.limits[key] > ceiling) {
      problems.push({
        path: ['limits', key],
        message: `cannot be raised above ${ceiling}, the config file's value (a hard limit)`,
      });
    }
  }
  if (baseline.readOnly && !candidate.readOnly) {
    problems.push({ path: ['readOnly'], message: 'the config file sets read-only mode; it cannot be turned off here' });
  }
  if (!baseline.enabled && candidate.enabled) {
    problems.push({
      path: ['enabled'],
      message: 'the config file switches MCP off (MCP_ENABLED); it cannot be switched on here',
    });
  }
  return problems;
};

/** The values of the policy keys, as the Policy page edits them. */
export const policyView = (config: PluginConfig) =>
  Object.fromEntries(POLICY_KEYS.map((key) => [key, config[key]])) as Pick<PluginConfig, (typeof POLICY_KEYS)[number]>;

export interface Change {
  path: string[];
  before: unknown;
  after: unknown;
}

/** Leaf by leaf differences between two values (objects recursed; arrays and scalars compared whole). */
export const diffValues = (before: unknown, after: unknown, path: string[] = []): Change[] => {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], [...path, key]));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
};

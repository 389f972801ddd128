import { ACTIONS, type Action } from '../../config/policy-schema';
import type { TypePolicy } from './compile-policy';

/**
 * Scopes carried by a token narrow what its role allows, never widen it. An entry names a type and an action:
 * `article:read`, `api::article.article:update-own`, `article:*`, `*:read`, or `*` for everything the role allows.
 * Entries of any other shape (`openid`, `email`, `offline_access`) are about something else and grant nothing here.
 */
export type Scopes = ReadonlyArray<{ type: string; action: Action | '*' }>;

const MAX_SCOPE_ENTRIES = 200;
const MAX_SCOPE_LENGTH = 200;

/** Actions that a broader action implies: `update` reaches every document, so it covers `update-own` too. */
const IMPLIED: Partial<Record<Action, Action>> = { read: 'read-own', update: 'update-own', delete: 'delete-own' };

const isAction = (value: string): value is Action => (ACTIONS as readonly string[]).includes(value);

/**
 * The scopes claim as entries: a space-separated string (OAuth's `scope`) or an array of strings (`permissions`).
 * `null` when the claim is absent; a claim of another shape is refused by the caller, not read as "no scopes".
 */
export const parseScopesClaim = (
  claim: unknown,
): { ok: true; scopes: Scopes | null } | { ok: false; reason: string } => {
  if (claim === undefined || claim === null) return { ok: true, scopes: null };
  const entries =
    typeof claim === 'string'
      ? claim.split(/\s+/).filter(Boolean)
      : Array.isArray(claim) && claim.every((entry) => typeof entry === 'string')
        ? (claim as string[])
        : null;
  if (entries === null) return { ok: false, reason: 'is neither a space-separated string nor a list of strings' };
  if (entries.length > MAX_SCOPE_ENTRIES) return { ok: false, reason: `has more than ${MAX_SCOPE_ENTRIES} entries` };
  const scopes: Array<{ type: string; action: Action | '*' }> = [];
  for (const entry of entries) {
    if (entry.length > MAX_SCOPE_LENGTH) return { ok: false, reason: `has an entry longer than ${MAX_SCOPE_LENGTH}` };
    if (entry === '*') {
      scopes.push({ type: '*', action: '*' });
      continue;
    }
    const separator = entry.lastIndexOf(':');
    if (separator <= 0) continue;
    const type = entry.slice(0, separator);
    const action = entry.slice(separator + 1);
    if (action === '*' || isAction(action)) scopes.push({ type, action });
  }
  return { ok: true, scopes };
};

const withImplied = (actions: Iterable<Action>): Set<Action> => {
  const expanded = new Set<Action>();
  for (const action of actions) {
    expanded.add(action);
    const implied = IMPLIED[action];
    if (implied) expanded.add(implied);
  }
  return expanded;
};

const namesType = (scopeType: string, type: TypePolicy) =>
  scopeType === '*' || scopeType === type.uid || scopeType === type.schema.info.singularName;

/** The actions the scopes allow on a type; every action when there are no scopes to apply. */
const scopedActions = (scopes: Scopes, type: TypePolicy): Set<Action> => {
  const granted = scopes.filter((scope) => namesType(scope.type, type));
  if (granted.some((scope) => scope.action === '*')) return new Set(ACTIONS);
  return withImplied(granted.map((scope) => scope.action as Action));
};

/**
 * The role's actions on a type, narrowed by the token's scopes: an action stays when both allow it, and `update` on
 * one side with `update-own` on the other leaves `update-own`. `null` scopes (no claim) leave the role alone.
 */
export const narrowByScopes = (
  roleActions: ReadonlySet<Action>,
  type: TypePolicy,
  scopes: Scopes | null,
): ReadonlySet<Action> => {
  if (scopes === null) return roleActions;
  const allowed = scopedActions(scopes, type);
  const kept = [...withImplied(roleActions)].filter((action) => allowed.has(action));
  // `update-own` beside `update` says nothing more.
  return new Set(
    kept.filter(
      (action) => !Object.entries(IMPLIED).some(([broad, own]) => own === action && kept.includes(broad as Action)),
    ),
  );
};

/** The scopes as a token would carry them, for whoami. */
export const formatScopes = (scopes: Scopes | null): string[] | null =>
  scopes === null
    ? null
    : scopes.map((scope) => (scope.type === '*' && scope.action === '*' ? '*' : `${scope.type}:${scope.action}`));

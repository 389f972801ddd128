import { assignedAdminTokenRole } from '../../config/access-schema';
import { ACTIONS, type Action } from '../../config/policy-schema';
import type { PluginConfig } from '../../config/schema';
import type { McpCaller } from '../identity';
import type { CompiledPolicy, TypePolicy } from './compile-policy';

/** What a tool asks to do; `*-own` actions narrow an operation to the caller's own documents. */
export type Operation = 'read' | 'create' | 'update' | 'delete' | 'publish';
export type Reach = 'all' | 'own';

/**
 * The caller's policy role: the verified role claim, or with `roleSource: 'strapi'` the first entry of `strapiRoles`
 * whose Strapi role the admin user holds. An admin token has no role claim: the role assigned to its owner
 * (Settings → MCP Server → Access, else `adminTokens.roles`), else its owner's Strapi roles decide, whatever
 * `roleSource` says. Matched case-insensitively onto the configured role names; anything else, or nothing,
 * is `null` (whoami only). Nothing the caller sends in a tool call can change it.
 */
export const resolvePolicyRole = (caller: McpCaller, config: PluginConfig, policy: CompiledPolicy): string | null => {
  const byLowerCase = new Map(Object.keys(policy.roles).map((role) => [role.toLowerCase(), role]));
  if (config.roleSource === 'claim' && caller.credential.kind === 'jwt')
    return caller.role ? (byLowerCase.get(caller.role.toLowerCase()) ?? null) : null;
  if (caller.credential.kind === 'admin-token') {
    const assigned = assignedAdminTokenRole(config, caller.adminUser);
    if (assigned !== null) return byLowerCase.get(assigned.toLowerCase()) ?? null;
  }
  const heldCodes = new Set(caller.adminUser.roles.map((role) => role.code));
  for (const [strapiRoleCode, role] of Object.entries(config.strapiRoles)) {
    if (heldCodes.has(strapiRoleCode)) return byLowerCase.get(role.toLowerCase()) ?? null;
  }
  return null;
};

/** The role's actions on one type: the type's override for the role if any, else the role's global actions. */
export const actionsOn = (policy: CompiledPolicy, role: string | null, type: TypePolicy): ReadonlySet<Action> => {
  if (role === null) return new Set();
  const granted =
    (Object.hasOwn(type.actionOverrides, role) ? type.actionOverrides[role] : undefined) ??
    (Object.hasOwn(policy.roles, role) ? policy.roles[role] : undefined) ??
    new Set();
  return granted.has('*') ? new Set(ACTIONS) : (granted as ReadonlySet<Action>);
};

/** How far an operation reaches for this role and type: every document, only the caller's own, or none. */
export const reachOf = (actions: ReadonlySet<Action>, operation: Operation): Reach | null => {
  switch (operation) {
    case 'read':
      return actions.has('read') ? 'all' : actions.has('read-own') ? 'own' : null;
    case 'update':
      return actions.has('update') ? 'all' : actions.has('update-own') ? 'own' : null;
    case 'delete':
      return actions.has('delete') ? 'all' : actions.has('delete-own') ? 'own' : null;
    case 'create':
      return actions.has('create') ? 'all' : null;
    case 'publish':
      return actions.has('publish') ? 'all' : null;
  }
};

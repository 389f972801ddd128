import type { CompiledPolicy } from '../policy';
import { actionsOn, reachOf, type Operation } from '../policy/roles';

const OPERATIONS: Operation[] = ['read', 'create', 'update', 'delete', 'publish'];

/**
 * `scopes_supported` derived from the policy: `<singular name>:<operation>` for each exposed type and each operation
 * at least one role may perform on it (publish only where the type has draft and publish).
 */
export const deriveScopes = (policy: CompiledPolicy): string[] => {
  const scopes: string[] = [];
  for (const type of policy.types.values()) {
    const name = type.schema.info.singularName;
    for (const operation of OPERATIONS) {
      if (operation === 'publish' && !type.hasDraftAndPublish) continue;
      const reachable = Object.keys(policy.roles).some(
        (role) => reachOf(actionsOn(policy, role, type), operation) !== null,
      );
      if (reachable) scopes.push(`${name}:${operation}`);
    }
  }
  return scopes;
};

import type { McpToolDefinition } from '../../extension/definitions';
import type { CallPolicy, CompiledPolicy } from '../../services/policy';
import { perTypeTool, roleMay, verbsOf } from './definitions';
import { perTypeToolNames, type PerTypeVerb } from './names';

export { isPerTypeTool } from './definitions';
export { perTypeToolNames, PER_TYPE_VERBS, type PerTypeVerb } from './names';

/** The typed tools of one role: listed in this order, called by name. */
export interface PerTypeTools {
  list: McpToolDefinition[];
  byName: ReadonlyMap<string, McpToolDefinition>;
}

interface Built {
  names: Map<string, Record<PerTypeVerb, string>>;
  byRole: Map<string, PerTypeTools>;
}

const NONE: PerTypeTools = { list: [], byName: new Map() };

/** A server's set of registered names, as a cache key made once per set. */
const reservedKeys = new WeakMap<ReadonlySet<string>, string>();
const keyOf = (reserved: ReadonlySet<string>) => {
  let key = reservedKeys.get(reserved);
  if (key === undefined) {
    key = [...reserved].sort().join('\n');
    reservedKeys.set(reserved, key);
  }
  return key;
};

/**
 * Built once per compiled policy (a settings change compiles a new one, and the old one's entry goes with it), per
 * set of registered tool names, and per role: a 2026-07-28 server built for each request finds its definitions, and
 * the shared schemas (`listedToolOf`, `schemasOf`) of each definition, already made.
 */
const cache = new WeakMap<CompiledPolicy, Map<string, Built>>();

const build = (policy: CompiledPolicy, role: string, names: Built['names'], crossTenant: boolean): PerTypeTools => {
  const list: McpToolDefinition[] = [];
  for (const [uid, typeNames] of names) {
    const type = policy.types.get(uid)!;
    for (const verb of verbsOf(type)) {
      if (roleMay(policy, role, type, verb)) {
        list.push(perTypeTool(verb, typeNames[verb], type, policy, role, crossTenant));
      }
    }
  }
  return { list, byName: new Map(list.map((tool) => [tool.name, tool])) };
};

/**
 * The typed per-type tools (`tools.perType: true`) for this caller's role: `list_<type>`, `get_<type>`,
 * `create_<type>`... for the exposed types the role has the operation on, named apart from `reserved` (the registered
 * tools). Whether each is offered to this very caller (its scopes, Strapi's RBAC) is its `isAvailableTo`.
 */
export const perTypeToolsFor = (callPolicy: CallPolicy, reserved: ReadonlySet<string>): PerTypeTools => {
  const { role, policy, config } = callPolicy;
  if (role === null) return NONE;
  let byReserved = cache.get(policy);
  if (!byReserved) {
    byReserved = new Map();
    cache.set(policy, byReserved);
  }
  const reservedKey = keyOf(reserved);
  let built = byReserved.get(reservedKey);
  if (!built) {
    const types = [...policy.types.values()].map((type) => ({
      uid: type.uid,
      singularName: type.schema.info.singularName,
    }));
    built = { names: perTypeToolNames(types, reserved), byRole: new Map() };
    byReserved.set(reservedKey, built);
  }
  let tools = built.byRole.get(role);
  if (!tools) {
    tools = build(policy, role, built.names, config.crossTenantRoles.includes(role));
    built.byRole.set(role, tools);
  }
  return tools;
};

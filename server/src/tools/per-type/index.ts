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
  /** The content type a typed tool name stands for, whichever role may use it (for the audit row of a refusal). */
  contentTypeOf(name: string): string | undefined;
}

interface Built {
  names: Map<string, Record<PerTypeVerb, string>>;
  uidByName: Map<string, string>;
  byRole: Map<string, PerTypeTools>;
}

const NONE: PerTypeTools = { list: [], byName: new Map(), contentTypeOf: () => undefined };

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

const build = (
  policy: CompiledPolicy,
  role: string,
  built: Omit<Built, 'byRole'>,
  crossTenant: boolean,
): PerTypeTools => {
  const list: McpToolDefinition[] = [];
  for (const [uid, typeNames] of built.names) {
    const type = policy.types.get(uid)!;
    for (const verb of verbsOf(type)) {
      if (roleMay(policy, role, type, verb)) {
        list.push(perTypeTool(verb, typeNames[verb], type, policy, role, crossTenant));
      }
    }
  }
  return {
    list,
    byName: new Map(list.map((tool) => [tool.name, tool])),
    contentTypeOf: (name) => built.uidByName.get(name),
  };
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
    const names = perTypeToolNames(types, reserved);
    const uidByName = new Map(
      [...names].flatMap(([uid, typeNames]) => Object.values(typeNames).map((name) => [name, uid] as const)),
    );
    built = { names, uidByName, byRole: new Map() };
    byReserved.set(reservedKey, built);
  }
  let tools = built.byRole.get(role);
  if (!tools) {
    tools = build(policy, role, built, config.crossTenantRoles.includes(role));
    built.byRole.set(role, tools);
  }
  return tools;
};

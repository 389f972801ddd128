import type { Core } from '@strapi/strapi';
import { PolicyRefusal } from '../../errors';
import type { Attribute, CallPolicy, Filter, TypePolicy } from '../../services/policy';
import { isComponent, isDynamicZone, isExposable, isRelation } from '../../services/policy/fields';
import { tenantFileFilter } from '../media-library';
import type { ReadView } from './query-guard';

export interface ReadableType {
  type: TypePolicy;
  fields: ReadonlySet<string>;
  /** Tenant, ownership and Strapi-condition filters for reading this type. */
  scope: Filter[];
}

export interface CallReadView extends ReadView {
  typeOf(uid: string): ReadableType | undefined;
  /** The filters media files shown in documents must match: the caller's tenant folder, where tenants exist. */
  mediaScope: Filter[];
}

/** Media of a tenant-aware installation, for a caller without a tenant claim: none at all. */
const NO_MEDIA: Filter = { id: { $null: true } };

type Components = Record<string, { attributes: Record<string, Attribute> }>;

/** The content types an attribute leads to (relations, directly or through components and dynamic zones). */
const linkedTypes = (components: Components, attribute: Attribute, seen = new Set<string>()): string[] => {
  if (isRelation(attribute)) return typeof attribute.target === 'string' ? [attribute.target] : [];
  const uids = isComponent(attribute)
    ? [attribute.component as string]
    : isDynamicZone(attribute)
      ? (attribute.components ?? [])
      : [];
  return uids.flatMap((uid) => {
    if (seen.has(uid)) return [];
    seen.add(uid);
    return Object.values(components[uid]?.attributes ?? {}).flatMap((sub) => linkedTypes(components, sub, seen));
  });
};

/** A type the caller may read, with its candidate fields and scope; undefined when the policy or Strapi refuses it. */
const loadReadable = async (policy: CallPolicy, type: TypePolicy): Promise<ReadableType | undefined> => {
  try {
    const reach = await policy.authorize(type, 'read');
    policy.requireTenantClaim(type);
    return { type, fields: await policy.readable(type), scope: await policy.scopeFilters(type, 'read', reach) };
  } catch (error) {
    if (!(error instanceof PolicyRefusal)) throw error;
    return undefined;
  }
};

/**
 * What the caller may read in this call, built once: each readable type with its readable fields and its read scope.
 * With `roots`, only those types and the ones their readable fields lead to (through relations, at any depth, and
 * through components): every type a filter, sort, populate, input or output of a call on the roots can reach, and no
 * other; without, every exposed type the caller may read (whoami, list and describe). Relations to types it may not
 * read are removed from the readable fields, so they are never filtered, sorted, populated or shown. Components
 * expose their non-private attributes, narrowed by Strapi's field permissions on their leaves
 * (`seo.metaDescription`) wherever a readable type of the view uses them.
 */
export const buildReadView = async (
  strapi: Core.Strapi,
  policy: CallPolicy,
  roots?: readonly string[],
): Promise<CallReadView> => {
  const components = strapi.components as unknown as Components;
  const candidates = new Map(policy.typesFor('read').map((type) => [type.uid, type]));
  const readable = new Map<string, ReadableType>();
  const visited = new Set<string>();
  let pending = roots ? [...roots] : [...candidates.keys()];
  while (pending.length > 0) {
    const batch = [...new Set(pending)].filter((uid) => !visited.has(uid) && candidates.has(uid));
    batch.forEach((uid) => visited.add(uid));
    const loaded = await Promise.all(batch.map((uid) => loadReadable(policy, candidates.get(uid)!)));
    pending = [];
    for (const entry of loaded) {
      if (!entry) continue;
      readable.set(entry.type.uid, entry);
      for (const field of entry.fields) pending.push(...linkedTypes(components, entry.type.attributes[field]));
    }
  }
  const canReach = (attribute: Attribute) => !isRelation(attribute) || readable.has(attribute.target as string);
  for (const entry of readable.values()) {
    entry.fields = new Set([...entry.fields].filter((field) => canReach(entry.type.attributes[field])));
  }

  // Strapi's leaf permissions, per component: a sub-field is readable only if every readable use of it allows it.
  const permittedComponentFields = new Map<string, Set<string>>();
  for (const entry of readable.values()) {
    for (const [uid, allowed] of (await policy.componentFields(entry.type, 'read')) ?? []) {
      const known = permittedComponentFields.get(uid);
      permittedComponentFields.set(uid, known ? new Set([...known].filter((name) => allowed.has(name))) : allowed);
    }
  }
  const componentFields = new Map<string, ReadonlySet<string>>();
  const componentAttributes = (uid: string) => components[uid]?.attributes ?? {};

  let mediaScope: Filter[];
  try {
    const tenantFiles = await tenantFileFilter(strapi, policy.mediaTenant());
    mediaScope = tenantFiles ? [tenantFiles] : [];
  } catch (error) {
    if (!(error instanceof PolicyRefusal)) throw error;
    mediaScope = [NO_MEDIA];
  }

  return {
    mediaScope,
    typeOf: (uid) => readable.get(uid),
    scope: (uid) => readable.get(uid)?.scope ?? [],
    attributes: (uid) => readable.get(uid)?.type.attributes ?? componentAttributes(uid),
    readable(uid) {
      const entry = readable.get(uid);
      if (entry) return entry.fields;
      if (!(uid in strapi.components)) return undefined;
      let fields = componentFields.get(uid);
      if (!fields) {
        fields = new Set(
          Object.entries(componentAttributes(uid))
            .filter(([name, attribute]) => isExposable(policy.policy, name, attribute) && canReach(attribute))
            .filter(([name]) => permittedComponentFields.get(uid)?.has(name) ?? true)
            .map(([name]) => name),
        );
        componentFields.set(uid, fields);
      }
      return fields;
    },
  };
};

import type { Core } from '@strapi/strapi';
import { PolicyRefusal } from '../../errors';
import type { Attribute, CallPolicy, Filter, TypePolicy } from '../../services/policy';
import { isExposable, isRelation } from '../../services/policy/fields';
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

/**
 * Everything the caller may read in this call, built once: each exposed type it may read, with its readable fields and
 * its read scope. Relations to types it may not read are removed from the readable fields, so they are never
 * filtered, sorted, populated or shown. Components expose their non-private attributes, narrowed by Strapi's field
 * permissions on their leaves (`seo.metaDescription`) wherever a readable type uses them.
 */
export const buildReadView = async (strapi: Core.Strapi, policy: CallPolicy): Promise<CallReadView> => {
  const readable = new Map<string, ReadableType>();
  for (const type of policy.typesFor('read')) {
    try {
      const reach = await policy.authorize(type, 'read');
      policy.requireTenantClaim(type);
      readable.set(type.uid, {
        type,
        fields: await policy.readable(type),
        scope: await policy.scopeFilters(type, 'read', reach),
      });
    } catch (error) {
      if (!(error instanceof PolicyRefusal)) throw error;
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
  const componentAttributes = (uid: string) =>
    ((strapi.components as unknown as Record<string, { attributes: Record<string, Attribute> }>)[uid]?.attributes ??
      {}) as Record<string, Attribute>;

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

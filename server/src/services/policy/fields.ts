import type { Attribute, CompiledPolicy, TypePolicy } from './compile-policy';
import { MEDIA_UID } from './compile-policy';

/** Always returned and never written by callers: Strapi manages them. */
export const META_FIELDS = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'locale'] as const;
const META = new Set<string>(META_FIELDS);
/** Generated relations that point into internal types (admin users) or other locales: never exposed. */
const HIDDEN_GENERATED = new Set(['createdBy', 'updatedBy', 'localizations']);

/** Whether an attribute can ever be shown over MCP, whatever the role. */
export const isExposable = (policy: CompiledPolicy, name: string, attribute: Attribute): boolean => {
  if (attribute.private === true || attribute.type === 'password' || HIDDEN_GENERATED.has(name)) return false;
  if (attribute.type === 'relation') {
    return typeof attribute.target === 'string' && policy.types.has(attribute.target);
  }
  if (attribute.type === 'media') return true;
  return true;
};

export const isMetaField = (name: string) => META.has(name);

/** Attributes this role may read on this type (meta fields such as timestamps are readable by everyone). */
export const readableFields = (policy: CompiledPolicy, type: TypePolicy, role: string): string[] =>
  Object.entries(type.attributes)
    .filter(([name, attribute]) => isExposable(policy, name, attribute))
    .filter(([name]) => isMetaField(name) || (type.fieldRules[name]?.read?.has(role) ?? true))
    .map(([name]) => name);

/** Attributes this role may write: readable ones that Strapi lets anyone write, minus the tenant field. */
export const writableFields = (policy: CompiledPolicy, type: TypePolicy, role: string): string[] =>
  readableFields(policy, type, role).filter((name) => {
    const attribute = type.attributes[name];
    if (isMetaField(name) || name === type.tenantField || attribute.writable === false) return false;
    if (attribute.type === 'relation' && attribute.relation?.startsWith('morph')) return false;
    return type.fieldRules[name]?.write?.has(role) ?? true;
  });

export const isRelation = (attribute: Attribute | undefined) => attribute?.type === 'relation';
export const isMedia = (attribute: Attribute | undefined) => attribute?.type === 'media';
export const isComponent = (attribute: Attribute | undefined) => attribute?.type === 'component';
export const isDynamicZone = (attribute: Attribute | undefined) => attribute?.type === 'dynamiczone';
/** Scalar: can be filtered, sorted and selected with `fields`. */
export const isScalar = (attribute: Attribute | undefined) =>
  attribute !== undefined &&
  !isRelation(attribute) &&
  !isMedia(attribute) &&
  !isComponent(attribute) &&
  !isDynamicZone(attribute);
export const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid']);
export const isToMany = (attribute: Attribute) =>
  attribute.type === 'media' ? attribute.multiple === true : /ToMany$|^manyWay$/.test(attribute.relation ?? '');
export { MEDIA_UID };

import type { Core, Struct } from '@strapi/strapi';
import type { Action, ConditionConfig, ContentTypePolicyConfig } from '../../config/policy-schema';
import type { PluginConfig } from '../../config/schema';
import { resolveExposedContentTypes } from './exposure';
import { ConfigurationError } from '../../config/config-problems';

export type Attribute = Record<string, unknown> & {
  type: string;
  private?: boolean;
  writable?: boolean;
  relation?: string;
  target?: string;
  component?: string;
  components?: string[];
  repeatable?: boolean;
  multiple?: boolean;
  enum?: string[];
};

/** The policy of one exposed content type, compiled once at boot. */
export interface TypePolicy {
  uid: string;
  schema: Struct.ContentTypeSchema;
  attributes: Record<string, Attribute>;
  isSingleType: boolean;
  hasDraftAndPublish: boolean;
  isLocalized: boolean;
  tenantField: string | null;
  fieldRules: Record<string, { read?: ReadonlySet<string>; write?: ReadonlySet<string> }>;
  conditions: ConditionConfig[];
  /** Per-role actions on this type, replacing the role's global actions. */
  actionOverrides: Record<string, ReadonlySet<Action | '*'>>;
}

export interface CompiledPolicy {
  roles: Record<string, ReadonlySet<Action | '*'>>;
  types: Map<string, TypePolicy>;
  /** Finds an exposed type by uid or singular name. */
  findType(reference: string): TypePolicy | undefined;
}

export const MEDIA_UID = 'plugin::upload.file';

const fail = (path: string[], message: string): never => {
  throw new ConfigurationError([{ path, message }]);
};

const checkRoles = (key: string[], roles: Iterable<string>, known: Record<string, unknown>) => {
  for (const role of roles) {
    if (!Object.hasOwn(known, role)) fail(key, `unknown role "${role}"; roles: ${Object.keys(known).join(', ')}`);
  }
};

const compileType = (
  reference: string,
  schema: Struct.ContentTypeSchema,
  settings: ContentTypePolicyConfig,
  config: PluginConfig,
): TypePolicy => {
  const attributes = schema.attributes as unknown as Record<string, Attribute>;
  const key = ['contentTypes', reference];

  for (const [field, rule] of Object.entries(settings.fields)) {
    const attribute = Object.hasOwn(attributes, field) ? attributes[field] : undefined;
    if (!attribute) return fail([...key, 'fields', field], 'no such attribute');
    if (attribute.private || attribute.type === 'password') {
      fail([...key, 'fields', field], 'private and password attributes are never exposed');
    }
    checkRoles([...key, 'fields', field], [...(rule.read ?? []), ...(rule.write ?? [])], config.roles);
  }
  settings.conditions.forEach((condition, index) => {
    const conditionKey = [...key, 'conditions', String(index)];
    if (!Object.hasOwn(attributes, condition.field))
      fail([...conditionKey, 'field'], `no attribute "${condition.field}"`);
    checkRoles(conditionKey, [...(condition.roles ?? []), ...(condition.exceptRoles ?? [])], config.roles);
  });
  checkRoles([...key, 'actions'], Object.keys(settings.actions ?? {}), config.roles);

  let tenantField: string | null = null;
  if (settings.tenantField === undefined) {
    tenantField = Object.hasOwn(attributes, config.tenantField) ? config.tenantField : null;
  } else if (settings.tenantField !== false) {
    if (!Object.hasOwn(attributes, settings.tenantField))
      fail([...key, 'tenantField'], `no attribute "${settings.tenantField}"`);
    tenantField = settings.tenantField;
  }
  if (tenantField && !['string', 'uid', 'enumeration', 'email'].includes(attributes[tenantField].type)) {
    fail([...key, 'tenantField'], `"${tenantField}" must be a string attribute`);
  }

  return {
    uid: schema.uid,
    schema,
    attributes,
    isSingleType: schema.kind === 'singleType',
    hasDraftAndPublish: schema.options?.draftAndPublish === true,
    isLocalized: (schema.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === true,
    tenantField,
    fieldRules: Object.fromEntries(
      Object.entries(settings.fields).map(([field, rule]) => [
        field,
        {
          read: rule.read ? new Set(rule.read) : undefined,
          write: rule.write ? new Set(rule.write) : undefined,
        },
      ]),
    ),
    conditions: settings.conditions,
    actionOverrides: Object.fromEntries(
      Object.entries(settings.actions ?? {}).map(([role, actions]) => [role, new Set(actions)]),
    ),
  };
};

/**
 * Strapi enforces `unique` and `uid` attributes across the whole table, so on a tenant-aware type a refused value tells
 * a caller that another tenant uses it. The plugin cannot scope that check; it says so at boot.
 */
const warnAboutGlobalUniqueness = (strapi: Core.Strapi, type: TypePolicy) => {
  if (!type.tenantField) return;
  const unique = Object.entries(type.attributes)
    .filter(([, attribute]) => attribute.type === 'uid' || attribute.unique === true)
    .map(([name]) => name);
  if (unique.length === 0) return;
  strapi.log.warn(
    `[mcp-server] ${type.uid} is tenant-aware but ${unique.join(', ')} must be unique across all tenants: a refused ` +
      'value reveals that another tenant uses it. Prefix such values with the tenant if that matters (docs/policy.md).',
  );
};

/**
 * Turns the policy configuration into lookup tables, checking it against the real schemas:
 * every field, role and tenant attribute named in the config must exist, or the boot stops naming the key.
 */
export const compilePolicy = (strapi: Core.Strapi, config: PluginConfig): CompiledPolicy => {
  checkRoles(['crossTenantRoles'], config.crossTenantRoles, config.roles);
  for (const [strapiRole, role] of Object.entries(config.strapiRoles)) {
    checkRoles(['strapiRoles', strapiRole], [role], config.roles);
  }
  for (const [email, role] of Object.entries(config.adminTokens.roles)) {
    checkRoles(['adminTokens', 'roles', email], [role], config.roles);
  }
  for (const [id, { adminTokenRole }] of Object.entries(config.access.users)) {
    if (adminTokenRole !== null) checkRoles(['access', 'users', id, 'adminTokenRole'], [adminTokenRole], config.roles);
  }

  const types = new Map<string, TypePolicy>();
  for (const { reference, uid, schema } of resolveExposedContentTypes(strapi, config.contentTypes)) {
    const type = compileType(reference, schema, config.contentTypes[reference], config);
    types.set(uid, type);
    warnAboutGlobalUniqueness(strapi, type);
  }

  const bySingularName = new Map([...types.values()].map((type) => [type.schema.info.singularName, type]));
  return {
    roles: Object.fromEntries(Object.entries(config.roles).map(([role, actions]) => [role, new Set(actions)])),
    types,
    findType: (reference) => types.get(reference) ?? bySingularName.get(reference),
  };
};

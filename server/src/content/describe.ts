import type { Attribute, TypePolicy } from '../services/policy';
import { isComponent, isMetaField } from '../services/policy/fields';
import { reachOf } from '../services/policy/roles';
import type { ReadScope } from './read-scope';

const ATTRIBUTE_FACTS = [
  'required',
  'unique',
  'enum',
  'relation',
  'target',
  'component',
  'components',
  'repeatable',
  'multiple',
  'allowedTypes',
  'minLength',
  'maxLength',
  'min',
  'max',
  'default',
] as const;

const describeAttribute = (attribute: Attribute) => {
  const described: Record<string, unknown> = { type: attribute.type };
  for (const key of ATTRIBUTE_FACTS) if (attribute[key] !== undefined) described[key] = attribute[key];
  return described;
};

const typeSummary = (type: TypePolicy) => ({
  uid: type.uid,
  singularName: type.schema.info.singularName,
  pluralName: type.schema.info.pluralName,
  displayName: type.schema.info.displayName,
  description: type.schema.info.description ?? null,
  kind: type.schema.kind,
  draftAndPublish: type.hasDraftAndPublish,
  localized: type.isLocalized,
  tenantAware: type.tenantField !== null,
});

/** What the caller may do with a type, and which of its fields it may read and write. */
export const describePermissions = async (scope: ReadScope, type: TypePolicy) => {
  const { policy } = scope;
  // What role, scopes and Strapi's RBAC together allow: never an action that a call would then be refused.
  const actions = await policy.allowedActions(type);
  const readable = await policy.readable(type);
  const operations = new Set(actions);
  const writable = new Set([
    ...(reachOf(operations, 'create') ? await policy.writable(type, 'create') : []),
    ...(reachOf(operations, 'update') ? await policy.writable(type, 'update') : []),
  ]);
  const view = await scope.view();
  // Relations to types the caller cannot read are not readable either.
  const reachable = view.readable(type.uid);
  const readableFields = [...readable].filter(
    (field) => reachable === undefined || reachable.has(field) || isMetaField(field),
  );
  return {
    actions,
    readableFields,
    writableFields: [...writable].filter((field) => readableFields.includes(field)),
  };
};

export const summarizeType = async (scope: ReadScope, type: TypePolicy) => ({
  ...typeSummary(type),
  ...(await describePermissions(scope, type)),
});

const installedLocales = async (scope: ReadScope) => {
  const service = scope.strapi.plugin('i18n').service('locales');
  const [locales, defaultLocale] = await Promise.all([service.find(), service.getDefaultLocale()]);
  return (locales as Array<{ code: string }>).map((locale) => ({
    code: locale.code,
    default: locale.code === defaultLocale,
  }));
};

/** The schema of a type as this caller sees it: readable fields only, each marked writable or not. */
export const describeType = async (scope: ReadScope, type: TypePolicy) => {
  const permissions = await describePermissions(scope, type);
  const writable = new Set(permissions.writableFields);
  const view = await scope.view();
  const fields: Record<string, unknown> = {};
  const components: Record<string, unknown> = {};
  for (const field of permissions.readableFields) {
    const attribute = type.attributes[field];
    fields[field] = { ...describeAttribute(attribute), readable: true, writable: writable.has(field) };
    if (isComponent(attribute)) {
      const component = scope.strapi.components[
        attribute.component as keyof typeof scope.strapi.components
      ] as unknown as {
        attributes: Record<string, Attribute>;
        info: { displayName: string };
      };
      components[attribute.component as string] = {
        displayName: component.info.displayName,
        fields: Object.fromEntries(
          Object.entries(component.attributes)
            .filter(([name]) => view.readable(attribute.component as string)?.has(name) ?? false)
            .map(([name, componentAttribute]) => [name, describeAttribute(componentAttribute)]),
        ),
      };
    }
  }
  const locales = type.isLocalized ? await installedLocales(scope) : undefined;
  return {
    ...typeSummary(type),
    ...(type.tenantField ? { tenantField: type.tenantField } : {}),
    ...(locales ? { locales } : {}),
    actions: permissions.actions,
    fields,
    components,
  };
};

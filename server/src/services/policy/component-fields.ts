import type { Core } from '@strapi/strapi';
import type { Attribute, CompiledPolicy, TypePolicy } from './compile-policy';
import { isExposable } from './fields';

type Components = Record<string, { attributes: Record<string, Attribute> }>;
const MAX_COMPONENT_DEPTH = 4;

/**
 * Strapi's field permissions name component fields by their leaves (`seo.metaTitle`), never by the component: the
 * permission paths under one attribute of a type (itself when it is not a component).
 */
export const permissionPaths = (strapi: Core.Strapi, type: TypePolicy, field: string): string[] => {
  const components = strapi.components as unknown as Components;
  const leaves = (componentUid: string, prefix: string, depth: number): string[] =>
    Object.entries(components[componentUid]?.attributes ?? {}).flatMap(([name, attribute]) =>
      attribute.type === 'component' && depth < MAX_COMPONENT_DEPTH
        ? leaves(attribute.component as string, `${prefix}.${name}`, depth + 1)
        : [`${prefix}.${name}`],
    );
  const attribute = type.attributes[field];
  return attribute?.type === 'component' ? leaves(attribute.component as string, field, 1) : [field];
};

/**
 * For each component a type uses (through the given fields, at any depth), the sub-fields a permission check allows.
 * A component used at several places gets what is allowed at every one of them.
 */
export const allowedComponentFields = async (
  strapi: Core.Strapi,
  policy: CompiledPolicy,
  type: TypePolicy,
  fields: Iterable<string>,
  allows: (path: string) => Promise<boolean>,
): Promise<Map<string, Set<string>>> => {
  const components = strapi.components as unknown as Components;
  const result = new Map<string, Set<string>>();
  const anyAllowed = async (paths: string[]) => (await Promise.all(paths.map(allows))).some(Boolean);
  const leavesUnder = (attribute: Attribute, path: string, depth: number): string[] =>
    attribute.type === 'component' && depth < MAX_COMPONENT_DEPTH
      ? Object.entries(components[attribute.component as string]?.attributes ?? {}).flatMap(([name, sub]) =>
          leavesUnder(sub, `${path}.${name}`, depth + 1),
        )
      : [path];

  const visit = async (componentUid: string, prefix: string, depth: number) => {
    const allowed = new Set<string>();
    for (const [name, attribute] of Object.entries(components[componentUid]?.attributes ?? {})) {
      if (!isExposable(policy, name, attribute)) continue;
      const path = `${prefix}.${name}`;
      if (await anyAllowed(leavesUnder(attribute, path, depth))) allowed.add(name);
      if (attribute.type === 'component' && depth < MAX_COMPONENT_DEPTH) {
        await visit(attribute.component as string, path, depth + 1);
      }
    }
    const known = result.get(componentUid);
    result.set(componentUid, known ? new Set([...known].filter((name) => allowed.has(name))) : allowed);
  };

  for (const field of fields) {
    const attribute = type.attributes[field];
    if (attribute?.type === 'component') await visit(attribute.component as string, field, 1);
  }
  return result;
};

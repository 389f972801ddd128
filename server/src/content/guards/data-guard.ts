import { McpToolError, PolicyRefusal } from '../../errors';
import type { TypePolicy } from '../../services/policy';
import { isComponent, isDynamicZone, isRelation, isToMany } from '../../services/policy/fields';
import { type CommonArgs, type ContentCall, type Doc, typeOf } from '../pipeline/content-call';
import { checkWriteData, type CheckedInput } from './input-guard';

/**
 * The `data` of a create or update, checked against the fields the caller may write (on the stored document, for an
 * update), with the tenant set by the plugin, component entries confined to the document, and replacements of
 * to-many relations limited to the links the caller can see.
 */
export const checkData = async (
  call: ContentCall<CommonArgs & { data?: unknown }>,
  operation: 'create' | 'update',
): Promise<CheckedInput> => {
  const { policy } = call;
  const type = typeOf(call);
  const stored = call.target;
  const view = await call.view();
  // A relation to a type the caller cannot read (another tenant's, without a tenant claim) is not writable either.
  const writable = (await policy.writable(type, operation, stored)).filter(
    (field) => !isRelation(type.attributes[field]) || view.typeOf(type.attributes[field].target as string),
  );
  const checked = checkWriteData(call.args.data, type, {
    writable,
    role: policy.role ?? 'none',
    onForbiddenField: call.config.onForbiddenField,
    view,
    policy: policy.policy,
    componentWritable: await policy.componentFields(type, operation, stored),
    sizes: call.config.limits,
  });
  checkComponentEntries(call, type, checked, stored);
  checkPositions(checked, stored);
  if (operation === 'create') {
    setTenant(call, type, checked);
  } else {
    if (type.tenantField && checked.tenantValue !== undefined && checked.tenantValue !== stored![type.tenantField]) {
      throw new PolicyRefusal(`${type.tenantField} cannot be changed: a document stays in its tenant`);
    }
    await limitRelationReplacements(call, type, stored!, checked);
  }
  return checked;
};

/** A create stamps the caller's tenant; a role that works across tenants names it. */
const setTenant = (call: ContentCall<CommonArgs>, type: TypePolicy, checked: CheckedInput) => {
  if (!type.tenantField) return;
  const tenant = call.policy.caller.tenant;
  if (tenant) {
    if (checked.tenantValue !== undefined && checked.tenantValue !== tenant) {
      throw new PolicyRefusal(
        `${type.tenantField} must be your tenant (${tenant}); you cannot create documents for another tenant`,
      );
    }
    checked.data[type.tenantField] = tenant;
  } else {
    if (typeof checked.tenantValue !== 'string' || checked.tenantValue === '') {
      throw new McpToolError(`${type.tenantField} is required: your role works across tenants, so name the tenant`);
    }
    checked.data[type.tenantField] = checked.tenantValue;
  }
};

/** Every component entry id in a stored document, by component uid, at any depth. */
const componentEntryIds = (
  type: TypePolicy,
  stored: Doc | undefined,
  components: Record<string, { attributes: Record<string, unknown> }>,
) => {
  const ids = new Map<string, Set<number>>();
  const visit = (uid: string, entry: unknown) => {
    if (!entry || typeof entry !== 'object') return;
    const { id } = entry as Doc;
    if (typeof id === 'number') ids.set(uid, (ids.get(uid) ?? new Set<number>()).add(id));
    walk(components[uid]?.attributes ?? {}, entry as Doc);
  };
  const walk = (attributes: Record<string, unknown>, document: Doc) => {
    for (const [name, attribute] of Object.entries(attributes) as Array<[string, TypePolicy['attributes'][string]]>) {
      const value = document[name];
      if (isComponent(attribute)) {
        for (const entry of Array.isArray(value) ? value : [value]) visit(attribute.component as string, entry);
      } else if (isDynamicZone(attribute) && Array.isArray(value)) {
        for (const entry of value) visit((entry as Doc)?.__component as string, entry);
      }
    }
  };
  if (stored) walk(type.attributes, stored);
  return ids;
};

/**
 * Strapi updates a component entry named by `id` wherever it belongs, and links it to the document written: an id of
 * another document's entry would change (and take over) that document's data. Only the document's own entries may be
 * named; a new document has none.
 */
const checkComponentEntries = (
  call: ContentCall<CommonArgs>,
  type: TypePolicy,
  checked: CheckedInput,
  stored: Doc | undefined,
) => {
  if (checked.componentIds.size === 0) return;
  if (!stored) throw new McpToolError('a new document has no component entries to update: leave id out of components');
  const own = componentEntryIds(type, stored, call.strapi.components as never);
  for (const [uid, ids] of checked.componentIds) {
    const foreign = [...ids].filter((id) => !own.get(uid)?.has(id));
    if (foreign.length > 0) {
      throw new PolicyRefusal(
        `component entry ${foreign.join(', ')} is not part of this document; leave id out to add an entry`,
      );
    }
  }
};

/**
 * A position names a neighbour among the links of the document written: one it holds now (visible to the caller), or
 * one this write connects. Anything else Strapi would refuse with an error naming row ids, or crash on.
 */
const checkPositions = (checked: CheckedInput, stored: Doc | undefined) => {
  for (const change of checked.relationChanges) {
    const linked = new Set([
      ...documentIdsOf(stored?.[change.field]),
      ...change.connect,
      ...(change.replaceWith ?? []),
    ]);
    for (const { documentId, neighbour, at } of change.positions) {
      if (neighbour === documentId) throw new McpToolError(`${at}: a document cannot be placed next to itself`);
      if (!linked.has(neighbour)) {
        throw new McpToolError(
          `${at}: ${neighbour} is not linked through ${change.field}; place it next to a linked document`,
        );
      }
    }
  }
};

const documentIdsOf = (links: unknown): string[] =>
  (Array.isArray(links) ? links : links ? [links] : []).map((link) => (link as Doc).documentId as string);

/**
 * Replacing a to-many relation (`set`, a plain list, `null`) would also drop the links the caller cannot see, such as
 * another tenant's articles in a shared category. Such replacements become connect/disconnect against the links the
 * caller can see (the stored document was loaded in scope), leaving the others alone.
 */
const limitRelationReplacements = async (
  call: ContentCall<CommonArgs>,
  type: TypePolicy,
  stored: Doc,
  checked: CheckedInput,
) => {
  const view = await call.view();
  for (const change of checked.relationChanges) {
    const attribute = type.attributes[change.field];
    if (!change.replaceWith || !isRelation(attribute) || !isToMany(attribute)) continue;
    if (view.scope(change.target).length === 0) continue;
    const wanted = change.replaceWith;
    const visible = [...new Set(documentIdsOf(stored[change.field]))];
    change.connect = wanted.filter((id) => !visible.includes(id));
    change.disconnect = visible.filter((id) => !wanted.includes(id));
    change.replaceWith = undefined;
    checked.data[change.field] = { disconnect: change.disconnect, connect: change.connect };
  }
};

/** A new document as it would be stored, for Strapi's create conditions (locale, "is creator"...). */
export const describeAsStored = async (call: ContentCall<CommonArgs>, data: Doc): Promise<Doc> => {
  const type = typeOf(call);
  const locale = type.isLocalized
    ? (call.locale ?? ((await call.strapi.plugin('i18n').service('locales').getDefaultLocale()) as string))
    : undefined;
  const { adminUser } = call.policy.caller;
  return {
    ...data,
    ...(locale ? { locale } : {}),
    createdBy: { id: adminUser.id, roles: adminUser.roles },
  };
};

export { documentIdsOf };

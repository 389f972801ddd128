import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import type { Attribute, CompiledPolicy, TypePolicy } from '../services/policy';
import { isComponent, isDynamicZone, isExposable, isMedia, isRelation, isToMany } from '../services/policy/fields';
import type { CallReadView } from './read-view';

type Doc = Record<string, unknown>;

/** Keys Strapi manages; a client-sent `id`, `documentId` or timestamp would otherwise be stored as given. */
const MANAGED_KEYS = new Set([
  'id',
  'documentId',
  'createdAt',
  'updatedAt',
  'publishedAt',
  'createdBy',
  'updatedBy',
  'locale',
  'localizations',
]);
const RELATION_OPERATIONS = new Set(['connect', 'disconnect', 'set']);

export interface CheckedInput {
  data: Doc;
  /** Fields removed under `onForbiddenField: 'strip'`. */
  dropped: string[];
  /** The tenant value the caller sent, if any (checked by the caller of this function). */
  tenantValue?: unknown;
  /** documentIds each relation connects or sets, by target type: each must be readable by the caller. */
  relationTargets: Map<string, Set<string>>;
  mediaIds: Set<number>;
}

const isPlainObject = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const documentIdOf = (item: unknown, at: string): string => {
  if (typeof item === 'string' && item.length > 0) return item;
  if (isPlainObject(item) && typeof item.documentId === 'string') {
    const extra = Object.keys(item).filter((key) => !['documentId', 'locale', 'position'].includes(key));
    if (extra.length === 0) return item.documentId;
  }
  throw new McpToolError(`${at}: relations take documentIds (a string, or { documentId, locale? })`);
};

const collectRelation = (value: unknown, attribute: Attribute, at: string, targets: Map<string, Set<string>>) => {
  const target = attribute.target as string;
  const add = (item: unknown, where: string) => {
    const id = documentIdOf(item, where);
    if (!targets.has(target)) targets.set(target, new Set());
    targets.get(target)!.add(id);
  };
  if (value === null) return;
  if (Array.isArray(value)) {
    if (!isToMany(attribute)) throw new McpToolError(`${at}: a to-one relation takes one documentId, not a list`);
    value.forEach((item, index) => add(item, `${at}[${index}]`));
    return;
  }
  if (isPlainObject(value) && Object.keys(value).some((key) => RELATION_OPERATIONS.has(key))) {
    for (const [operation, items] of Object.entries(value)) {
      if (!RELATION_OPERATIONS.has(operation))
        throw new McpToolError(`${at}: unknown relation operation ${operation}; use connect, disconnect or set`);
      if (!Array.isArray(items)) throw new McpToolError(`${at}.${operation}: expected a list of documentIds`);
      // Disconnect targets too must be visible: on a shared document (a category) a link may belong to another tenant.
      items.forEach((item, index) => add(item, `${at}.${operation}[${index}]`));
    }
    return;
  }
  add(value, at);
};

const collectMedia = (value: unknown, attribute: Attribute, at: string, ids: Set<number>) => {
  if (value === null) return;
  const list = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && attribute.multiple !== true) throw new McpToolError(`${at}: takes one media file id`);
  for (const item of list) {
    const id = isPlainObject(item) ? item.id : item;
    if (typeof id !== 'number' || !Number.isInteger(id))
      throw new McpToolError(`${at}: media takes file ids (numbers) from list_media or upload_media`);
    ids.add(id);
  }
};

/**
 * Checks the `data` of a create or update against what the caller may write. Refused outright: keys Strapi manages
 * (`id`, `documentId`, timestamps, `createdBy`...), unknown keys, private attributes, relations given by numeric id.
 * Fields the role may not write are refused with the list of writable ones (`onForbiddenField: 'reject'`) or dropped
 * and reported (`'strip'`). Components are checked recursively against their own attributes.
 */
export const checkWriteData = (
  input: unknown,
  type: TypePolicy,
  options: {
    writable: string[];
    role: string;
    onForbiddenField: 'reject' | 'strip';
    view: CallReadView;
    policy: CompiledPolicy;
    /** Component sub-fields Strapi's field permissions let the caller write, by component uid. */
    componentWritable?: Map<string, Set<string>>;
  },
): CheckedInput => {
  if (!isPlainObject(input)) throw new McpToolError('data must be an object of field values');
  const checked: CheckedInput = { data: {}, dropped: [], relationTargets: new Map(), mediaIds: new Set() };
  const writable = new Set(options.writable);
  const forbidden: string[] = [];

  const checkValue = (attribute: Attribute, value: unknown, at: string) => {
    if (isRelation(attribute)) collectRelation(value, attribute, at, checked.relationTargets);
    else if (isMedia(attribute)) collectMedia(value, attribute, at, checked.mediaIds);
    else if (isComponent(attribute)) {
      if (value === null) return;
      const entries = attribute.repeatable ? value : [value];
      if (!Array.isArray(entries)) throw new McpToolError(`${at}: a repeatable component takes a list`);
      entries.forEach((entry, index) =>
        checkComponent(attribute.component as string, entry, attribute.repeatable ? `${at}[${index}]` : at),
      );
    } else if (isDynamicZone(attribute)) {
      if (!Array.isArray(value)) throw new McpToolError(`${at}: a dynamic zone takes a list of components`);
      value.forEach((entry, index) => {
        const component = isPlainObject(entry) ? entry.__component : undefined;
        if (typeof component !== 'string' || !attribute.components?.includes(component)) {
          throw new McpToolError(`${at}[${index}]: __component must be one of ${attribute.components?.join(', ')}`);
        }
        checkComponent(component, entry, `${at}[${index}]`, ['__component']);
      });
    }
  };

  const checkComponent = (uid: string, entry: unknown, at: string, extraKeys: string[] = []) => {
    if (!isPlainObject(entry)) throw new McpToolError(`${at}: expected an object`);
    const readable = options.view.readable(uid) ?? new Set<string>();
    const permitted = options.componentWritable?.get(uid);
    const fields = permitted ? new Set([...readable].filter((name) => permitted.has(name))) : readable;
    const attributes = options.view.attributes(uid);
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'id' || extraKeys.includes(key)) continue;
      if (!fields.has(key))
        throw new McpToolError(`${at}.${key}: unknown field; fields: ${[...fields].sort().join(', ')}`);
      checkValue(attributes[key], value, `${at}.${key}`);
    }
  };

  for (const [key, value] of Object.entries(input)) {
    if (MANAGED_KEYS.has(key)) {
      throw new McpToolError(`data.${key}: ${key} is managed by Strapi and cannot be written`);
    }
    if (key === type.tenantField) {
      checked.tenantValue = value;
      continue;
    }
    const attribute = type.attributes[key];
    // Private and internal attributes do not exist for MCP: "unknown", never "forbidden", which would confirm them.
    if (!attribute || !isExposable(options.policy, key, attribute)) {
      throw new McpToolError(`data.${key}: unknown field; writable fields: ${options.writable.join(', ')}`);
    }
    if (!writable.has(key)) {
      forbidden.push(key);
      continue;
    }
    checkValue(attribute, value, `data.${key}`);
    checked.data[key] = value;
  }

  if (forbidden.length > 0) {
    if (options.onForbiddenField === 'strip') {
      checked.dropped = forbidden;
    } else {
      const noun = forbidden.length === 1 ? `field ${forbidden[0]} is` : `fields ${forbidden.join(', ')} are`;
      throw new PolicyRefusal(
        `${noun} not writable for role ${options.role}; writable: ${options.writable.join(', ')}`,
        {
          refused: forbidden,
          writable: options.writable,
        },
      );
    }
  }
  return checked;
};

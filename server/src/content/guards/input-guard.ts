import { echo, McpToolError, PolicyRefusal } from '../../errors';
import type { Attribute, CompiledPolicy, TypePolicy } from '../../services/policy';
import { isComponent, isDynamicZone, isExposable, isMedia, isRelation, isToMany } from '../../services/policy/fields';
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
const POSITION_KEYS = new Set(['before', 'after', 'start', 'end', 'locale']);
const DOCUMENT_ID = /^[\w-]{1,64}$/;
const LOCALE = /^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/;
/** Relation items (and position neighbours) one write may name, over all its fields, repeats included. */
const MAX_RELATION_ITEMS = 500;

/** What a write does to one relation field of the document itself (not inside components). */
export interface RelationChange {
  field: string;
  target: string;
  connect: string[];
  disconnect: string[];
  /** A replacement (`set`, a plain value or list, `null`): the links the field should hold afterwards. */
  replaceWith?: string[];
  /** Items placed before or after another document, which must be linked to the document written. */
  positions: Array<{ documentId: string; neighbour: string; at: string }>;
}

export interface CheckedInput {
  /** The data to write: media values normalized to file ids. */
  data: Doc;
  /** Fields removed under `onForbiddenField: 'strip'`. */
  dropped: string[];
  /** The tenant value the caller sent, if any (checked by the caller of this function). */
  tenantValue?: unknown;
  /**
   * documentIds each relation names (connected, disconnected, set, or a position's neighbour), by target type: each
   * must be a document the caller may read.
   */
  relationTargets: Map<string, Set<string>>;
  relationChanges: RelationChange[];
  mediaIds: Set<number>;
  /**
   * Component entries the data names by `id`, by component uid. Strapi updates such an entry by id alone, wherever it
   * belongs: each must be an entry of the document being written.
   */
  componentIds: Map<string, Set<number>>;
}

const isPlainObject = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const readDocumentId = (value: unknown, at: string): string => {
  if (typeof value === 'string' && DOCUMENT_ID.test(value)) return value;
  throw new McpToolError(`${at}: a documentId is 1-64 letters, digits, - or _`);
};

const readLocale = (value: unknown, at: string) => {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string' || !LOCALE.test(value)) throw new McpToolError(`${at}: not a locale code`);
};

/** `{ before | after: documentId }`, `{ start: true }` or `{ end: true }`, optionally with a locale; returns the neighbour. */
const readPosition = (value: unknown, at: string): string | undefined => {
  if (!isPlainObject(value))
    throw new McpToolError(`${at}: expected { before }, { after }, { start: true } or { end: true }`);
  const unknown = Object.keys(value).filter((key) => !POSITION_KEYS.has(key));
  if (unknown.length > 0)
    throw new McpToolError(`${at}: unknown key ${echo(unknown[0])}; use before, after, start or end`);
  const places = ['before', 'after', 'start', 'end'].filter((key) => value[key] !== undefined);
  if (places.length !== 1) throw new McpToolError(`${at}: name exactly one of before, after, start, end`);
  readLocale(value.locale, `${at}.locale`);
  const [place] = places;
  if (place === 'start' || place === 'end') {
    if (value[place] !== true) throw new McpToolError(`${at}.${place}: expected true`);
    return undefined;
  }
  return readDocumentId(value[place], `${at}.${place}`);
};

/** A relation item: a documentId, or `{ documentId, locale?, position? }`; returns it and a position's neighbour. */
const readRelationItem = (item: unknown, at: string): { documentId: string; neighbour?: string } => {
  if (typeof item === 'string') return { documentId: readDocumentId(item, at) };
  if (!isPlainObject(item))
    throw new McpToolError(`${at}: relations take documentIds (a string, or { documentId, locale? })`);
  const unknown = Object.keys(item).filter((key) => !['documentId', 'locale', 'position'].includes(key));
  if (unknown.length > 0) {
    throw new McpToolError(
      `${at}: unknown key ${echo(unknown[0])}; a relation item is { documentId, locale?, position? }`,
    );
  }
  readLocale(item.locale, `${at}.locale`);
  return {
    documentId: readDocumentId(item.documentId, `${at}.documentId`),
    neighbour: item.position === undefined ? undefined : readPosition(item.position, `${at}.position`),
  };
};

/** Reads one relation value, records every document it names, and returns what it does to the field. */
const collectRelation = (
  value: unknown,
  attribute: Attribute,
  at: string,
  targets: Map<string, Set<string>>,
  items: { count: number },
): Omit<RelationChange, 'field'> => {
  const target = attribute.target as string;
  const change: Omit<RelationChange, 'field'> = { target, connect: [], disconnect: [], positions: [] };
  const named = targets.get(target) ?? new Set<string>();
  targets.set(target, named);
  const count = (where: string) => {
    items.count += 1;
    if (items.count > MAX_RELATION_ITEMS) {
      throw new McpToolError(`${where}: one write may name at most ${MAX_RELATION_ITEMS} related documents`);
    }
  };
  const read = (item: unknown, where: string) => {
    count(where);
    const { documentId, neighbour } = readRelationItem(item, where);
    named.add(documentId);
    if (neighbour) {
      count(where);
      named.add(neighbour);
      change.positions.push({ documentId, neighbour, at: `${where}.position` });
    }
    return documentId;
  };
  if (value === null) {
    change.replaceWith = [];
  } else if (Array.isArray(value)) {
    if (!isToMany(attribute)) throw new McpToolError(`${at}: a to-one relation takes one documentId, not a list`);
    change.replaceWith = value.map((item, index) => read(item, `${at}[${index}]`));
  } else if (isPlainObject(value) && Object.keys(value).some((key) => RELATION_OPERATIONS.has(key))) {
    for (const [operation, items] of Object.entries(value)) {
      if (!RELATION_OPERATIONS.has(operation)) {
        throw new McpToolError(`${at}: unknown relation operation ${echo(operation)}; use connect, disconnect or set`);
      }
      if (!Array.isArray(items)) throw new McpToolError(`${at}.${operation}: expected a list of documentIds`);
      // Disconnect targets too must be visible: on a shared document (a category) a link may belong to another tenant.
      const ids = items.map((item, index) => read(item, `${at}.${operation}[${index}]`));
      if (operation === 'set') change.replaceWith = ids;
      else change[operation as 'connect' | 'disconnect'].push(...ids);
    }
    if (change.replaceWith && (change.connect.length > 0 || change.disconnect.length > 0)) {
      throw new McpToolError(`${at}: set cannot be combined with connect or disconnect`);
    }
    if (!isToMany(attribute) && (change.connect.length > 1 || (change.replaceWith?.length ?? 0) > 1)) {
      throw new McpToolError(`${at}: a to-one relation links one document`);
    }
  } else {
    change.replaceWith = [read(value, at)];
  }
  return change;
};

/** Media values are file ids: a number, or `{ id }` and nothing else; written as the bare ids that were checked. */
const collectMedia = (value: unknown, attribute: Attribute, at: string, ids: Set<number>): unknown => {
  if (value === null) return null;
  if (Array.isArray(value) && attribute.multiple !== true) throw new McpToolError(`${at}: takes one media file id`);
  const readId = (item: unknown, where: string): number => {
    const id = isPlainObject(item) && Object.keys(item).length === 1 ? item.id : item;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
      throw new McpToolError(`${where}: media takes file ids (numbers, or { id }) from list_media or upload_media`);
    }
    ids.add(id);
    return id;
  };
  return Array.isArray(value) ? value.map((item, index) => readId(item, `${at}[${index}]`)) : readId(value, at);
};

export interface ValueSizeLimits {
  maxTextLength: number;
  maxJsonBytes: number;
}

/** Column types that hold one line of text: varchar(255) in PostgreSQL, unless the schema says less. */
const SHORT_TEXT_TYPES = new Set(['string', 'uid', 'email', 'password', 'enumeration']);
const SHORT_TEXT_LENGTH = 255;
const LONG_TEXT_TYPES = new Set(['text', 'richtext']);
const STRUCTURED_TYPES = new Set(['blocks', 'json']);

/**
 * Values are bounded as they are written: every stored value is scanned by later reads (a filter, a search), so its
 * size bounds what one read costs. Short text follows its column (255 characters, or the schema's `maxLength`), long
 * text `limits.maxTextLength`, blocks and JSON `limits.maxJsonBytes`.
 */
const checkValueSize = (attribute: Attribute, value: unknown, at: string, sizes: ValueSizeLimits) => {
  const maxLength = typeof attribute.maxLength === 'number' ? attribute.maxLength : undefined;
  if (typeof value === 'string' && SHORT_TEXT_TYPES.has(attribute.type)) {
    const limit = Math.min(maxLength ?? SHORT_TEXT_LENGTH, SHORT_TEXT_LENGTH);
    if (value.length > limit) throw new McpToolError(`${at}: at most ${limit} characters (${value.length} sent)`);
  } else if (typeof value === 'string' && LONG_TEXT_TYPES.has(attribute.type)) {
    const limit = Math.min(maxLength ?? sizes.maxTextLength, sizes.maxTextLength);
    if (value.length > limit) throw new McpToolError(`${at}: at most ${limit} characters (${value.length} sent)`);
  } else if (value !== null && value !== undefined && STRUCTURED_TYPES.has(attribute.type)) {
    const bytes = Buffer.byteLength(JSON.stringify(value) ?? '');
    if (bytes > sizes.maxJsonBytes) {
      throw new McpToolError(`${at}: at most ${sizes.maxJsonBytes} bytes of JSON (${bytes} sent)`);
    }
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
    /** How large a text or structured value may be. */
    sizes: ValueSizeLimits;
  },
): CheckedInput => {
  if (!isPlainObject(input)) throw new McpToolError('data must be an object of field values');
  const checked: CheckedInput = {
    data: {},
    dropped: [],
    relationTargets: new Map(),
    relationChanges: [],
    mediaIds: new Set(),
    componentIds: new Map(),
  };
  const writable = new Set(options.writable);
  const forbidden: string[] = [];
  /** Relation items named so far, over every field and component: each costs a lookup. */
  const relationItems = { count: 0 };

  /** Checks a value; returns the value to write (media normalized to ids, components rebuilt from checked keys). */
  const checkValue = (attribute: Attribute, value: unknown, at: string): unknown => {
    if (isRelation(attribute)) {
      collectRelation(value, attribute, at, checked.relationTargets, relationItems);
      return value;
    }
    if (isMedia(attribute)) return collectMedia(value, attribute, at, checked.mediaIds);
    checkValueSize(attribute, value, at, options.sizes);
    if (isComponent(attribute)) {
      if (value === null) return value;
      if (!attribute.repeatable) return checkComponent(attribute.component as string, value, at);
      if (!Array.isArray(value)) throw new McpToolError(`${at}: a repeatable component takes a list`);
      return value.map((entry, index) => checkComponent(attribute.component as string, entry, `${at}[${index}]`));
    }
    if (isDynamicZone(attribute)) {
      if (!Array.isArray(value)) throw new McpToolError(`${at}: a dynamic zone takes a list of components`);
      return value.map((entry, index) => {
        const component = isPlainObject(entry) ? entry.__component : undefined;
        if (typeof component !== 'string' || !attribute.components?.includes(component)) {
          throw new McpToolError(`${at}[${index}]: __component must be one of ${attribute.components?.join(', ')}`);
        }
        return checkComponent(component, entry, `${at}[${index}]`, ['__component']);
      });
    }
    return value;
  };

  const checkComponent = (uid: string, entry: unknown, at: string, extraKeys: string[] = []): Doc => {
    if (!isPlainObject(entry)) throw new McpToolError(`${at}: expected an object`);
    const readable = options.view.readable(uid) ?? new Set<string>();
    const permitted = options.componentWritable?.get(uid);
    const fields = permitted ? new Set([...readable].filter((name) => permitted.has(name))) : readable;
    const attributes = options.view.attributes(uid);
    const written: Doc = {};
    for (const [key, value] of Object.entries(entry)) {
      if (key === 'id') {
        if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
          throw new McpToolError(`${at}.id: a component entry id is a positive integer`);
        }
        const ids = checked.componentIds.get(uid) ?? new Set<number>();
        checked.componentIds.set(uid, ids.add(value));
        written.id = value;
        continue;
      }
      if (extraKeys.includes(key)) {
        written[key] = value;
        continue;
      }
      if (!fields.has(key)) {
        throw new McpToolError(`${at}.${echo(key)}: unknown field; fields: ${[...fields].sort().join(', ')}`);
      }
      written[key] = checkValue(attributes[key], value, `${at}.${key}`);
    }
    return written;
  };

  for (const [key, value] of Object.entries(input)) {
    if (MANAGED_KEYS.has(key)) {
      throw new McpToolError(`data.${key}: ${key} is managed by Strapi and cannot be written`);
    }
    if (key === type.tenantField) {
      checked.tenantValue = value;
      continue;
    }
    const attribute = Object.hasOwn(type.attributes, key) ? type.attributes[key] : undefined;
    // Private and internal attributes do not exist for MCP: "unknown", never "forbidden", which would confirm them.
    if (!attribute || !isExposable(options.policy, key, attribute)) {
      throw new McpToolError(`data.${echo(key)}: unknown field; writable fields: ${options.writable.join(', ')}`);
    }
    if (!writable.has(key)) {
      forbidden.push(key);
      continue;
    }
    if (isRelation(attribute)) {
      const change = collectRelation(value, attribute, `data.${key}`, checked.relationTargets, relationItems);
      checked.relationChanges.push({ field: key, ...change });
      checked.data[key] = value;
      continue;
    }
    checked.data[key] = checkValue(attribute, value, `data.${key}`);
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

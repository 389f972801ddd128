import { isComponent, isDynamicZone, isMedia, isRelation, isToMany } from '../../services/policy/fields';
import { MEDIA_FIELDS, type PopulatePlan } from './populate';
import type { CallReadView } from './read-view';

type Doc = Record<string, unknown>;
const SHOWN_META = ['documentId', 'createdAt', 'updatedAt', 'publishedAt'];

const pick = (value: unknown, keys: string[]) =>
  value && typeof value === 'object'
    ? Object.fromEntries(keys.filter((key) => key in (value as Doc)).map((key) => [key, (value as Doc)[key]]))
    : null;

const uniqueByDocumentId = (items: unknown[]) => {
  const seen = new Set<unknown>();
  return items.filter((item) => {
    const id = item && typeof item === 'object' ? (item as Doc).documentId : item;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
};

/**
 * The one output chokepoint: a document as the caller may see it. Only readable fields survive; relations come back as
 * full documents when populated on request, or as `{ documentId }` references otherwise (never as a silent `[]`);
 * media shows its public fields only; components are shaped recursively. Private fields, admin users and anything the
 * caller may not read never reach the model, whatever the query returned.
 */
export const shapeDocument = (view: CallReadView, uid: string, document: Doc, plan?: PopulatePlan): Doc => {
  const readable = view.readable(uid) ?? new Set<string>();
  const attributes = view.attributes(uid);
  const shaped: Doc = {};
  const isContentType = view.typeOf(uid) !== undefined;
  if (isContentType) {
    for (const key of SHOWN_META) if (key in document) shaped[key] = document[key];
    if (view.typeOf(uid)!.type.isLocalized && 'locale' in document) shaped.locale = document.locale;
  } else if ('id' in document) {
    shaped.id = document.id; // component entries are updated by id
  }
  for (const field of readable) {
    if (!(field in document) || SHOWN_META.includes(field) || field === 'locale') continue;
    const attribute = attributes[field];
    const value = document[field];
    if (isRelation(attribute)) {
      const nested = plan?.expanded[field];
      const shapeOne = (item: unknown) =>
        item && typeof item === 'object'
          ? nested
            ? shapeDocument(view, attribute.target as string, item as Doc, nested)
            : { documentId: (item as Doc).documentId }
          : null;
      // A link to a draft & publish type may come back once per version: one entry per document.
      shaped[field] = Array.isArray(value)
        ? uniqueByDocumentId(value).map(shapeOne)
        : isToMany(attribute)
          ? []
          : shapeOne(value);
    } else if (isMedia(attribute)) {
      shaped[field] = Array.isArray(value)
        ? value.map((file) => pick(file, ['id', ...MEDIA_FIELDS]))
        : pick(value, ['id', ...MEDIA_FIELDS]);
    } else if (isComponent(attribute)) {
      const nested = plan?.expanded[field];
      const shapeEntry = (entry: unknown) =>
        entry && typeof entry === 'object'
          ? shapeDocument(view, attribute.component as string, entry as Doc, nested)
          : null;
      shaped[field] = Array.isArray(value) ? value.map(shapeEntry) : shapeEntry(value);
    } else if (isDynamicZone(attribute)) {
      shaped[field] = Array.isArray(value)
        ? value.map((entry) =>
            entry && typeof entry === 'object'
              ? {
                  __component: (entry as Doc).__component,
                  ...shapeDocument(view, (entry as Doc).__component as string, entry as Doc),
                }
              : null,
          )
        : [];
    } else {
      shaped[field] = value;
    }
  }
  return shaped;
};

/**
 * Cuts a list at whole documents so that its JSON stays under `maxBytes`; the first document is always kept whole only
 * if it fits, so a single oversized document yields an empty, truncated page rather than a broken one.
 */
export const fitToBudget = <T>(
  items: T[],
  maxBytes: number,
  overheadBytes = 256,
): { items: T[]; truncated: boolean } => {
  let used = overheadBytes;
  const kept: T[] = [];
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (used + size > maxBytes) return { items: kept, truncated: true };
    used += size;
    kept.push(item);
  }
  return { items: kept, truncated: false };
};

import { echo, PolicyRefusal } from '../../errors';
import { isComponent, isDynamicZone, isMedia, isRelation, isScalar, isToMany } from '../../services/policy/fields';
import { and } from '../filters';
import type { QueryGuard } from './query-guard';
import type { CallReadView } from './read-view';

/** The media fields shown to agents; never provider metadata or storage internals. */
export const MEDIA_FIELDS = ['name', 'alternativeText', 'caption', 'width', 'height', 'mime', 'size', 'url', 'ext'];

type PopulateRequest = true | { fields?: unknown; filters?: unknown; sort?: unknown; populate?: unknown };

/** The Document Service `populate`, and which fields were expanded (relations on request, components), with theirs. */
export interface PopulatePlan {
  spec: Record<string, unknown>;
  expanded: Record<string, PopulatePlan>;
  /** To-many relations populated on request on the documents queried: their size is checked before they load. */
  toMany: string[];
}
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `'*'`, `'a,b.c'`, `['a', 'b.c']` or `{ a: true, b: { ... } }` → `{ a: true, b: {...} }`. */
const normalize = (populate: unknown, view: CallReadView, uid: string): Record<string, PopulateRequest> => {
  if (populate === '*') {
    return Object.fromEntries(
      [...(view.readable(uid) ?? [])]
        .filter((field) => !isScalar(view.attributes(uid)[field]))
        .map((field) => [field, true as const]),
    );
  }
  const names = typeof populate === 'string' ? populate.split(',') : Array.isArray(populate) ? populate : undefined;
  if (names) {
    const result: Record<string, PopulateRequest> = {};
    for (const name of names) {
      if (typeof name !== 'string') throw new PolicyRefusal('populate: expected field names');
      const [head, ...rest] = name.trim().split('.');
      const nested = result[head];
      result[head] =
        rest.length === 0
          ? (nested ?? true)
          : {
              populate: [
                ...(isPlainObject(nested) && Array.isArray(nested.populate) ? nested.populate : []),
                rest.join('.'),
              ],
            };
    }
    return result;
  }
  if (isPlainObject(populate)) {
    return Object.fromEntries(
      Object.entries(populate).map(([name, value]) => {
        if (value === true || value === '*') return [name, true];
        if (isPlainObject(value)) return [name, value as PopulateRequest];
        throw new PolicyRefusal(
          `populate.${echo(name)}: expected true or an object with fields, filters, sort, populate`,
        );
      }),
    );
  }
  throw new PolicyRefusal('populate: expected "*", a list of field names, or an object');
};

export interface PopulateLimits {
  maxPopulateDepth: number;
  maxPopulatedEntries: number;
}

export interface PopulateOptions {
  /**
   * Lists: nothing the caller did not name, at any level (a populated relation brings its target's scalar fields, or
   * its `fields`); a component named comes whole, as it is part of its document.
   */
  lean?: boolean;
  /**
   * At this level, also what the caller did not name: components, media, dynamic zones, and relations as
   * `{ documentId }` references. Off in lists and when the caller selected `fields`.
   */
  includeDefaults?: boolean;
  depth?: number;
  path?: string;
  underRelation?: boolean;
}

/**
 * Builds the Document Service `populate` for a request: only readable relations to readable types, components and media,
 * at most `maxDepth` levels deep; each populated relation carries its target's own read scope (tenant, ownership,
 * Strapi conditions) and is limited to its readable fields. Relations populated by default come back as
 * `{ documentId }` references under the same scope (reading the id and documentId of each target, nothing more), so
 * they are never silently empty; what is not populated is absent from the document.
 */
export const buildPopulate = (
  view: CallReadView,
  guard: QueryGuard,
  uid: string,
  requested: unknown,
  limits: PopulateLimits,
  { lean = false, includeDefaults = !lean, depth = 1, path = 'populate', underRelation = false }: PopulateOptions = {},
): PopulatePlan => {
  const maxDepth = limits.maxPopulateDepth;
  const asked = requested === undefined ? {} : normalize(requested, view, uid);
  if (Object.keys(asked).length > 0 && depth > maxDepth) {
    throw new PolicyRefusal(`${path}: populate may go at most ${maxDepth} levels deep`);
  }
  const readable = view.readable(uid) ?? new Set<string>();
  const attributes = view.attributes(uid);
  for (const name of Object.keys(asked)) {
    if (!readable.has(name) || isScalar(attributes[name])) {
      const populatable = [...readable].filter((field) => !isScalar(attributes[field]));
      throw new PolicyRefusal(
        `${path}.${echo(name)}: cannot populate ${echo(name)}; populatable: ${populatable.sort().join(', ') || 'none'}`,
      );
    }
  }

  const spec: Record<string, unknown> = {};
  const expanded: Record<string, PopulatePlan> = {};
  const toManyRequested: string[] = [];
  for (const name of readable) {
    const attribute = attributes[name];
    const request = asked[name];
    if (request === undefined && !includeDefaults) continue;
    if (isMedia(attribute)) {
      // Another tenant's file never shows, even linked from a shared document.
      spec[name] = { fields: MEDIA_FIELDS, ...(view.mediaScope.length > 0 ? { filters: and(view.mediaScope) } : {}) };
    } else if (isRelation(attribute)) {
      const target = view.typeOf(attribute.target as string)!;
      const toMany = isToMany(attribute);
      // A document populated inside another brings no to-many relation: every one of the outer documents would
      // bring all of its links (a page of articles, each with its category's thousands of articles).
      if (underRelation && toMany) {
        if (request === undefined || requested === '*') continue;
        throw new PolicyRefusal(
          `${path}.${echo(name)}: ${echo(name)} holds several entries per document: populate it only on the documents queried, or query ${target.type.schema.info.pluralName} with find_documents`,
        );
      }
      if (request === undefined) {
        spec[name] = { fields: ['documentId'], filters: and(target.scope) ?? {} };
        continue;
      }
      const options = request === true ? {} : request;
      if (toMany) toManyRequested.push(name);
      const checked =
        options.filters !== undefined
          ? guard.checkFilters(options.filters, target.type.uid, `${path}.${name}.filters`)
          : undefined;
      const scalars = [...target.fields].filter((field) => isScalar(target.type.attributes[field]));
      const nested = buildPopulate(view, guard, target.type.uid, options.populate, limits, {
        lean,
        depth: depth + 1,
        path: `${path}.${name}.populate`,
        underRelation: true,
      });
      spec[name] = {
        fields: options.fields !== undefined ? guard.checkFields(options.fields, target.type.uid) : scalars,
        filters: and([...target.scope, checked]) ?? {},
        ...(options.sort !== undefined ? { sort: guard.checkSort(options.sort, target.type.uid) } : {}),
        populate: nested.spec,
      };
      expanded[name] = nested;
    } else if (isComponent(attribute)) {
      const options = request === undefined || request === true ? {} : request;
      // Components belong to the document: populated whole; their own relations follow the same rules, one level down.
      const nested = buildPopulate(view, guard, attribute.component as string, options.populate, limits, {
        lean,
        includeDefaults: true,
        depth: depth + 1,
        path: `${path}.${name}.populate`,
        underRelation,
      });
      spec[name] = { populate: nested.spec };
      expanded[name] = nested;
    } else if (isDynamicZone(attribute)) {
      spec[name] = true;
    }
  }
  return { spec, expanded, toMany: toManyRequested };
};

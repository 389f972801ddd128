import { McpToolError } from '../../errors';
import { and, type Filter } from '../filters';
import { fitToBudget, shapeDocument } from '../guards/output';
import type { QueryArgs } from '../guards/query-input';
import { deriveAppKey } from '../../app-keys';
import { type CursorQuery, digestSelection, issueCursor, readCursor } from '../paging/cursor';
import { checkPosition, type KeysetKey, positionOf, rowsAfter } from '../paging/keyset';
import { type CheckedQuery, type ContentCall, type Doc, typeOf } from '../pipeline/content-call';
import { refuseOversizedPopulates } from './populated-sizes';

export interface Page {
  documents: Doc[];
  /** Whether rows follow this page: one row more than the page was read to know. */
  hasMore: boolean;
  /** Every row of the list, when the caller asked for the count. */
  total?: number;
  /** Each document's position in the list, where a cursor can continue it. */
  positions?: unknown[][];
  cursorQuery?: CursorQuery;
}

/** PostgreSQL orders NULL after every value; SQLite and MySQL before. */
const nullsLargest = (call: ContentCall<unknown>) =>
  (call.strapi.db as unknown as { dialect: { client: string } }).dialect.client === 'postgres';

/** Nothing to populate is said with no populate at all: Strapi's populate handling is not free, even for `{}`. */
const populateOf = (query: CheckedQuery) => {
  const spec = query.populate?.spec;
  return spec && Object.keys(spec).length > 0 ? spec : undefined;
};

/** The fields to select: the caller's, plus the keys a cursor needs (taken out again before shaping). */
const selectedFields = (fields: string[] | undefined, keys: KeysetKey[] | undefined) => {
  if (!fields || !keys) return { fields, added: [] };
  const added = keys.map((key) => key.field).filter((field) => field !== 'documentId' && !fields.includes(field));
  return { fields: [...fields, ...added], added };
};

/**
 * One page of documents through the call's checked query (scope included), plus an extra filter: the rows after the
 * cursor, or at the page's offset; one row more than the page, to tell whether more follow; the count only when the
 * caller asked for it.
 */
export const readPage = async (call: ContentCall<QueryArgs>, extraFilter?: Filter): Promise<Page> => {
  const type = typeOf(call);
  const query = call.query!;
  const request = query.page!;
  const { locale, status } = call;
  const listFilters = and([query.filters, extraFilter]);
  const keys = request.keyset && 'keys' in request.keyset ? request.keyset.keys : undefined;
  const cursorQuery: CursorQuery | undefined = keys && {
    contentType: type.uid,
    sort: query.sort!,
    selection: digestSelection({ filters: listFilters ?? null, locale: locale ?? null, status: status ?? null }),
  };
  let filters = listFilters;
  if (request.cursor !== undefined) {
    if (!keys || !cursorQuery) throw new McpToolError('cursor: this list cannot be paged by cursor');
    const position = checkPosition(readCursor(deriveAppKey(call.strapi, 'cursor'), request.cursor, cursorQuery), keys);
    // The cursor only bounds the rows: the filters, with the caller's scope, stay as they are.
    filters = and([listFilters, rowsAfter(keys, position, nullsLargest(call))]);
  }
  if (filters !== query.filters) call.audit.note({ appliedFilters: filters });
  const { fields, added } = selectedFields(query.fields, keys);
  const window = { filters, sort: query.sort, locale, status, start: request.start };
  await refuseOversizedPopulates(call, query.populate, { ...window, limit: request.limit }, false);
  const documents = call.strapi.documents(type.uid as never);
  const [found, total] = await Promise.all([
    documents.findMany({ ...window, fields, populate: populateOf(query), limit: request.limit + 1 } as never),
    request.withCount ? documents.count({ filters: listFilters, locale, status } as never) : undefined,
  ]);
  const rows = (found as Doc[]).slice(0, request.limit);
  const positions = keys && rows.map((row) => positionOf(row, keys));
  for (const row of rows) for (const field of added) delete row[field];
  return {
    documents: rows,
    hasMore: (found as Doc[]).length > request.limit,
    total: total as number | undefined,
    positions,
    cursorQuery,
  };
};

/**
 * A page as the caller may see it, cut at whole documents to the response budget. `nextCursor` continues after the
 * last document returned, so a page cut short loses nothing.
 */
export const shapePage = async (call: ContentCall<QueryArgs>, found: Page, meta: Doc = {}) => {
  const view = await call.view();
  const { uid } = typeOf(call);
  const { page, pageSize } = call.query!.page!;
  const shaped = found.documents.map((document) => shapeDocument(view, uid, document, call.query!.populate));
  const { items, truncated } = fitToBudget(shaped, call.config.limits.maxResponseBytes);
  const hasMore = found.hasMore || truncated;
  const last = found.positions?.[items.length - 1];
  const nextCursor =
    hasMore && last && found.cursorQuery
      ? issueCursor(deriveAppKey(call.strapi, 'cursor'), found.cursorQuery, last)
      : undefined;
  return {
    data: items,
    meta: {
      pagination: {
        ...(page !== undefined ? { page } : {}),
        pageSize,
        hasMore,
        ...(nextCursor ? { nextCursor } : {}),
        ...(found.total !== undefined ? { total: found.total, pageCount: Math.ceil(found.total / pageSize) } : {}),
      },
      ...(truncated ? { truncated: true, returned: items.length } : {}),
      ...meta,
    },
  };
};

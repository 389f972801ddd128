import { McpToolError } from '../../errors';
import { and } from '../filters';
import { type Keyset, planKeyset } from '../paging/keyset';
import type { CheckedQuery, CommonArgs, ContentCall, QueryPart } from '../pipeline/content-call';
import { typeName, typeOf } from '../pipeline/content-call';
import { buildPopulate } from './populate';

export interface QueryArgs extends CommonArgs {
  filters?: Record<string, unknown>;
  sort?: unknown;
  fields?: unknown;
  populate?: unknown;
  page?: number;
  pageSize?: number;
  /** `nextCursor` of an earlier page: the rows after it, instead of a page number. */
  cursor?: string;
  /** Count the whole list (`total`, `pageCount`); off by default, as a count reads every matching row. */
  withCount?: boolean;
}

/** Which rows of a list a call reads, and what it reports about the rest. */
export interface PageRequest {
  /** The page number, when the call pages by number. */
  page?: number;
  pageSize: number;
  start: number;
  limit: number;
  withCount: boolean;
  /** The list's order and cursor keys, for operations that page by cursor. */
  keyset?: Keyset;
  /** The cursor the call continues from, checked against the list when it is read. */
  cursor?: string;
}

const paginate = (call: ContentCall<QueryArgs>): PageRequest => {
  const { defaultPageSize, maxPageSize } = call.config.limits;
  const { cursor, withCount } = call.args;
  if (cursor !== undefined && call.args.page !== undefined) {
    throw new McpToolError('page and cursor cannot be combined: a cursor already says where the page starts');
  }
  const page = call.args.page ?? 1;
  const pageSize = call.args.pageSize ?? defaultPageSize;
  if (!Number.isInteger(page) || page < 1) throw new McpToolError('page must be a positive integer');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw new McpToolError(`pageSize must be between 1 and ${maxPageSize}`);
  }
  if (withCount !== undefined && typeof withCount !== 'boolean') throw new McpToolError('withCount must be a boolean');
  // The Document Service ignores page/pageSize on findMany; only start/limit paginate.
  return cursor !== undefined
    ? { pageSize, start: 0, limit: pageSize, withCount: withCount === true, cursor }
    : { page, pageSize, start: (page - 1) * pageSize, limit: pageSize, withCount: withCount === true };
};

/**
 * The query parts a read takes from the caller, checked against what the role may read (one guard per call, so its
 * budget spans every filter of the call), with the call's scope joined to the filters.
 */
export const checkQuery = async (call: ContentCall<QueryArgs>, parts: QueryPart[]): Promise<CheckedQuery> => {
  const query: CheckedQuery = {};
  if (parts.includes('page')) query.page = paginate(call);
  if (parts.every((part) => part === 'page')) return query;
  const type = typeOf(call);
  const view = await call.view();
  if (!view.typeOf(type.uid)) throw new McpToolError(`${typeName(type)} is not readable for you`);
  const guard = await call.guard();
  const { args } = call;
  if (parts.includes('filters')) {
    const checked = args.filters !== undefined ? guard.checkFilters(args.filters, type.uid) : undefined;
    // The scope first: where the database evaluates AND left to right (SQLite), a costly caller filter then skips
    // the rows of other tenants.
    query.filters = and([...call.scope, checked]);
    call.audit.note({ appliedFilters: query.filters ?? {} });
  }
  if (parts.includes('sort') && args.sort !== undefined) query.sort = guard.checkSort(args.sort, type.uid);
  if (parts.includes('fields') && args.fields !== undefined) query.fields = guard.checkFields(args.fields, type.uid);
  if (query.page?.cursor !== undefined && !parts.includes('cursor')) {
    throw new McpToolError('this tool pages by page number only; leave cursor out');
  }
  if (parts.includes('cursor') && query.page) {
    const keyset = planKeyset(query.sort, type.attributes);
    if (query.page.cursor !== undefined && 'unavailable' in keyset) throw new McpToolError(keyset.unavailable);
    query.sort = keyset.sort;
    query.page.keyset = keyset;
  }
  if (parts.includes('populate')) {
    // A list populates only what its call names; one document also brings its components, media and references.
    const lean = parts.includes('page');
    query.populate = buildPopulate(view, guard, type.uid, args.populate, call.config.limits, {
      lean,
      includeDefaults: !lean && query.fields === undefined,
    });
  }
  return query;
};

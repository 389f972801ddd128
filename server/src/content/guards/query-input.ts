import { McpToolError } from '../../errors';
import { and } from '../filters';
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
}

const paginate = (call: ContentCall<QueryArgs>) => {
  const { defaultPageSize, maxPageSize } = call.config.limits;
  const page = call.args.page ?? 1;
  const pageSize = call.args.pageSize ?? defaultPageSize;
  if (!Number.isInteger(page) || page < 1) throw new McpToolError('page must be a positive integer');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize) {
    throw new McpToolError(`pageSize must be between 1 and ${maxPageSize}`);
  }
  // The Document Service ignores page/pageSize on findMany; only start/limit paginate.
  return { page, pageSize, start: (page - 1) * pageSize, limit: pageSize };
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
  if (parts.includes('populate')) {
    query.populate = buildPopulate(view, guard, type.uid, args.populate, call.config.limits, {
      includeDefaults: query.fields === undefined,
    });
  }
  return query;
};

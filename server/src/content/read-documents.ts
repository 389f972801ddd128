import { McpToolError } from '../mcp/definitions';
import { TEXT_TYPES, isScalar } from '../services/policy/fields';
import type { CallScope } from './call-scope';
import { and } from './filters';
import { resolveLocale, resolveStatus } from './locale-status';
import { fitToBudget, shapeDocument } from './output';
import { buildPopulate } from './populate';
import { loadStoredDocument } from './stored-document';

type Doc = Record<string, unknown>;
type Status = 'draft' | 'published';

export interface ListArgs {
  contentType: string;
  filters?: Record<string, unknown>;
  sort?: unknown;
  fields?: unknown;
  populate?: unknown;
  page?: number;
  pageSize?: number;
  locale?: string;
  status?: Status;
}

/**
 * The read pipeline shared by find, count and search: authorize → validate the caller's filters, sort, fields and
 * populate against what the role may read → add the injected scope (tenant, ownership, Strapi conditions).
 */
const prepareRead = async (scope: CallScope, args: Omit<ListArgs, 'page' | 'pageSize'>) => {
  const type = scope.resolveType(args.contentType, 'read');
  await scope.policy.authorize(type, 'read');
  const view = await scope.view();
  const readable = view.typeOf(type.uid);
  if (!readable) throw new McpToolError(`${type.schema.info.singularName} is not readable for you`);
  const guard = await scope.guard();
  const checked = args.filters !== undefined ? guard.checkFilters(args.filters, type.uid) : undefined;
  const filters = and([checked, ...readable.scope]);
  const locale = await resolveLocale(scope.strapi, type, args.locale, { allowAll: true });
  const status = resolveStatus(type, args.status);
  scope.audit.note({ appliedFilters: filters ?? {} });
  return { type, view, guard, readable, filters, locale, status };
};

const paginate = (scope: CallScope, page = 1, pageSize?: number) => {
  const { defaultPageSize, maxPageSize } = scope.config.limits;
  const size = pageSize ?? defaultPageSize;
  if (!Number.isInteger(page) || page < 1) throw new McpToolError('page must be a positive integer');
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw new McpToolError(`pageSize must be between 1 and ${maxPageSize}`);
  }
  // The Document Service ignores page/pageSize on findMany; only start/limit paginate.
  return { page, pageSize: size, start: (page - 1) * size, limit: size };
};

const listPage = async (scope: CallScope, args: ListArgs, extraFilter?: Doc) => {
  const prepared = await prepareRead(scope, args);
  const { type, view, guard, locale, status } = prepared;
  const filters = and([prepared.filters, extraFilter]);
  const sort = args.sort !== undefined ? guard.checkSort(args.sort, type.uid) : undefined;
  const fields = args.fields !== undefined ? guard.checkFields(args.fields, type.uid) : undefined;
  const plan = buildPopulate(view, guard, type.uid, args.populate, scope.config.limits.maxPopulateDepth, {
    includeDefaults: fields === undefined,
  });
  const { page, pageSize, start, limit } = paginate(scope, args.page, args.pageSize);
  if (extraFilter) scope.audit.note({ appliedFilters: filters });

  const documents = scope.strapi.documents(type.uid as never);
  const [found, total] = await Promise.all([
    documents.findMany({ filters, sort, fields, populate: plan.spec, locale, status, start, limit } as never),
    documents.count({ filters, locale, status } as never),
  ]);
  const shaped = (found as Doc[]).map((document) => shapeDocument(view, type.uid, document, plan));
  const { items, truncated } = fitToBudget(shaped, scope.config.limits.maxResponseBytes);
  return {
    data: items,
    meta: {
      pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
      ...(truncated ? { truncated: true, returned: items.length } : {}),
    },
  };
};

export const findDocuments = (scope: CallScope, args: ListArgs) => listPage(scope, args);

export const countDocuments = async (
  scope: CallScope,
  args: Pick<ListArgs, 'contentType' | 'filters' | 'locale' | 'status'>,
) => {
  const { type, filters, locale, status } = await prepareRead(scope, args);
  const count = await scope.strapi.documents(type.uid as never).count({ filters, locale, status } as never);
  return { contentType: type.uid, count };
};

/**
 * Case-insensitive search over the text fields the caller may read; never Strapi's `_q`, which also searches private
 * columns.
 */
export const searchDocuments = async (
  scope: CallScope,
  args: Pick<ListArgs, 'contentType' | 'page' | 'pageSize' | 'locale' | 'status'> & { query: string },
) => {
  const type = scope.resolveType(args.contentType, 'read');
  const view = await scope.view();
  const fields = [...(view.readable(type.uid) ?? [])].filter(
    (field) => isScalar(type.attributes[field]) && TEXT_TYPES.has(type.attributes[field].type),
  );
  if (fields.length === 0) throw new McpToolError(`${type.schema.info.singularName} has no text field you may search`);
  const query = args.query.trim();
  if (query.length === 0) throw new McpToolError('query must not be empty');
  const result = await listPage(scope, args, { $or: fields.map((field) => ({ [field]: { $containsi: query } })) });
  return { ...result, meta: { ...result.meta, searchedFields: fields } };
};

export const getDocument = async (
  scope: CallScope,
  args: {
    contentType: string;
    documentId?: string;
    fields?: unknown;
    populate?: unknown;
    locale?: string;
    status?: Status;
  },
) => {
  const type = scope.resolveType(args.contentType, 'read');
  scope.audit.note({ documentId: args.documentId ?? null });
  const reach = await scope.policy.authorize(type, 'read');
  const view = await scope.view();
  const guard = await scope.guard();
  const fields = args.fields !== undefined ? guard.checkFields(args.fields, type.uid) : undefined;
  const plan = buildPopulate(view, guard, type.uid, args.populate, scope.config.limits.maxPopulateDepth, {
    includeDefaults: fields === undefined,
  });
  const locale = await resolveLocale(scope.strapi, type, args.locale);
  const filters = await scope.policy.scopeFilters(type, 'read', reach);
  scope.audit.note({ appliedFilters: and(filters) ?? {} });
  const document = await loadStoredDocument(scope, {
    type,
    documentId: args.documentId,
    locale,
    status: resolveStatus(type, args.status) ?? 'draft',
    scope: filters,
    fields,
    populate: plan.spec,
  });
  const shaped = shapeDocument(view, type.uid, document, plan);
  scope.audit.note({ documentId: shaped.documentId as string });
  return { data: shaped };
};

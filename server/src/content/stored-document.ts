import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import type { Operation, TypePolicy } from '../services/policy';
import type { CallScope } from './call-scope';
import { and } from './filters';
import { requireDraftAndPublish, resolveLocale } from './locale-status';
import { buildPopulate } from './populate';

/** What Strapi's RBAC conditions need populated on a stored document ("is creator", "same role as creator"). */
const CONDITION_POPULATE = { createdBy: { fields: ['id'], populate: { roles: { fields: ['id', 'code'] } } } };

export interface StoredDocumentQuery {
  type: TypePolicy;
  documentId?: string;
  locale?: string;
  status?: 'draft' | 'published';
  /** Tenant, ownership and Strapi-condition filters of the operation: a document outside them is "not found". */
  scope: Array<Record<string, unknown>>;
  fields?: string[];
  populate?: Record<string, unknown>;
}

/**
 * Loads the one document a mutation targets, inside the caller's scope. The Document Service ignores `filters` on
 * update, publish and discardDraft, so every mutation loads its target through this first, and acts only on what it
 * found. A document of another tenant, of another owner, or that does not exist, is the same "not found" to the
 * caller; the audit row says which.
 */
export const loadStoredDocument = async (scope: CallScope, query: StoredDocumentQuery) => {
  const { type } = query;
  const documents = scope.strapi.documents(type.uid as never);
  const params = {
    locale: query.locale,
    status: query.status ?? 'draft',
    filters: and(query.scope),
    ...(query.fields ? { fields: query.fields } : {}),
    populate: { ...CONDITION_POPULATE, ...query.populate },
  };
  let stored: Record<string, unknown> | null;
  if (type.isSingleType) {
    if (query.documentId)
      throw new McpToolError(`${type.schema.info.singularName} is a single type: leave documentId out`);
    stored = (await documents.findFirst(params as never)) as Record<string, unknown> | null;
  } else {
    if (!query.documentId) throw new McpToolError('documentId is required for a collection type');
    stored = (await documents.findOne({ ...params, documentId: query.documentId } as never)) as Record<
      string,
      unknown
    > | null;
  }
  if (stored) return stored;

  const what = type.isSingleType
    ? `${type.schema.info.singularName}${query.locale ? ` (${query.locale})` : ''} has no ${params.status} version`
    : `document ${query.documentId} of ${type.schema.info.singularName} not found`;
  const exists = type.isSingleType
    ? false
    : (await documents.count({
        filters: { documentId: query.documentId },
        locale: type.isLocalized ? '*' : undefined,
      } as never)) > 0;
  scope.audit.note({ reason: exists ? `${what}: outside the caller's scope` : `${what}: does not exist` });
  if (exists) throw new PolicyRefusal(what);
  throw new McpToolError(what);
};

/** The populate of a mutation's target and result: relations as scoped references, components, media. */
export const defaultPopulate = async (scope: CallScope, type: TypePolicy) => {
  const view = await scope.view();
  return view.typeOf(type.uid) ? buildPopulate(view, await scope.guard(), type.uid, undefined, 0).spec : undefined;
};

export interface TargetRequest {
  contentType: string;
  documentId?: string;
  locale?: string;
}

/**
 * The shared first half of every mutation on an existing document (update, delete, publish, unpublish, discard):
 * resolve and authorize the type (plus any `alsoRequires`), scope the operation, load the target in that scope, and
 * check Strapi's entity-level permission on it. Every such tool goes through here, so none skips a rule.
 */
export const loadTarget = async (
  scope: CallScope,
  request: TargetRequest,
  options: { action: string; operation: Operation; alsoRequires?: Operation[]; status?: 'draft' | 'published' },
) => {
  const { policy, strapi } = scope;
  scope.audit.note({ documentId: request.documentId ?? null });
  const type = scope.resolveType(request.contentType, options.action);
  if (options.operation === 'publish') requireDraftAndPublish(type);
  const operations = [options.operation, ...(options.alsoRequires ?? [])];
  // The target must be within the scope of every operation the call performs (e.g. update and publish).
  const filters: Array<Record<string, unknown>> = [];
  for (const operation of operations) {
    const reach = await policy.authorize(type, operation);
    for (const filter of await policy.scopeFilters(type, operation, reach)) {
      if (!filters.some((known) => JSON.stringify(known) === JSON.stringify(filter))) filters.push(filter);
    }
  }
  const locale = await resolveLocale(strapi, type, request.locale);
  scope.audit.note({ appliedFilters: { $and: filters } });

  const populate = await defaultPopulate(scope, type);
  const stored = await loadStoredDocument(scope, {
    type,
    documentId: request.documentId,
    locale,
    status: options.status,
    scope: filters,
    populate,
  });
  const documentId = stored.documentId as string;
  scope.audit.note({ documentId });
  for (const operation of operations) {
    if (!(await policy.allowsOn(operation, type, stored))) {
      throw new PolicyRefusal(
        `your Strapi admin role does not allow ${operation} on this ${type.schema.info.singularName}`,
      );
    }
  }
  return { type, locale, filters, populate, stored, documentId };
};

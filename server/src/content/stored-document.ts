import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import type { TypePolicy } from '../services/policy';
import type { CallScope } from './call-scope';
import { and } from './filters';

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

import { McpToolError, PolicyRefusal } from '../errors';
import { and, type Filter } from './filters';
import { buildPopulate } from './guards/populate';
import { type CommonArgs, type ContentCall, type Doc, typeName, typeOf } from './pipeline/content-call';

/** What Strapi's RBAC conditions need populated on a stored document ("is creator", "same role as creator"). */
export const CONDITION_POPULATE = {
  createdBy: { fields: ['id'], populate: { roles: { fields: ['id', 'code'] } } },
};

export interface StoredDocumentQuery {
  documentId?: string;
  status: 'draft' | 'published';
  /** Tenant, ownership and Strapi-condition filters: a document outside them is "not found". */
  scope: Filter[];
  fields?: string[];
  populate?: Doc;
  /**
   * Whether the document is loaded for Strapi's entity-level conditions (`CONDITION_POPULATE`), as a write's target is.
   * A read has its conditions in `scope` already and evaluates none on the document.
   */
  forConditions?: boolean;
}

/**
 * Loads the one document a call names, inside the caller's scope. A document of another tenant, of another owner, or
 * that does not exist, is the same "not found" to the caller; the audit row says which.
 */
export const loadStoredDocument = async (call: ContentCall<CommonArgs>, query: StoredDocumentQuery): Promise<Doc> => {
  const type = typeOf(call);
  const documents = call.strapi.documents(type.uid as never);
  const params = {
    locale: call.locale,
    status: query.status,
    filters: and(query.scope),
    ...(query.fields ? { fields: query.fields } : {}),
    populate: query.forConditions === false ? query.populate : { ...CONDITION_POPULATE, ...query.populate },
  };
  let stored: Doc | null;
  if (type.isSingleType) {
    if (query.documentId) throw new McpToolError(`${typeName(type)} is a single type: leave documentId out`);
    stored = (await documents.findFirst(params as never)) as Doc | null;
  } else {
    if (!query.documentId) throw new McpToolError('documentId is required for a collection type');
    stored = (await documents.findOne({ ...params, documentId: query.documentId } as never)) as Doc | null;
  }
  if (stored) return stored;

  const what = type.isSingleType
    ? `${typeName(type)}${call.locale ? ` (${call.locale})` : ''} has no ${query.status} version`
    : `document ${query.documentId} of ${typeName(type)} not found`;
  const exists = type.isSingleType
    ? false
    : (await documents.count({
        filters: { documentId: query.documentId },
        locale: type.isLocalized ? '*' : undefined,
      } as never)) > 0;
  call.audit.note({ reason: exists ? `${what}: outside the caller's scope` : `${what}: does not exist` });
  if (exists) throw new PolicyRefusal(what);
  throw new McpToolError(what);
};

/** The populate of a mutation's target and result: relations as scoped references, components, media. */
export const defaultPopulate = async (call: ContentCall<CommonArgs>): Promise<Doc | undefined> => {
  const view = await call.view();
  const type = typeOf(call);
  return view.typeOf(type.uid)
    ? buildPopulate(view, await call.guard(), type.uid, undefined, { ...call.config.limits, maxPopulateDepth: 0 }).spec
    : undefined;
};

/**
 * A single type is one document: a create in a new locale joins the document of the other locales, as in the
 * Content Manager; a create where the locale already exists is refused.
 */
export const findSingleTypeDocument = async (call: ContentCall<CommonArgs>): Promise<string | undefined> => {
  const type = typeOf(call);
  const existing = await call.strapi
    .documents(type.uid as never)
    .findFirst({ locale: call.locale, fields: ['documentId'] } as never);
  if (existing) {
    throw new McpToolError(
      `${typeName(type)} already exists${call.locale ? ` in ${call.locale}` : ''}; use update_document`,
    );
  }
  const other = await call.strapi.db.query(type.uid).findOne({ select: ['documentId'] });
  return other?.documentId;
};

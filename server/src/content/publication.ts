import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import { findBrokenCondition } from '../services/policy/conditions';
import type { CallScope } from './call-scope';
import { requireDraftAndPublish, resolveLocale } from './locale-status';
import { shapeDocument } from './output';
import { loadStoredDocument } from './stored-document';
import { commitWithAudit } from './write-support';
import { defaultPopulate } from './write-documents';

type Doc = Record<string, unknown>;
export type PublicationAction = 'publish' | 'unpublish' | 'discard';

const TOOL_VERB: Record<PublicationAction, string> = {
  publish: 'publish',
  unpublish: 'unpublish',
  discard: 'discard the draft of',
};

/**
 * publish_document, unpublish_document and discard_draft: all need the `publish` action. Each loads its target inside
 * the caller's scope first, because the Document Service's publish and discardDraft ignore `filters`.
 */
export const changePublication = async (
  scope: CallScope,
  action: PublicationAction,
  args: { contentType: string; documentId?: string; locale?: string; dryRun?: boolean },
) => {
  const { policy, strapi } = scope;
  scope.audit.note({ documentId: args.documentId ?? null });
  const type = scope.resolveType(args.contentType, action);
  requireDraftAndPublish(type);
  const reach = await policy.authorize(type, 'publish');
  const locale = await resolveLocale(strapi, type, args.locale);
  const scopeFilters = await policy.scopeFilters(type, 'publish', reach);
  scope.audit.note({ appliedFilters: { $and: scopeFilters } });

  const populate = await defaultPopulate(scope, type);
  // Unpublishing needs a published version; publishing and discarding act on the draft.
  const stored = await loadStoredDocument(scope, {
    type,
    documentId: args.documentId,
    locale,
    status: action === 'unpublish' ? 'published' : 'draft',
    scope: scopeFilters,
    populate,
  });
  const documentId = stored.documentId as string;
  scope.audit.note({ documentId });
  if (!(await policy.allowsOn('publish', type, stored))) {
    throw new PolicyRefusal(`your Strapi admin role does not allow you to ${TOOL_VERB[action]} this document`);
  }
  // Discarding a draft rewrites the content (the Content Manager treats it as an update): update conditions apply too.
  const broken =
    findBrokenCondition(type, { role: policy.role!, action: 'publish', stored }) ??
    (action === 'discard' ? findBrokenCondition(type, { role: policy.role!, action: 'update', stored }) : undefined);
  if (broken) throw new PolicyRefusal(broken);

  const documents = strapi.documents(type.uid as never) as unknown as Record<
    'publish' | 'unpublish' | 'discardDraft' | 'findOne',
    (params: Doc) => Promise<unknown>
  >;
  if (action === 'discard') {
    const published = await documents.findOne({ documentId, locale, status: 'published', fields: ['documentId'] });
    if (!published) throw new McpToolError(`document ${documentId} has no published version to go back to`);
  }

  const view = await scope.view();
  const shaped = view.typeOf(type.uid) ? shapeDocument(view, type.uid, stored) : { documentId };
  if (args.dryRun) return { dryRun: true, action, document: shaped };

  const result = await commitWithAudit(scope, async () => {
    if (action === 'publish') await documents.publish({ documentId, locale });
    else if (action === 'unpublish') await documents.unpublish({ documentId, locale });
    else await documents.discardDraft({ documentId, locale });
    return documents.findOne({ documentId, locale, status: action === 'unpublish' ? 'draft' : 'published', populate });
  });
  return { action, data: result && view.typeOf(type.uid) ? shapeDocument(view, type.uid, result as Doc) : shaped };
};

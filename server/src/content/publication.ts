import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import { findBrokenCondition } from '../services/policy/conditions';
import type { CallScope } from './call-scope';
import { shapeDocument } from './output';
import { loadTarget } from './stored-document';
import { commitWithAudit } from './write-support';

type Doc = Record<string, unknown>;
export type PublicationAction = 'publish' | 'unpublish' | 'discard';

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
  // Unpublishing needs a published version; publishing and discarding act on the draft.
  const { type, locale, populate, stored, documentId } = await loadTarget(scope, args, {
    action,
    operation: 'publish',
    status: action === 'unpublish' ? 'published' : 'draft',
  });
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

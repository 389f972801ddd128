import { McpToolError } from '../../errors';
import type { ConditionAction } from '../../services/policy/conditions';
import { type CommonArgs, type ContentCall, type ContentOperation, type Doc, typeOf } from '../pipeline/content-call';
import { shapeTarget } from './write-preview';

export type PublicationAction = 'publish' | 'unpublish' | 'discard';

type DocumentActions = Record<'publish' | 'unpublish' | 'discardDraft' | 'findOne', (params: Doc) => Promise<unknown>>;

const documentsOf = (call: ContentCall<CommonArgs>) =>
  call.strapi.documents(typeOf(call).uid as never) as unknown as DocumentActions;

/** Discarding a draft goes back to the published version: there must be one. */
const requirePublishedVersion = async (call: ContentCall<CommonArgs>) => {
  const { documentId, locale } = call;
  const published = await documentsOf(call).findOne({
    documentId,
    locale,
    status: 'published',
    fields: ['documentId'],
  });
  if (!published) throw new McpToolError(`document ${documentId} has no published version to go back to`);
};

/**
 * publish_document, unpublish_document and discard_draft: all need the publish right on a draft & publish type, and
 * load their target in scope first (publish and discardDraft ignore `filters`). Publishing, taking a document offline
 * and throwing its draft away all change it: the update conditions on the stored document apply as well.
 */
export const publicationOperation = (
  action: PublicationAction,
  conditions: ConditionAction[],
): ContentOperation<CommonArgs, Doc | null> => ({
  action,
  operation: 'publish',
  // Unpublishing needs a published version; publishing and discarding act on the draft.
  target: 'stored',
  targetStatus: () => (action === 'unpublish' ? 'published' : 'draft'),
  conditions,
  runs: 'write',
  preview: async (call) => {
    if (action === 'discard') await requirePublishedVersion(call);
    return { dryRun: true, action, document: await shapeTarget(call) };
  },
  execute: async (call) => {
    const { documentId, locale } = call;
    const documents = documentsOf(call);
    if (action === 'discard') await requirePublishedVersion(call);
    if (action === 'publish') await documents.publish({ documentId, locale });
    else if (action === 'unpublish') await documents.unpublish({ documentId, locale });
    else await documents.discardDraft({ documentId, locale });
    const status = action === 'unpublish' ? 'draft' : 'published';
    return (await documents.findOne({ documentId, locale, status, populate: call.targetPopulate })) as Doc | null;
  },
  shape: async (call, document) => ({ action, data: await shapeTarget(call, document ?? call.target) }),
});

import { McpToolError } from '../../errors';
import { and } from '../filters';
import { type CommonArgs, type ContentOperation, typeOf } from '../pipeline/content-call';
import { shapeTarget } from './write-preview';

/** delete_document: removes a document in scope (draft and published versions of the locale). */
export const deleteDocumentOperation: ContentOperation<CommonArgs, void> = {
  action: 'delete',
  operation: 'delete',
  target: 'stored',
  runs: 'write',
  preview: async (call) => ({ dryRun: true, wouldDelete: await shapeTarget(call) }),
  execute: async (call) => {
    // delete honours filters: the scope goes along as a second lock.
    const result = (await call.strapi.documents(typeOf(call).uid as never).delete({
      documentId: call.documentId,
      locale: call.locale,
      filters: and(call.scope),
    } as never)) as { entries: unknown[] };
    if (result.entries.length === 0) throw new McpToolError(`document ${call.documentId} was not deleted`);
  },
  shape: async (call) => ({ deleted: await shapeTarget(call) }),
};

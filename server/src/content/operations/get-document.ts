import { McpToolError } from '../../errors';
import { shapeDocument } from '../guards/output';
import type { QueryArgs } from '../guards/query-input';
import { type ContentOperation, type Doc, typeOf } from '../pipeline/content-call';
import { and } from '../filters';
import { loadStoredDocument } from '../stored-document';
import { refuseOversizedPopulates } from './populated-sizes';

/**
 * get_document: one document in the caller's read scope. It finds its document through its own checked query
 * (fields, populate), so the generic target rule does not load it a second time. Unlike lists, it shows the whole
 * document by default (components, media, relations as references): it is the read before a write, which needs the
 * component entry ids and the links the document holds.
 */
export const getDocumentOperation: ContentOperation<QueryArgs, Doc> = {
  action: 'read',
  operation: 'read',
  target: 'none',
  input: { query: ['fields', 'populate'] },
  runs: 'read',
  execute: async (call) => {
    if (call.query!.populate?.toMany.length) {
      const params = { documentId: call.args.documentId, locale: call.locale, status: call.status ?? 'draft' };
      const target = typeOf(call).isSingleType ? { ...params, documentId: undefined } : params;
      await refuseOversizedPopulates(
        call,
        call.query!.populate,
        { ...target, filters: and(call.scope) },
        !typeOf(call).isSingleType,
      );
    }
    const document = await loadStoredDocument(call, {
      documentId: call.args.documentId,
      status: call.status ?? 'draft',
      scope: call.scope,
      fields: call.query!.fields,
      populate: call.query!.populate!.spec,
      forConditions: false,
    });
    call.audit.note({ documentId: document.documentId as string });
    return document;
  },
  shape: async (call, document) => {
    const data = shapeDocument(await call.view(), typeOf(call).uid, document, call.query!.populate);
    const { maxResponseBytes } = call.config.limits;
    const bytes = Buffer.byteLength(JSON.stringify(data));
    if (bytes > maxResponseBytes) {
      throw new McpToolError(
        `the document is ${bytes} bytes as requested, over the ${maxResponseBytes}-byte response limit; select fewer fields or populate less`,
      );
    }
    return { data };
  },
};

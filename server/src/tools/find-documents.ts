import { findDocumentsOperation } from '../content/operations/find-documents';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  filters: arg.filtersArg,
  sort: arg.sortArg,
  fields: arg.fieldsArg,
  populate: arg.populateArg,
  page: arg.pageArg,
  pageSize: arg.pageSizeArg,
  cursor: arg.cursorArg,
  withCount: arg.withCountArg,
  locale: arg.listLocaleArg,
  status: arg.statusArg,
};

export const findDocuments: McpToolDefinition<typeof inputSchema> = {
  name: 'find_documents',
  title: 'Find documents',
  description:
    'Lists documents of a content type that you may read, with filters, sort, field selection, populated relations and ' +
    'pagination. Tenant and ownership rules apply automatically. Returns only scalar fields unless you populate ' +
    'relations, components or media. Returns { data, meta: { pagination: { page, pageSize, hasMore, nextCursor? } } }; ' +
    'pass nextCursor as cursor for the next page, and withCount: true for total and pageCount.',
  inputSchema,
  outputSchema: arg.documentList,
  annotations: arg.READ_ONLY,
  isAvailableTo: availableFor('read'),
  handler: runContentTool(findDocumentsOperation),
};

import { z } from 'zod';
import { searchDocumentsOperation } from '../content/operations/search-documents';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  query: z
    .string()
    .min(1)
    .max(200)
    .describe('Text to look for, case-insensitively, in every text and blocks field you may read.'),
  page: arg.pageArg,
  pageSize: arg.pageSizeArg,
  locale: arg.listLocaleArg,
  status: arg.statusArg,
};

export const searchDocuments: McpToolDefinition<typeof inputSchema> = {
  name: 'search_documents',
  title: 'Search documents',
  description:
    'Search (case-insensitive "contains") in the text fields of a content type that you may read, rich text and ' +
    'the text of blocks fields included. meta.searchedFields lists the fields searched.',
  inputSchema,
  outputSchema: arg.documentList,
  annotations: arg.READ_ONLY,
  isAvailableTo: availableFor('read'),
  handler: runContentTool(searchDocumentsOperation),
};

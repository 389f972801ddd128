import { z } from 'zod';
import { countDocumentsOperation } from '../content/operations/count-documents';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  filters: arg.filtersArg,
  locale: arg.listLocaleArg,
  status: arg.statusArg,
};

export const countDocuments: McpToolDefinition<typeof inputSchema> = {
  name: 'count_documents',
  title: 'Count documents',
  description: 'Counts the documents of a content type that you may read, optionally filtered.',
  inputSchema,
  outputSchema: { contentType: z.string(), count: z.number() },
  annotations: arg.READ_ONLY,
  isAvailableTo: availableFor('read'),
  handler: runContentTool(countDocumentsOperation),
};

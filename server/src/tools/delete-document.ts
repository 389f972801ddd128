import { z } from 'zod';
import { deleteDocumentOperation } from '../content/operations/delete-document';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  documentId: arg.documentIdArg,
  locale: arg.localeArg,
  dryRun: arg.dryRunArg,
  confirmationToken: arg.confirmationTokenArg,
};

export const deleteDocument: McpToolDefinition<typeof inputSchema> = {
  name: 'delete_document',
  title: 'Delete a document',
  description:
    'Deletes a document you may delete (draft and published versions of the locale). dryRun shows what would go.',
  inputSchema,
  outputSchema: {
    deleted: z.record(z.string(), z.unknown()).optional(),
    dryRun: z.boolean().optional(),
    confirmation: arg.confirmationResult,
    truncated: z
      .boolean()
      .optional()
      .describe('The answer was over the response limit: it keeps documentIds and changed field names.'),
    wouldDelete: z.record(z.string(), z.unknown()).optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  isAvailableTo: availableFor('delete'),
  handler: runContentTool(deleteDocumentOperation),
};

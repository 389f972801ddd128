import { z } from 'zod';
import { updateDocumentOperation } from '../content/operations/update-document';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  documentId: arg.documentIdArg,
  data: arg.dataArg,
  locale: arg.localeArg,
  status: z
    .enum(['draft', 'published'])
    .optional()
    .describe('published also publishes the result (needs the publish right).'),
  dryRun: arg.dryRunArg,
  confirmationToken: arg.confirmationTokenArg,
};

const diff = z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() }));

export const updateDocument: McpToolDefinition<typeof inputSchema> = {
  name: 'update_document',
  title: 'Update a document',
  description:
    'Updates the draft of a document you may edit (only the fields you send). Relations by documentId, with connect, ' +
    'disconnect or set. Returns the field-level diff; dryRun shows it without writing.',
  inputSchema,
  outputSchema: {
    data: z.record(z.string(), z.unknown()).optional(),
    diff: diff.optional(),
    dryRun: z.boolean().optional(),
    confirmation: arg.confirmationResult,
    truncated: z
      .boolean()
      .optional()
      .describe('The answer was over the response limit: it keeps documentIds and changed field names.'),
    documentId: z.string().optional(),
    wouldStore: z.record(z.string(), z.unknown()).optional(),
    droppedFields: z.array(z.string()).optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  isAvailableTo: availableFor('update'),
  handler: runContentTool(updateDocumentOperation),
};

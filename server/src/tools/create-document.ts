import { z } from 'zod';
import { createDocumentOperation } from '../content/operations/create-document';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  data: arg.dataArg,
  locale: arg.localeArg,
  status: z.enum(['draft', 'published']).optional().describe('published also publishes it (needs the publish right).'),
  dryRun: arg.dryRunArg,
  confirmationToken: arg.confirmationTokenArg,
};

export const createDocument: McpToolDefinition<typeof inputSchema> = {
  name: 'create_document',
  title: 'Create a document',
  description:
    'Creates a document as you (createdBy/updatedBy), in your tenant. Only fields you may write; the refusal lists ' +
    'them. dryRun shows what would be stored without writing.',
  inputSchema,
  outputSchema: {
    data: z.record(z.string(), z.unknown()).optional(),
    dryRun: z.boolean().optional(),
    confirmation: arg.confirmationResult,
    truncated: z
      .boolean()
      .optional()
      .describe('The answer was over the response limit: it keeps documentIds and changed field names.'),
    wouldStore: z.record(z.string(), z.unknown()).optional(),
    droppedFields: z.array(z.string()).optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  isAvailableTo: availableFor('create'),
  handler: runContentTool(createDocumentOperation),
};

import { z } from 'zod';
import { changePublication, type PublicationAction } from '../content/publication';
import type { McpToolDefinition } from '../mcp/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  documentId: arg.documentIdArg,
  locale: arg.localeArg,
  dryRun: arg.dryRunArg,
};

const outputSchema = {
  action: z.enum(['publish', 'unpublish', 'discard']),
  data: z.record(z.string(), z.unknown()).optional(),
  dryRun: z.boolean().optional(),
  document: z.record(z.string(), z.unknown()).optional(),
};

const publicationTool = (
  name: string,
  title: string,
  action: PublicationAction,
  description: string,
  destructive: boolean,
): McpToolDefinition<typeof inputSchema> => ({
  name,
  title,
  description,
  inputSchema,
  outputSchema,
  annotations: { readOnlyHint: false, destructiveHint: destructive, idempotentHint: true, openWorldHint: false },
  isAvailableTo: availableFor('publish'),
  handler: runContentTool((scope, args) => changePublication(scope, action, args)),
});

export const publishDocument = publicationTool(
  'publish_document',
  'Publish a document',
  'publish',
  'Publishes the current draft of a document (needs the publish right).',
  false,
);
export const unpublishDocument = publicationTool(
  'unpublish_document',
  'Unpublish a document',
  'unpublish',
  'Takes a document offline; its draft stays (needs the publish right).',
  true,
);
export const discardDraft = publicationTool(
  'discard_draft',
  'Discard a draft',
  'discard',
  'Throws away draft changes and goes back to the published version (needs the publish right).',
  true,
);

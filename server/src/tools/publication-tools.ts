import { z } from 'zod';
import { discardDraftOperation } from '../content/operations/discard-draft';
import { publishDocumentOperation } from '../content/operations/publish-document';
import { unpublishDocumentOperation } from '../content/operations/unpublish-document';
import type { CommonArgs, ContentOperation } from '../content/pipeline/content-call';
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

const outputSchema = {
  action: z.enum(['publish', 'unpublish', 'discard']),
  data: z.record(z.string(), z.unknown()).optional(),
  dryRun: z.boolean().optional(),
  confirmation: arg.confirmationResult,
  truncated: z.boolean().optional(),
  document: z.record(z.string(), z.unknown()).optional(),
};

const publicationTool = (
  name: string,
  title: string,
  operation: ContentOperation<CommonArgs, unknown>,
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
  handler: runContentTool(operation),
});

export const publishDocument = publicationTool(
  'publish_document',
  'Publish a document',
  publishDocumentOperation,
  'Publishes the current draft of a document (needs the publish right).',
  false,
);
export const unpublishDocument = publicationTool(
  'unpublish_document',
  'Unpublish a document',
  unpublishDocumentOperation,
  'Takes a document offline; its draft stays (needs the publish right; update conditions such as a lock apply too).',
  true,
);
export const discardDraft = publicationTool(
  'discard_draft',
  'Discard a draft',
  discardDraftOperation,
  'Throws away draft changes and goes back to the published version (needs the publish right).',
  true,
);

import { z } from 'zod';
import { getDocumentOperation } from '../content/operations/get-document';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableFor, runContentTool } from './run-content-tool';

const inputSchema = {
  contentType: arg.contentTypeArg,
  documentId: arg.documentIdArg,
  fields: arg.fieldsArg,
  populate: arg.populateArg,
  locale: arg.localeArg,
  status: arg.statusArg,
};

export const getDocument: McpToolDefinition<typeof inputSchema> = {
  name: 'get_document',
  title: 'Get a document',
  description:
    "Reads one document by documentId (or the single type's document when documentId is left out), as far as you may " +
    'read it.',
  inputSchema,
  outputSchema: { data: z.record(z.string(), z.unknown()) },
  annotations: arg.READ_ONLY,
  isAvailableTo: availableFor('read'),
  handler: runContentTool(getDocumentOperation),
};

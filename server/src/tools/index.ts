import type { McpToolDefinition } from '../extension/definitions';
import { countDocuments } from './count-documents';
import { createDocument } from './create-document';
import { deleteDocument } from './delete-document';
import { describeContentType } from './describe-content-type';
import { findDocuments } from './find-documents';
import { getDocument } from './get-document';
import { listContentTypes } from './list-content-types';
import { listMedia, uploadMedia } from './media-tools';
import { discardDraft, publishDocument, unpublishDocument } from './publication-tools';
import { searchDocuments } from './search-documents';
import { updateDocument } from './update-document';
import { whoami } from './whoami';

/** Tools that only read. */
export const readTools: McpToolDefinition[] = [
  whoami,
  listContentTypes,
  describeContentType,
  findDocuments,
  countDocuments,
  searchDocuments,
  getDocument,
  listMedia,
] as McpToolDefinition[];

/** Tools that change content; read-only mode does not offer them. */
export const mutationTools: McpToolDefinition[] = [
  createDocument,
  updateDocument,
  deleteDocument,
  publishDocument,
  unpublishDocument,
  discardDraft,
  uploadMedia,
] as McpToolDefinition[];

export const builtInTools: McpToolDefinition[] = [...readTools, ...mutationTools];

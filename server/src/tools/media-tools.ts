import { z } from 'zod';
import { listMediaOperation } from '../content/operations/list-media';
import { uploadMediaOperation } from '../content/operations/upload-media';
import type { McpToolDefinition } from '../extension/definitions';
import * as arg from './arguments';
import { availableForMedia, runContentTool } from './run-content-tool';

const listInput = {
  query: z.string().max(200).optional().describe('Text to find in file names and alternative texts.'),
  mime: z.string().max(100).optional().describe('A MIME type (image/png) or a prefix (image/).'),
  page: arg.pageArg,
  pageSize: arg.pageSizeArg,
};

export const listMedia: McpToolDefinition<typeof listInput> = {
  name: 'list_media',
  title: 'List media',
  description:
    'Lists files of the media library you may read, newest first, with their ids (for media fields) and URLs.',
  inputSchema: listInput,
  outputSchema: {
    data: z.array(z.record(z.string(), z.unknown())),
    meta: z.object({
      pagination: z.object({ page: z.number(), pageSize: z.number(), pageCount: z.number(), total: z.number() }),
    }),
  },
  annotations: arg.READ_ONLY,
  isAvailableTo: availableForMedia('read'),
  handler: runContentTool(listMediaOperation),
};

const uploadInput = {
  filename: z.string().min(1).max(255).describe('File name; it is sanitized and its extension fixed to the real type.'),
  base64: z.string().min(1).describe('The file content, base64-encoded.'),
  alternativeText: z.string().max(500).optional(),
  dryRun: arg.dryRunArg,
  confirmationToken: arg.confirmationTokenArg,
};

export const uploadMedia: McpToolDefinition<typeof uploadInput> = {
  name: 'upload_media',
  title: 'Upload media',
  description:
    'Uploads a file to the media library as you. Images (PNG, JPEG, GIF, WebP, AVIF) and PDF by default, 5 MB at most; ' +
    'the type is read from the bytes. Returns the file id to put in a media field.',
  inputSchema: uploadInput,
  outputSchema: {
    data: z.record(z.string(), z.unknown()).optional(),
    dryRun: z.boolean().optional(),
    confirmation: arg.confirmationResult,
    wouldUpload: z.record(z.string(), z.unknown()).optional(),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  isAvailableTo: availableForMedia('create'),
  handler: runContentTool(uploadMediaOperation),
};

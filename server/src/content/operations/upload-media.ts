import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { McpToolError, PolicyRefusal } from '../../errors';
import { ensureTenantFolder } from '../media-library';
import type { CommonArgs, ContentCall, ContentOperation, Doc } from '../pipeline/content-call';
import { SHOWN_FILE_FIELDS } from './list-media';

type UploadArgs = CommonArgs & { filename: string; base64: string; alternativeText?: string };

/** Uploads in progress per Strapi instance: in all, and per admin user. */
const inProgress = new WeakMap<Core.Strapi, { total: number; byUser: Map<number, number> }>();

/**
 * Holds an upload slot, of the caller and of the instance, until the returned release is called; refuses when none
 * is free (image processing takes the CPU: a few at a time).
 */
const takeUploadSlot = (call: ContentCall<UploadArgs>): (() => void) => {
  const counts = inProgress.get(call.strapi) ?? { total: 0, byUser: new Map<number, number>() };
  inProgress.set(call.strapi, counts);
  const userId = call.policy.caller.adminUser.id;
  const { maxConcurrentUploadsPerUser, maxConcurrentUploads } = call.config.media;
  const running = counts.byUser.get(userId) ?? 0;
  if (running >= maxConcurrentUploadsPerUser) {
    throw new PolicyRefusal(
      `you already have ${running} uploads in progress (at most ${maxConcurrentUploadsPerUser}); wait for one to finish`,
    );
  }
  if (counts.total >= maxConcurrentUploads) {
    throw new McpToolError(`the server is processing ${counts.total} uploads; retry in a moment`, undefined, 'failed');
  }
  counts.byUser.set(userId, running + 1);
  counts.total += 1;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    counts.total -= 1;
    counts.byUser.set(userId, (counts.byUser.get(userId) ?? 1) - 1);
  };
};

const described = (call: ContentCall<UploadArgs>) => {
  const file = call.file!;
  return {
    name: file.name,
    mime: file.mime,
    size: file.bytes.length,
    ...(file.width ? { width: file.width, height: file.height } : {}),
    alternativeText: call.args.alternativeText ?? null,
  };
};

/**
 * upload_media: a file into the media library as the caller, in its tenant's folder. Strapi's upload and image
 * processing run outside any database transaction; the audit row follows, and the file is removed if it cannot be
 * written.
 */
export const uploadMediaOperation: ContentOperation<UploadArgs, Doc> = {
  action: 'create',
  operation: 'create',
  subject: 'media-library',
  target: 'none',
  input: { file: true },
  runs: 'write-then-audit',
  preview: async (call) => ({ dryRun: true, wouldUpload: described(call) }),
  execute: async (call) => {
    const release = takeUploadSlot(call);
    const { adminUser, tenant } = call.policy.caller;
    const file = call.file!;
    const filepath = path.join(os.tmpdir(), `mcp-upload-${randomUUID()}`);
    try {
      const folder =
        call.policy.mediaTenant() !== null ? await ensureTenantFolder(call.strapi, tenant!, adminUser) : null;
      await fs.writeFile(filepath, file.bytes, { mode: 0o600 });
      const [uploaded] = (await call.strapi
        .plugin('upload')
        .service('upload')
        .upload(
          {
            data: {
              fileInfo: { name: file.name, alternativeText: call.args.alternativeText ?? null, folder: folder?.id },
            },
            files: { filepath, originalFilename: file.name, mimetype: file.mime, size: file.bytes.length },
          },
          { user: adminUser },
        )) as Doc[];
      call.audit.note({ documentId: (uploaded?.documentId as string) ?? null });
      return uploaded;
    } finally {
      release();
      await fs.rm(filepath, { force: true });
    }
  },
  undo: async (call, uploaded) => {
    await call.strapi.plugin('upload').service('upload').remove(uploaded);
  },
  shape: (_call, file) => ({
    data: Object.fromEntries(SHOWN_FILE_FIELDS.filter((key) => key in file).map((key) => [key, file[key]])),
  }),
};

import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import type { CallScope } from './call-scope';
import { and } from './filters';
import { MEDIA_FIELDS } from './populate';
import { commitWithAudit } from './write-support';

const FILE_UID = 'plugin::upload.file';
const SHOWN_FIELDS = ['id', 'documentId', ...MEDIA_FIELDS, 'createdAt'];

/** File signatures: the type is read from the bytes, never taken from the caller's name or claim. */
const SIGNATURES: Array<{ mime: string; extensions: string[]; matches: (bytes: Buffer) => boolean }> = [
  {
    mime: 'image/png',
    extensions: ['png'],
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mime: 'image/jpeg', extensions: ['jpg', 'jpeg'], matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/gif',
    extensions: ['gif'],
    matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')),
  },
  {
    mime: 'image/webp',
    extensions: ['webp'],
    matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  { mime: 'image/avif', extensions: ['avif'], matches: (b) => b.subarray(4, 12).toString('latin1') === 'ftypavif' },
  { mime: 'application/pdf', extensions: ['pdf'], matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  {
    mime: 'image/svg+xml',
    extensions: ['svg'],
    matches: (b) => /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(b.subarray(0, 1024).toString('utf8')),
  },
];

export const sniffMimeType = (bytes: Buffer) => SIGNATURES.find((signature) => signature.matches(bytes));

/** A file name safe to store and serve: no path, no control or shell characters, bounded length. */
export const sanitizeFileName = (name: string): string => {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFKC');
  const cleaned = base
    .split('')
    .filter((character) => character.charCodeAt(0) > 0x1f && character.charCodeAt(0) !== 0x7f)
    .join('')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '-')
    .replace(/^[.\s-]+/, '')
    .trim();
  const extension = path.extname(cleaned).toLowerCase();
  const stem = cleaned.slice(0, cleaned.length - extension.length).slice(0, 100) || 'file';
  return `${stem}${extension}`;
};

const decodeBase64 = (value: string): Buffer => {
  const compact = value.replace(/^data:[^;,]+;base64,/, '').replace(/\s+/g, '');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    throw new McpToolError('base64 is not valid base64');
  return Buffer.from(compact, 'base64');
};

const requireMediaRole = (scope: CallScope, operation: 'read' | 'create') => {
  if (scope.policy.typesFor(operation).length === 0) {
    throw new PolicyRefusal(
      `role ${scope.policy.role ?? 'none'} may not ${operation === 'read' ? 'list' : 'upload'} media`,
    );
  }
};

export const listMedia = async (
  scope: CallScope,
  args: { query?: string; mime?: string; page?: number; pageSize?: number },
) => {
  requireMediaRole(scope, 'read');
  const condition = await scope.policy.requireAdminAction(
    'plugin::upload.read',
    FILE_UID,
    'your Strapi admin role may not read the media library',
  );
  const { defaultPageSize, maxPageSize } = scope.config.limits;
  const page = args.page ?? 1;
  const pageSize = args.pageSize ?? defaultPageSize;
  if (pageSize > maxPageSize) throw new McpToolError(`pageSize must be between 1 and ${maxPageSize}`);
  const where =
    and([
      args.query
        ? { $or: [{ name: { $containsi: args.query } }, { alternativeText: { $containsi: args.query } }] }
        : undefined,
      args.mime
        ? { mime: args.mime.endsWith('/') || !args.mime.includes('/') ? { $startsWith: args.mime } : args.mime }
        : undefined,
      condition,
    ]) ?? {};
  scope.audit.note({ contentType: FILE_UID, action: 'read', appliedFilters: where });
  const files = scope.strapi.db.query(FILE_UID);
  const [results, total] = await Promise.all([
    files.findMany({
      where,
      select: SHOWN_FIELDS,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      offset: (page - 1) * pageSize,
      limit: pageSize,
    }),
    files.count({ where }),
  ]);
  return { data: results, meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } } };
};

export const uploadMedia = async (
  scope: CallScope,
  args: { filename: string; base64: string; alternativeText?: string; dryRun?: boolean },
) => {
  requireMediaRole(scope, 'create');
  await scope.policy.requireAdminAction(
    'plugin::upload.assets.create',
    FILE_UID,
    'your Strapi admin role may not upload to the media library',
  );
  scope.audit.note({ contentType: FILE_UID, action: 'create' });
  const { maxBytes, allowedMimeTypes } = scope.config.media;
  // Reject before decoding when the text alone proves the file is too big.
  if (Math.floor((args.base64.length * 3) / 4) > maxBytes + 3)
    throw new McpToolError(`the file exceeds the ${maxBytes}-byte limit`);
  const bytes = decodeBase64(args.base64);
  if (bytes.length > maxBytes) throw new McpToolError(`the file exceeds the ${maxBytes}-byte limit`);
  const sniffed = sniffMimeType(bytes);
  if (!sniffed || !allowedMimeTypes.includes(sniffed.mime)) {
    throw new PolicyRefusal(
      `this file type is not allowed${sniffed ? ` (${sniffed.mime})` : ''}; allowed: ${allowedMimeTypes.join(', ')}`,
    );
  }
  let name = sanitizeFileName(args.filename);
  const extension = path.extname(name).slice(1).toLowerCase();
  if (!sniffed.extensions.includes(extension))
    name = `${name.slice(0, name.length - path.extname(name).length)}.${sniffed.extensions[0]}`;
  const described = { name, mime: sniffed.mime, size: bytes.length, alternativeText: args.alternativeText ?? null };
  if (args.dryRun) return { dryRun: true, wouldUpload: described };

  const filepath = path.join(os.tmpdir(), `mcp-upload-${randomUUID()}`);
  await fs.writeFile(filepath, bytes, { mode: 0o600 });
  try {
    const [file] = (await commitWithAudit(scope, async () => {
      const uploaded = await scope.strapi
        .plugin('upload')
        .service('upload')
        .upload(
          {
            data: { fileInfo: { name, alternativeText: args.alternativeText ?? null } },
            files: { filepath, originalFilename: name, mimetype: sniffed.mime, size: bytes.length },
          },
          { user: scope.policy.caller.adminUser },
        );
      scope.audit.note({ documentId: uploaded[0]?.documentId ?? null });
      return uploaded;
    })) as Array<Record<string, unknown>>;
    return { data: Object.fromEntries(SHOWN_FIELDS.filter((key) => key in file).map((key) => [key, file[key]])) };
  } finally {
    await fs.rm(filepath, { force: true });
  }
};

import { and } from '../filters';
import type { QueryArgs } from '../guards/query-input';
import { FILE_UID } from '../media-library';
import type { ContentOperation, Doc } from '../pipeline/content-call';
import { MEDIA_FIELDS } from '../guards/populate';

type ListMediaArgs = QueryArgs & { query?: string; mime?: string };

export const SHOWN_FILE_FIELDS = ['id', 'documentId', ...MEDIA_FIELDS, 'createdAt'];

/** list_media: the files of the media library the caller may see (its tenant's), newest first. */
export const listMediaOperation: ContentOperation<ListMediaArgs, { files: Doc[]; total: number }> = {
  action: 'read',
  operation: 'read',
  subject: 'media-library',
  target: 'none',
  input: { query: ['page'] },
  runs: 'read',
  execute: async (call) => {
    const { query, mime } = call.args;
    const where =
      and([
        query ? { $or: [{ name: { $containsi: query } }, { alternativeText: { $containsi: query } }] } : undefined,
        mime ? { mime: mime.endsWith('/') || !mime.includes('/') ? { $startsWith: mime } : mime } : undefined,
        ...call.scope,
      ]) ?? {};
    call.audit.note({ appliedFilters: where });
    const { start, limit } = call.query!.page!;
    const files = call.strapi.db.query(FILE_UID);
    const [found, total] = await Promise.all([
      files.findMany({
        where,
        select: SHOWN_FILE_FIELDS,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        offset: start,
        limit,
      }),
      files.count({ where }),
    ]);
    return { files: found as Doc[], total: total as number };
  },
  shape: (call, { files, total }) => {
    const { page, pageSize } = call.query!.page!;
    return { data: files, meta: { pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total } } };
  },
};

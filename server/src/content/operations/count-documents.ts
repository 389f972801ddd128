import type { QueryArgs } from '../guards/query-input';
import { type ContentOperation, typeOf } from '../pipeline/content-call';

/** count_documents: how many documents the caller may read match its filters. */
export const countDocumentsOperation: ContentOperation<QueryArgs, number> = {
  action: 'read',
  operation: 'read',
  locales: 'any',
  target: 'none',
  input: { query: ['filters'] },
  runs: 'read',
  execute: async (call) =>
    (await call.strapi.documents(typeOf(call).uid as never).count({
      filters: call.query!.filters,
      locale: call.locale,
      status: call.status,
    } as never)) as number,
  shape: (call, count) => ({ contentType: typeOf(call).uid, count }),
};

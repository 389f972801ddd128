import { and, type Filter } from '../filters';
import { fitToBudget, shapeDocument } from '../guards/output';
import type { QueryArgs } from '../guards/query-input';
import { type ContentCall, type Doc, typeOf } from '../pipeline/content-call';
import { refuseOversizedPopulates } from './populated-sizes';

export interface Page {
  documents: Doc[];
  total: number;
}

/** One page of documents and the total, through the call's checked query (scope included), plus an extra filter. */
export const readPage = async (call: ContentCall<QueryArgs>, extraFilter?: Filter): Promise<Page> => {
  const type = typeOf(call);
  const query = call.query!;
  const filters = and([query.filters, extraFilter]);
  if (extraFilter) call.audit.note({ appliedFilters: filters });
  const { locale, status } = call;
  const page = { filters, sort: query.sort, locale, status, start: query.page!.start, limit: query.page!.limit };
  await refuseOversizedPopulates(call, query.populate, page, false);
  const documents = call.strapi.documents(type.uid as never);
  const [found, total] = await Promise.all([
    documents.findMany({
      filters,
      sort: query.sort,
      fields: query.fields,
      populate: query.populate?.spec,
      locale,
      status,
      start: query.page!.start,
      limit: query.page!.limit,
    } as never),
    documents.count({ filters, locale, status } as never),
  ]);
  return { documents: found as Doc[], total: total as number };
};

/** A page as the caller may see it, cut at whole documents to the response budget. */
export const shapePage = async (call: ContentCall<QueryArgs>, { documents, total }: Page, meta: Doc = {}) => {
  const view = await call.view();
  const { uid } = typeOf(call);
  const { page, pageSize } = call.query!.page!;
  const shaped = documents.map((document) => shapeDocument(view, uid, document, call.query!.populate));
  const { items, truncated } = fitToBudget(shaped, call.config.limits.maxResponseBytes);
  return {
    data: items,
    meta: {
      pagination: { page, pageSize, pageCount: Math.ceil(total / pageSize), total },
      ...(truncated ? { truncated: true, returned: items.length } : {}),
      ...meta,
    },
  };
};

import type { QueryArgs } from '../guards/query-input';
import type { ContentOperation } from '../pipeline/content-call';
import { type Page, readPage, shapePage } from './list-page';

/**
 * find_documents: a page of documents the caller may read, with its filters, sort, fields and populate; by page
 * number or by cursor, counted only on request.
 */
export const findDocumentsOperation: ContentOperation<QueryArgs, Page> = {
  action: 'read',
  operation: 'read',
  locales: 'any',
  target: 'none',
  input: { query: ['filters', 'sort', 'fields', 'populate', 'page', 'cursor'] },
  runs: 'read',
  execute: (call) => readPage(call),
  shape: (call, page) => shapePage(call, page),
};

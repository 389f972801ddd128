import { McpToolError } from '../../errors';
import type { QueryArgs } from '../guards/query-input';
import { type ContentOperation, typeName, typeOf } from '../pipeline/content-call';
import { searchableFields, searchFilter } from '../search/search-filter';
import { type Page, readPage, shapePage } from './list-page';

type SearchArgs = QueryArgs & { query: string };

/**
 * search_documents: case-insensitive "contains" over the text and blocks fields the caller may read (never Strapi's
 * `_q`, which also reads private columns), paged like find_documents. docs/search.md says how, and what it costs.
 */
export const searchDocumentsOperation: ContentOperation<SearchArgs, Page & { fields: string[] }> = {
  action: 'read',
  operation: 'read',
  locales: 'any',
  target: 'none',
  // The search takes no caller filters: `filters` here is the scope alone; `populate` the default references.
  input: { query: ['filters', 'populate', 'page'] },
  runs: 'read',
  execute: async (call) => {
    const type = typeOf(call);
    const fields = searchableFields(call.strapi, type, (await call.view()).readable(type.uid) ?? new Set());
    if (fields.length === 0) throw new McpToolError(`${typeName(type)} has no text field you may search`);
    const text = call.args.query.trim();
    if (text.length === 0) throw new McpToolError('query must not be empty');
    const page = await readPage(call, searchFilter(call.strapi, type, fields, text));
    return { ...page, fields };
  },
  shape: (call, { fields, ...page }) => shapePage(call, page, { searchedFields: fields }),
};

import { McpToolError } from '../../errors';
import { isScalar, TEXT_TYPES } from '../../services/policy/fields';
import type { QueryArgs } from '../guards/query-input';
import { type ContentCall, type ContentOperation, typeName, typeOf } from '../pipeline/content-call';
import { type Page, readPage, shapePage } from './list-page';

type SearchArgs = QueryArgs & { query: string };

/** The text fields the caller may read: what search looks in (never Strapi's `_q`, which also reads private columns). */
const searchedFields = async (call: ContentCall<SearchArgs>) => {
  const type = typeOf(call);
  const readable = (await call.view()).readable(type.uid) ?? new Set<string>();
  return [...readable].filter(
    (field) => isScalar(type.attributes[field]) && TEXT_TYPES.has(type.attributes[field].type),
  );
};

/** search_documents: case-insensitive "contains" over the readable text fields, paged like find_documents. */
export const searchDocumentsOperation: ContentOperation<SearchArgs, Page & { fields: string[] }> = {
  action: 'read',
  operation: 'read',
  locales: 'any',
  target: 'none',
  // The search takes no caller filters: `filters` here is the scope alone; `populate` the default references.
  input: { query: ['filters', 'populate', 'page'] },
  runs: 'read',
  execute: async (call) => {
    const fields = await searchedFields(call);
    if (fields.length === 0) throw new McpToolError(`${typeName(typeOf(call))} has no text field you may search`);
    const text = call.args.query.trim();
    if (text.length === 0) throw new McpToolError('query must not be empty');
    const page = await readPage(call, { $or: fields.map((field) => ({ [field]: { $containsi: text } })) });
    return { ...page, fields };
  },
  shape: (call, { fields, ...page }) => shapePage(call, page, { searchedFields: fields }),
};

import type { Core } from '@strapi/strapi';
import type { TypePolicy } from '../../services/policy';
import { isScalar, TEXT_TYPES } from '../../services/policy/fields';
import type { Filter } from '../filters';
import { blocksTextFilter, canSearchBlocks } from './blocks-text';

const isBlocks = (type: TypePolicy, field: string) => type.attributes[field]?.type === 'blocks';
const isText = (type: TypePolicy, field: string) =>
  isScalar(type.attributes[field]) && TEXT_TYPES.has(type.attributes[field].type);

/**
 * The fields search looks in: of the fields the caller may read, the text ones (string, text, rich text, email, uid)
 * and, where the database can read their text nodes, the blocks ones. A field the caller may not read is never
 * searched, so it never decides which documents match.
 */
export const searchableFields = (strapi: Core.Strapi, type: TypePolicy, readable: ReadonlySet<string>): string[] => {
  const blocks = canSearchBlocks(strapi);
  return [...readable].filter((field) => isText(type, field) || (blocks && isBlocks(type, field)));
};

/** Documents where one of `fields` contains `text`, ignoring case; wildcard characters in `text` are literal. */
export const searchFilter = (strapi: Core.Strapi, type: TypePolicy, fields: string[], text: string): Filter => ({
  $or: fields.map((field) =>
    isBlocks(type, field) ? blocksTextFilter(strapi, type.uid, field, text) : { [field]: { $containsi: text } },
  ),
});

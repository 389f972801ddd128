import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import type { CompiledPolicy, TypePolicy } from '../policy';
import { isExposable, TEXT_TYPES } from '../policy/fields';

/** Every index the plugin creates is named with this prefix, and `revert` drops exactly the indexes named with it. */
export const INDEX_PREFIX = 'mcp_ix_';
/** PostgreSQL's identifier length. */
const MAX_NAME_LENGTH = 63;

/** One index that makes a read of an exposed type stop scanning its table (PostgreSQL). */
export interface RecommendedIndex {
  name: string;
  /** The content type it serves. */
  uid: string;
  table: string;
  /** `trigram`: search in one field; `tenant`: lists, counts and searches of one tenant. */
  kind: 'trigram' | 'tenant';
  /** The searched field (trigram) or the tenant field. */
  field: string;
  /** The statement that creates it; without blocking writes to the table. */
  createSql: string;
}

type Metadata = { tableName: string; attributes: Record<string, { columnName?: string }> };

/** `mcp_ix_<table>_<what>`, cut with a hash of the whole name when longer than PostgreSQL keeps. */
export const indexName = (table: string, what: string) => {
  const name = `${INDEX_PREFIX}${table}_${what}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_NAME_LENGTH - hash.length - 1)}_${hash}`;
};

/**
 * The indexes that serve the reads of one exposed collection type:
 * - per field search may look in (a text, rich-text or blocks field that can ever be shown), a trigram index on the
 *   expression Strapi's `$containsi` writes for it, `LOWER(CAST(<column> AS VARCHAR))` (the same for the stored JSON
 *   of a blocks field, which content/search/blocks-text.ts narrows with): PostgreSQL uses an index only for the exact
 *   expression of the query;
 * - for a tenant-aware type, a btree leading with the tenant column, then what Strapi adds to every query of the type
 *   (locale, publication state), then the id it sorts by by default.
 * A single type has one document per locale: nothing to index.
 */
const indexesOf = (strapi: Core.Strapi, policy: CompiledPolicy, type: TypePolicy): RecommendedIndex[] => {
  if (type.isSingleType) return [];
  const knex = strapi.db.connection;
  const meta = strapi.db.metadata.get(type.uid) as unknown as Metadata;
  const schema = strapi.db.getSchemaName();
  const table = schema ? `${schema}.${meta.tableName}` : meta.tableName;
  const column = (field: string) => meta.attributes[field]?.columnName ?? field;
  const indexes: RecommendedIndex[] = [];
  for (const [field, attribute] of Object.entries(type.attributes)) {
    const searched = TEXT_TYPES.has(attribute.type) || attribute.type === 'blocks';
    if (!searched || !isExposable(policy, field, attribute)) continue;
    const name = indexName(meta.tableName, `${column(field)}_trgm`);
    const createSql = knex
      .raw('CREATE INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? USING gin ((LOWER(CAST(?? AS VARCHAR))) gin_trgm_ops)', [
        name,
        table,
        column(field),
      ])
      .toString();
    indexes.push({ name, uid: type.uid, table: meta.tableName, kind: 'trigram', field, createSql });
  }
  if (type.tenantField) {
    const columns = [
      column(type.tenantField),
      ...(type.isLocalized ? [column('locale')] : []),
      ...(type.hasDraftAndPublish ? [column('publishedAt')] : []),
      column('id'),
    ];
    const name = indexName(meta.tableName, 'tenant');
    const createSql = knex
      .raw(`CREATE INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? (${columns.map(() => '??').join(', ')})`, [
        name,
        table,
        ...columns,
      ])
      .toString();
    indexes.push({ name, uid: type.uid, table: meta.tableName, kind: 'tenant', field: type.tenantField, createSql });
  }
  return indexes;
};

/** The recommended indexes of every exposed type. */
export const recommendedIndexes = (strapi: Core.Strapi, policy: CompiledPolicy): RecommendedIndex[] =>
  [...policy.types.values()].flatMap((type) => indexesOf(strapi, policy, type));

import type { Core } from '@strapi/strapi';
import { getService } from '../get-service';
import { INDEX_PREFIX, recommendedIndexes, type RecommendedIndex } from './recommended-indexes';

/**
 * The database indexes that keep search and tenant-scoped lists from reading whole tables (docs/search.md): which
 * exist, creating the missing ones, and dropping exactly those the plugin created (their names start with
 * `mcp_ix_`). PostgreSQL only: on SQLite none is recommended (search reads the rows in scope; docs/search.md says
 * what that costs), and other databases are not looked at.
 */

export interface IndexState extends RecommendedIndex {
  present: boolean;
}

export interface IndexReport {
  database: string;
  /** Whether this database gets recommended indexes at all (PostgreSQL). */
  supported: boolean;
  /** pg_trgm, which trigram indexes need: installed, available to install, or not on this server. */
  trigramExtension: 'installed' | 'available' | 'unavailable' | null;
  /** Per exposed type, its recommended indexes, each present or missing. */
  types: Array<{ uid: string; present: IndexState[]; missing: IndexState[] }>;
}

const isTrigram = (index: RecommendedIndex) => index.kind === 'trigram';
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

const createIndexesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const database = () => (strapi.db as unknown as { dialect: { client: string } }).dialect.client;
  const schema = () => strapi.db.getSchemaName() ?? null;
  const qualified = (name: string) => (schema() ? `${quoted(schema()!)}.${quoted(name)}` : quoted(name));
  const dropIndex = (name: string) => knex().raw(`DROP INDEX CONCURRENTLY IF EXISTS ${qualified(name)}`);

  /** The plugin's indexes in Strapi's schema, each with whether it is usable (a failed concurrent build is not). */
  const existingIndexes = async (): Promise<Map<string, boolean>> => {
    const { rows } = (await knex().raw(
      `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i
       JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = COALESCE(?, current_schema()) AND starts_with(c.relname, ?)`,
      [schema(), INDEX_PREFIX],
    )) as { rows: Array<{ name: string; valid: boolean }> };
    return new Map(rows.map((row) => [row.name, row.valid]));
  };

  const trigramExtension = async (): Promise<IndexReport['trigramExtension']> => {
    const { rows } = (await knex().raw(
      "SELECT installed_version FROM pg_available_extensions WHERE name = 'pg_trgm'",
    )) as { rows: Array<{ installed_version: string | null }> };
    if (rows.length === 0) return 'unavailable';
    return rows[0].installed_version ? 'installed' : 'available';
  };

  const check = async (): Promise<IndexReport> => {
    if (database() !== 'postgres') {
      return { database: database(), supported: false, trigramExtension: null, types: [] };
    }
    const existing = await existingIndexes();
    const byType = new Map<string, IndexReport['types'][number]>();
    for (const index of recommendedIndexes(strapi, getService(strapi, 'policy').compiled())) {
      const entry = byType.get(index.uid) ?? { uid: index.uid, present: [], missing: [] };
      const state = { ...index, present: existing.get(index.name) === true };
      (state.present ? entry.present : entry.missing).push(state);
      byType.set(index.uid, entry);
    }
    return {
      database: 'postgres',
      supported: true,
      trigramExtension: await trigramExtension(),
      types: [...byType.values()],
    };
  };

  return {
    check,

    /**
     * Creates the missing recommended indexes, one at a time and without blocking writes (CREATE INDEX
     * CONCURRENTLY), pg_trgm first if needed; a leftover of a failed build is dropped and built again. An index that
     * cannot be created is reported, not thrown: the others are still created.
     */
    async apply() {
      const before = await check();
      const missing = before.types.flatMap((type) => type.missing);
      const created: string[] = [];
      const failed: Array<{ name: string; reason: string }> = [];
      let extensionProblem: string | undefined;
      if (missing.some(isTrigram) && before.trigramExtension !== 'installed') {
        try {
          await knex().raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
        } catch (error) {
          extensionProblem = `pg_trgm is not installed and could not be: ${(error as Error).message}`;
        }
      }
      const existing = missing.length > 0 ? await existingIndexes() : new Map<string, boolean>();
      for (const index of missing) {
        if (isTrigram(index) && extensionProblem) {
          failed.push({ name: index.name, reason: extensionProblem });
          continue;
        }
        try {
          if (existing.has(index.name)) await dropIndex(index.name);
          await knex().raw(index.createSql);
          created.push(index.name);
        } catch (error) {
          failed.push({ name: index.name, reason: (error as Error).message });
        }
      }
      return { ...(await check()), created, failed };
    },

    /** Drops every index named with the plugin's prefix in Strapi's schema, and nothing else. */
    async revert() {
      if (database() !== 'postgres') return { database: database(), dropped: [] as string[] };
      const dropped: string[] = [];
      for (const name of (await existingIndexes()).keys()) {
        await dropIndex(name);
        dropped.push(name);
      }
      return { database: 'postgres', dropped };
    },
  };
};

export default createIndexesService;
export type IndexesService = ReturnType<typeof createIndexesService>;

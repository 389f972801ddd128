/**
 * The indexes service (docs/search.md): on PostgreSQL, `check` names the trigram indexes search needs and the
 * tenant btree per exposed type, `apply` creates them (and PostgreSQL really uses them for the SQL Strapi writes),
 * `revert` drops exactly those; the boot says what each missing index would gain (`indexes: 'check'`) or creates
 * them (`'apply'`). On SQLite none is recommended, and the boot says nothing about indexes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexReport } from '../../server/src/services/indexes';
import { dataOf } from '../helpers/list-results';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE } from '../helpers/results';
import { bootTestApp, type LogEntry, type TestApp } from '../helpers/test-app';

const onPostgres = process.env.DATABASE_CLIENT === 'postgres';

interface IndexesService {
  check(): Promise<IndexReport>;
  apply(): Promise<IndexReport & { created: string[]; failed: Array<{ name: string; reason: string }> }>;
  revert(): Promise<{ database: string; dropped: string[] }>;
}

/** What `check` recommends for the playground's exposed types (homepage is a single type: nothing). */
const ARTICLE_INDEXES = [
  'mcp_ix_articles_body_trgm',
  'mcp_ix_articles_review_notes_trgm',
  'mcp_ix_articles_slug_trgm',
  'mcp_ix_articles_tenant',
  'mcp_ix_articles_tenant_id_trgm',
  'mcp_ix_articles_title_trgm',
];
const CATEGORY_INDEXES = [
  'mcp_ix_categories_description_trgm',
  'mcp_ix_categories_name_trgm',
  'mcp_ix_categories_slug_trgm',
];
const ALL_INDEXES = [...ARTICLE_INDEXES, ...CATEGORY_INDEXES].sort();

let app: TestApp;
let reader: ConnectedClient;
const logs: LogEntry[] = [];
const indexes = () => app.strapi.plugin('mcp-server').service('indexes') as IndexesService;
const names = (report: IndexReport, which: 'present' | 'missing') =>
  report.types.flatMap((type) => type[which].map((index) => index.name)).sort();

/** Every index of the database's schema, by name: what `revert` must leave alone. */
const schemaIndexes = async (): Promise<string[]> =>
  (
    (await app.strapi.db.connection.raw('SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()')) as {
      rows: Array<{ indexname: string }>;
    }
  ).rows
    .map((row) => row.indexname)
    .sort();

beforeAll(async () => {
  app = await bootTestApp({ onLog: (entry) => logs.push(entry) });
  reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
});
afterAll(async () => {
  await reader?.close();
  await app?.close();
});

describe.skipIf(onPostgres)('SQLite', () => {
  it('recommends no index, so the boot says nothing about indexes and apply and revert change nothing', async () => {
    expect(await indexes().check()).toEqual({
      database: 'sqlite',
      supported: false,
      trigramExtension: null,
      types: [],
    });
    expect((await indexes().apply()).created).toEqual([]);
    expect((await indexes().revert()).dropped).toEqual([]);
    expect(logs.filter((entry) => entry.message.startsWith('[mcp-server]') && /index/.test(entry.message))).toEqual([]);
  });
});

describe.skipIf(!onPostgres)('PostgreSQL', () => {
  it('check names, per exposed type, the trigram index of every field search may look in and the tenant btree', async () => {
    const report = await indexes().check();
    expect(report).toMatchObject({ database: 'postgres', supported: true });
    expect(names(report, 'present')).toEqual([]);
    expect(names(report, 'missing')).toEqual(ALL_INDEXES);
    const article = report.types.find((type) => type.uid === ARTICLE)!;
    // The private internalNotes is never searched: no index for it.
    expect(article.missing.map((index) => index.field).sort()).toEqual(
      ['body', 'reviewNotes', 'slug', 'tenantId', 'tenantId', 'title'].sort(),
    );
    const tenant = article.missing.find((index) => index.kind === 'tenant')!;
    expect(tenant.createSql).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS "mcp_ix_articles_tenant" ON "public"."articles" ("tenant_id", "published_at", "id")',
    );
    const title = article.missing.find((index) => index.field === 'title')!;
    // The expression Strapi's $containsi writes: LOWER(CAST("t0"."title" AS VARCHAR)).
    expect(title.createSql).toBe(
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS "mcp_ix_articles_title_trgm" ON "public"."articles" USING gin ((LOWER(CAST("title" AS VARCHAR))) gin_trgm_ops)',
    );
  });

  it("the boot in 'check' mode said, for each missing index, what it would gain", () => {
    const lines = logs.filter((entry) => entry.message.includes("indexes: 'apply'")).map((entry) => entry.message);
    expect(lines).toHaveLength(ALL_INDEXES.length);
    expect(lines).toContain(
      "[mcp-server] search_documents on api::article.article reads every row in the caller's scope to look in body: " +
        "no trigram index on it; indexes: 'apply' (or the SQL in docs/search.md) adds mcp_ix_articles_body_trgm",
    );
    expect(lines).toContain(
      '[mcp-server] lists, counts and searches of api::article.article for one tenant read the whole articles table: ' +
        "no index leads with tenantId; indexes: 'apply' (or the SQL in docs/search.md) adds mcp_ix_articles_tenant",
    );
  });

  it('apply creates every missing index, and then check finds them all', async () => {
    const applied = await indexes().apply();
    expect(applied.failed).toEqual([]);
    expect([...applied.created].sort()).toEqual(ALL_INDEXES);
    expect(names(applied, 'present')).toEqual(ALL_INDEXES);
    expect(names(await indexes().check(), 'missing')).toEqual([]);
    // Applying again has nothing to do.
    expect((await indexes().apply()).created).toEqual([]);
  });

  it('PostgreSQL can serve the SQL Strapi writes for a search and a tenant count from them', async () => {
    const queries: Array<{ sql: string; bindings: unknown[] }> = [];
    let searched: string[] = [];
    const record = (query: { sql: string; bindings: unknown[] }) => queries.push(query);
    const knex = app.strapi.db.connection;
    knex.on('query', record);
    try {
      const found = await reader.callTool('search_documents', { contentType: 'article', query: 'playground' });
      expect(dataOf(found).length).toBeGreaterThan(0);
      searched = (found.structuredContent as { meta: { searchedFields: string[] } }).meta.searchedFields;
      await reader.callTool('count_documents', { contentType: 'article' });
    } finally {
      knex.removeListener('query', record);
    }
    // Lists count nothing unless asked: the search is one select of a page, the tenant count one count.
    const searchQuery = queries.find(
      (query) => /^select .* from "public"\."articles"/.test(query.sql) && /like/i.test(query.sql),
    );
    const countQuery = queries.find((query) => /select count\(.* from "public"\."articles"/.test(query.sql));
    expect(searchQuery).toBeDefined();
    expect(countQuery).toBeDefined();
    const onArticles = [searchQuery!, countQuery!];
    const connection = (await knex.client.acquireConnection()) as {
      query(sql: string, values?: unknown[]): Promise<{ rows: Array<Record<string, string>> }>;
    };
    const plan = async ({ sql, bindings }: { sql: string; bindings: unknown[] }) =>
      (await connection.query(`EXPLAIN ${sql}`, bindings)).rows.map((row) => row['QUERY PLAN']).join('\n');
    try {
      // The tables are tiny: sequential scans are forbidden to see whether the indexes can serve the query at all.
      await connection.query('BEGIN');
      await connection.query('SET LOCAL enable_seqscan = off');
      const countPlan = await plan(onArticles[1]);
      expect(countPlan).toContain('mcp_ix_articles_tenant');
      expect(countPlan).not.toContain('Seq Scan');
      // With every other index of the table out of the way (dropped in this transaction, rolled back) and no plain
      // index scan, only a bitmap over the trigram indexes avoids reading the table: possible only if each arm of the
      // search's OR, the blocks one included, is the exact expression one of them indexes.
      await connection.query('SET LOCAL enable_indexscan = off');
      const { rows } = await connection.query(
        "SELECT indexname FROM pg_indexes WHERE tablename = 'articles' AND indexname NOT LIKE '%_trgm' AND indexname <> 'articles_pkey'",
      );
      for (const { indexname } of rows) await connection.query(`DROP INDEX "${indexname}"`);
      const searchPlan = await plan(onArticles[0]);
      // A Reader searches title, slug, body and tenantId (not reviewNotes).
      expect([...searched].sort()).toEqual(['body', 'slug', 'tenantId', 'title']);
      for (const column of ['title', 'slug', 'body', 'tenant_id']) {
        expect(searchPlan, column).toContain(`Bitmap Index Scan on mcp_ix_articles_${column}_trgm`);
      }
      expect(searchPlan).toContain('BitmapOr');
      expect(searchPlan).not.toContain('Seq Scan');
    } finally {
      await connection.query('ROLLBACK');
      await knex.client.releaseConnection(connection);
    }
  });

  it("revert drops exactly the plugin's indexes: Strapi's own (mcp_audit_logs_* included) and others stay", async () => {
    await app.strapi.db.connection.raw('CREATE INDEX "articles_kept_by_the_operator" ON "articles" ("title")');
    const before = await schemaIndexes();
    expect(before).toEqual(expect.arrayContaining([...ALL_INDEXES, 'articles_kept_by_the_operator']));
    expect(before.some((name) => name.startsWith('mcp_audit_logs'))).toBe(true);
    const { dropped } = await indexes().revert();
    expect([...dropped].sort()).toEqual(ALL_INDEXES);
    expect(await schemaIndexes()).toEqual(before.filter((name) => !ALL_INDEXES.includes(name)));
    expect(names(await indexes().check(), 'missing')).toEqual(ALL_INDEXES);
  });

  it("the boot in 'apply' mode creates the missing indexes and says so", async () => {
    // One Strapi per process at a time.
    await reader.close();
    await app.close();
    const applyLogs: LogEntry[] = [];
    const applying = await bootTestApp({ pluginConfig: { indexes: 'apply' }, onLog: (entry) => applyLogs.push(entry) });
    try {
      const report = (await applying.strapi.plugin('mcp-server').service('indexes').check()) as IndexReport;
      expect(names(report, 'present')).toEqual(ALL_INDEXES);
      const created = applyLogs.filter((entry) => entry.message.startsWith('[mcp-server] created the index'));
      expect(created).toHaveLength(ALL_INDEXES.length);
      expect(applyLogs.map((entry) => entry.message)).toContain(
        `[mcp-server] creating ${ALL_INDEXES.length} recommended indexes (indexes: 'apply'); the boot waits`,
      );
      expect(applyLogs.filter((entry) => entry.message.includes('reads every row'))).toEqual([]);
    } finally {
      await applying.close();
    }
  });
});

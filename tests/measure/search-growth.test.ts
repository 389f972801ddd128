/**
 * Not a test: the measurement behind docs/search.md. Skipped unless MCP_MEASURE_SEARCH=1.
 *   MCP_MEASURE_SEARCH=1 DATABASE_CLIENT=postgres npx vitest run tests/measure/search-growth.test.ts
 * Boots the playground on a throwaway database (dropped at the end), bulk-inserts MCP_MEASURE_ARTICLES articles
 * (default 50,000; a draft and a published row each) over ten tenants, then times search, a tenant-scoped list and
 * a count through the MCP tools (median of 15 calls), and on PostgreSQL the SQL Strapi writes for them (EXPLAIN
 * ANALYZE, median of 5), before and after `indexes.apply()`. It prints; it asserts nothing about time.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { totalOf } from '../helpers/list-results';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const enabled = process.env.MCP_MEASURE_SEARCH === '1';
const onPostgres = process.env.DATABASE_CLIENT === 'postgres';
const ARTICLES = Number(process.env.MCP_MEASURE_ARTICLES ?? 50_000);
const TENANTS = 10;
const CALLS = 15;

// A deterministic text generator: 5,000 made-up words drawn with a skewed (Zipf-like) frequency, like prose.
let seed = 7;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const SYLLABLES = 'ka lo mi ne ra tu ve si do pa ri mo le na ti ba co fe gi hu ja ke lu ma no pe qu ro sa te'.split(
  ' ',
);
const VOCABULARY = Array.from({ length: 5000 }, (_, index) => {
  let word = '';
  for (let k = 0, x = index * 7919 + 13; k < 2 + (index % 3); k += 1, x = Math.floor(x / 30) + k * 31) {
    word += SYLLABLES[x % SYLLABLES.length];
  }
  return word;
});
const word = () => VOCABULARY[Math.floor(random() ** 2.5 * VOCABULARY.length)];
const words = (count: number) => Array.from({ length: count }, word).join(' ');

/** One article: a title, a review note, and a body of two paragraphs (one bold run); 5 % mention "zephyr". */
const articleRow = (n: number) => {
  const body = [
    {
      type: 'paragraph',
      children: [
        { type: 'text', text: `${words(30)} ` },
        { type: 'text', text: words(3), bold: true },
        { type: 'text', text: ` ${words(10)}${random() < 0.05 ? ' zephyr' : ''} ${words(30)}` },
      ],
    },
    { type: 'paragraph', children: [{ type: 'text', text: words(25) }] },
  ];
  return {
    document_id: `measure${String(n).padStart(17, '0')}`,
    title: `${words(5)}${n === 4240 ? ' needlework' : ''}`,
    slug: `measured-${n}`,
    body: JSON.stringify(body),
    kind: 'news',
    featured: false,
    locked: false,
    review_notes: words(12),
    internal_notes: `internal ${n}`,
    tenant_id: `org-${(n % TENANTS) + 1}`,
    created_at: new Date(),
    updated_at: new Date(),
  };
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

describe.skipIf(!enabled)(`search growth (${ARTICLES} articles)`, () => {
  let app: TestApp;
  let reader: ConnectedClient;

  beforeAll(async () => {
    app = await bootTestApp();
    reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const knex = app.strapi.db.connection;
    const started = Date.now();
    // SQLite compiles a multi-row insert into a compound SELECT of at most 500 terms.
    const chunk = onPostgres ? 500 : 200;
    for (let first = 1; first <= ARTICLES; first += chunk) {
      const rows = [];
      for (let n = first; n < Math.min(first + chunk, ARTICLES + 1); n += 1) {
        const row = articleRow(n);
        rows.push({ ...row, published_at: null }, { ...row, published_at: new Date() });
      }
      await knex('articles').insert(rows);
    }
    if (onPostgres) await knex.raw('VACUUM ANALYZE articles');
    console.log(`seeded ${ARTICLES} articles (${2 * ARTICLES} rows) in ${Date.now() - started} ms`);
  }, 1_800_000);
  afterAll(async () => {
    await reader?.close();
    await app?.close();
  });

  const CALLS_MEASURED = {
    'search "zephyr" (in 5 % of bodies)': ['search_documents', { query: 'zephyr' }],
    'search "needlework" (one title)': ['search_documents', { query: 'needlework' }],
    'search "paragraph" (only in the JSON around the text)': ['search_documents', { query: 'paragraph' }],
    'text fields only, as search was before (find_documents $or $containsi)': [
      'find_documents',
      {
        filters: { $or: ['title', 'slug', 'tenantId'].map((field) => ({ [field]: { $containsi: 'zephyr' } })) },
      },
    ],
    'list, page 1 (find_documents)': ['find_documents', {}],
    'count (count_documents)': ['count_documents', {}],
  } as const;

  const measure = async (phase: string) => {
    const knex = app.strapi.db.connection;
    for (const [label, [tool, args]] of Object.entries(CALLS_MEASURED)) {
      const call = () => reader.callTool(tool, { contentType: 'article', status: 'published', ...args });
      const sql: Array<{ sql: string; bindings: unknown[] }> = [];
      const record = (query: { sql: string; bindings: unknown[] }) => {
        if (/"articles" as "t0"/.test(query.sql)) sql.push(query);
      };
      knex.on('query', record);
      const first = await call();
      knex.removeListener('query', record);
      if (first.isError) throw new Error(`${label}: ${JSON.stringify(first.content)}`);
      for (let warm = 0; warm < 2; warm += 1) await call();
      const times: number[] = [];
      for (let index = 0; index < CALLS; index += 1) {
        const started = performance.now();
        await call();
        times.push(performance.now() - started);
      }
      const total = tool === 'count_documents' ? (first.structuredContent as { count: number }).count : totalOf(first);
      let explained = '';
      if (onPostgres) {
        const connection = (await knex.client.acquireConnection()) as {
          query(text: string, values?: unknown[]): Promise<{ rows: Array<Record<string, string>> }>;
        };
        try {
          const executions = [];
          for (const query of sql) {
            const runs: number[] = [];
            for (let run = 0; run < 5; run += 1) {
              const plan = (await connection.query(`EXPLAIN ANALYZE ${query.sql}`, query.bindings)).rows
                .map((row) => row['QUERY PLAN'])
                .join('\n');
              runs.push(Number(/Execution Time: ([\d.]+)/.exec(plan)![1]));
            }
            executions.push(median(runs).toFixed(1));
          }
          explained = `; SQL ${executions.join(' + ')} ms`;
        } finally {
          await knex.client.releaseConnection(connection);
        }
      }
      console.log(`[${phase}] ${label}: ${median(times).toFixed(1)} ms per call (${total} found)${explained}`);
    }
  };

  it('measures before and after indexes.apply()', async () => {
    await measure('no index');
    if (!onPostgres) return;
    const started = Date.now();
    const applied = await app.strapi.plugin('mcp-server').service('indexes').apply();
    console.log(`indexes.apply(): ${applied.created.length} indexes in ${Date.now() - started} ms`, applied.failed);
    await app.strapi.db.connection.raw('ANALYZE articles');
    const { rows } = (await app.strapi.db.connection.raw(
      "SELECT relname AS name, pg_size_pretty(pg_relation_size(oid)) AS size FROM pg_class WHERE relname = 'articles' OR relname LIKE 'mcp\\_ix\\_articles%' ORDER BY relname",
    )) as { rows: Array<{ name: string; size: string }> };
    console.log(rows.map((row) => `${row.name} ${row.size}`).join(', '));
    await measure('indexes applied');
  }, 1_800_000);
});

/**
 * search_documents looks in the text the caller may read: text and rich-text fields, and the text nodes of blocks
 * fields (never the JSON around them). A field the caller may not read never decides which documents match; the
 * caller's tenant still bounds the search; the text is taken literally (LIKE wildcards, backslashes, quotes); and the
 * audit row describes the search without anything of the database connection. Runs on SQLite and PostgreSQL.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, paginationOf } from '../helpers/list-results';

/** The whole result is on this page: this many documents, and no more after them. */
const expectAll = (result: Parameters<typeof dataOf>[0], count: number) => {
  expect(dataOf(result)).toHaveLength(count);
  expect(paginationOf(result).hasMore).toBe(false);
};
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, auditRows, documents, HOMEPAGE, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let publisher: ConnectedClient;
let reader: ConnectedClient;
let admin: ConnectedClient;

const text = (value: string, marks: Doc = {}) => ({ type: 'text', text: value, ...marks });
const paragraph = (...children: Doc[]) => ({ type: 'paragraph', children });

/** Articles made for this file: each holds words no seeded article has. */
const FIXTURES = {
  orchard: {
    tenantId: 'org-1',
    title: 'Orchard notes',
    body: [
      { type: 'heading', level: 2, children: [text('The Zephyrine orchard')] },
      paragraph(
        text('Pick the '),
        text('ripest', { bold: true }),
        text(' fruit, then read '),
        { type: 'link', url: 'https://example.com/kumquat-grove', children: [text('the wombat guide')] },
        text('.'),
      ),
      { type: 'list', format: 'unordered', children: [{ type: 'list-item', children: [text('quinceberry jam')] }] },
    ],
  },
  foreignOrchard: {
    tenantId: 'org-2',
    title: 'Foreign orchard',
    body: [paragraph(text('Another zephyrine orchard, in the other tenant.'))],
  },
  symbols: {
    tenantId: 'org-1',
    title: 'Symbols',
    body: [
      paragraph(
        text('Sweetened 100% with natural_honey, a C:\\path\\to\\jar and a "quoted" word.'),
        // Nodes that end in what the joined JSON puts between nodes (`", `), and in a backslash.
        text(' The grocer said "fine", '),
        text('then left \\'),
        text(' quietly.'),
      ),
    ],
  },
};

const create = async (data: Doc) =>
  (await documents(app, ARTICLE).create({ data: { kind: 'news', ...data }, status: 'published' })) as Doc;

const ids: Record<keyof typeof FIXTURES, string> = { orchard: '', foreignOrchard: '', symbols: '' };

const search = (session: ConnectedClient, query: string, args: Doc = {}) =>
  session.callTool('search_documents', { contentType: 'article', query, pageSize: 100, status: 'published', ...args });

const searchedFields = (result: CallToolResult): string[] =>
  (result.structuredContent as { meta: { searchedFields: string[] } }).meta.searchedFields;

const foundIds = (result: CallToolResult) => dataOf(result).map((doc) => doc.documentId);

beforeAll(async () => {
  // The article body is readable by Admin and Publisher only in this boot: what Reader may not read.
  app = await bootTestApp({
    pluginConfig: {
      contentTypes: { 'api::article.article': { fields: { body: { read: ['Admin', 'Publisher'] } } } },
    },
  });
  for (const [name, data] of Object.entries(FIXTURES)) {
    ids[name as keyof typeof FIXTURES] = (await create(data)).documentId;
  }
  const token = (email: string, role: string) => app.idp.tokenFor(email, role, 'org-1');
  publisher = await connectClient(app, await token('publisher@example.com', 'Publisher'));
  reader = await connectClient(app, await token('reader@example.com', 'Reader'));
  admin = await connectClient(app, await token('admin@example.com', 'Admin'));
});
afterAll(async () => {
  for (const session of [publisher, reader, admin]) await session?.close();
  await app?.close();
});

describe('what search looks in', () => {
  it('finds a word of a blocks field, in any case, in headings, bold text, list items and link text', async () => {
    for (const query of ['ZEPHYRINE', 'ripest fruit', 'quinceberry', 'wombat guide']) {
      const result = await search(publisher, query);
      expect(foundIds(result), query).toEqual([ids.orchard]);
      expectAll(result, 1);
      expect(searchedFields(result)).toContain('body');
    }
  });

  it('does not match the JSON around the text: node types, keys, attributes and link URLs', async () => {
    // `[`, `]`, `["` and `"]`: the brackets and quotes around the joined text nodes are JSON too.
    for (const query of [
      'paragraph',
      'children',
      'heading',
      'list-item',
      'unordered',
      'kumquat',
      '"type"',
      'bold',
      '[',
      ']',
      '["',
      '"]',
    ]) {
      const result = await search(publisher, query);
      expect(foundIds(result), query).toEqual([]);
      expectAll(result, 0);
    }
  });

  it('searches rich-text fields (the homepage intro), in the locale asked for', async () => {
    const english = await reader.callTool('search_documents', { contentType: 'homepage', query: 'Guides and STORIES' });
    expect(dataOf(english).map((doc) => doc.intro)).toEqual(['News, guides and stories.']);
    expect(searchedFields(english)).toContain('intro');
    const french = await reader.callTool('search_documents', { contentType: 'homepage', query: 'histoires' });
    expectAll(french, 0);
    const inFrench = await reader.callTool('search_documents', {
      contentType: 'homepage',
      query: 'histoires',
      locale: 'fr',
    });
    expectAll(inFrench, 1);
    const stored = (await documents(app, HOMEPAGE).findFirst({ locale: 'fr' })) as Doc;
    expect(dataOf(inFrench)[0].documentId).toBe(stored.documentId);
  });

  it('says which fields it searched: the readable text and blocks fields, nothing else', async () => {
    const result = await search(publisher, 'zephyrine');
    expect([...searchedFields(result)].sort()).toEqual(['body', 'reviewNotes', 'slug', 'tenantId', 'title']);
  });
});

describe('fields the caller may not read never decide what matches', () => {
  it('a blocks field the role may not read (Reader, body) is not searched: its text finds nothing', async () => {
    const result = await search(reader, 'zephyrine');
    expect(foundIds(result)).toEqual([]);
    expectAll(result, 0);
    expect(searchedFields(result)).not.toContain('body');
    // The same text is there for a role that may read it.
    expect(foundIds(await search(publisher, 'zephyrine'))).toEqual([ids.orchard]);
  });

  it('the private internalNotes is never searched, even for Admin', async () => {
    const created = await create({ tenantId: 'org-1', title: 'Plain', internalNotes: 'aardwolf-secret-marker' });
    const result = await search(admin, 'aardwolf-secret-marker');
    expect(foundIds(result)).toEqual([]);
    expect(searchedFields(result)).not.toContain('internalNotes');
    await documents(app, ARTICLE).delete({ documentId: created.documentId });
  });
});

describe('scope', () => {
  it("the caller's tenant bounds the search: the other tenant's matching article is not found", async () => {
    const result = await search(publisher, 'zephyrine orchard');
    expect(foundIds(result)).toEqual([ids.orchard]);
    expect(foundIds(result)).not.toContain(ids.foreignOrchard);
    const inOrg2 = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-2'));
    try {
      expect(foundIds(await search(inOrg2, 'zephyrine orchard'))).toEqual([ids.foreignOrchard]);
    } finally {
      await inOrg2.close();
    }
  });

  it('each version is searched on its own: the draft and the published text of one document', async () => {
    const created = await create({
      tenantId: 'org-1',
      title: 'Versions',
      body: [paragraph(text('marmoset-published'))],
    });
    await documents(app, ARTICLE).update({
      documentId: created.documentId,
      data: { body: [paragraph(text('marmoset-draft'))] },
    });
    expect(foundIds(await search(publisher, 'marmoset-published'))).toEqual([created.documentId]);
    expect(foundIds(await search(publisher, 'marmoset-draft'))).toEqual([]);
    expect(foundIds(await search(publisher, 'marmoset-draft', { status: 'draft' }))).toEqual([created.documentId]);
    expect(foundIds(await search(publisher, 'marmoset-published', { status: 'draft' }))).toEqual([]);
    await documents(app, ARTICLE).delete({ documentId: created.documentId });
  });
});

describe('the text is taken literally', () => {
  it.each([
    ['%', 'a percent sign, not "anything"'],
    ['_', 'an underscore, not "any character"'],
    ['0% with', 'a percent sign between words'],
    ['natural_honey', 'an underscore between words'],
    ['C:\\path\\to', 'backslashes'],
    ['"quoted" word', 'double quotes (escaped inside the stored JSON)'],
    ['grocer said "fine", then left', 'a node ending in quote, comma and space, then the next node'],
    ['then left \\ quietly', 'a node ending in a backslash, then the next node'],
  ])('%s matches only text holding %s', async (query) => {
    const result = await search(publisher, query);
    expect(foundIds(result), query).toEqual([ids.symbols]);
  });

  it.each([['natural%honey'], ['natural_hone_'], ['100\\%'], ['with natural\\_honey']])(
    '%s (wildcards that would match if they were patterns) matches nothing',
    async (query) => {
      const result = await search(publisher, query);
      expect(foundIds(result), query).toEqual([]);
    },
  );
});

describe('audit', () => {
  it('the audit row describes the blocks condition and holds nothing of the database connection', async () => {
    const since = new Date();
    await search(publisher, 'zephyrine');
    const [row] = (await auditRows(app, { tool: 'search_documents', createdAt: { $gte: since } })).slice(-1);
    const filters = JSON.stringify(row.appliedFilters);
    expect(filters).toContain('"blocksTextOf":"body"');
    expect(filters).toContain('"contains":"zephyrine"');
    expect(filters).not.toMatch(/client|connection|password|filename|pool|"sql"/i);
  });
});

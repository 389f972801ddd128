/**
 * Field rules of the playground policy, with `onForbiddenField: 'reject'` (the default): reviewNotes is readable and
 * writable by Admin and Publisher only, featured and locked are writable by Admin and Publisher only. An Author never
 * sees reviewNotes (output, search, populated relations), cannot filter, sort, select or populate through it, and
 * cannot write any of the three: the write is refused with the exact list of writable fields and nothing is stored.
 * The 'strip' mode is in field-rules-strip.test.ts.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldRulesFixtures } from '../helpers/field-rules';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, CATEGORY, documents, expectOk, expectRefused, textOf, unique, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const AUTHOR_WRITABLE = ['title', 'slug', 'body', 'kind', 'category', 'cover', 'seo'];
const PUBLISHER_WRITABLE = [
  'title',
  'slug',
  'body',
  'kind',
  'featured',
  'locked',
  'reviewNotes',
  'category',
  'cover',
  'seo',
];
/** Any seeded reviewNotes value ("Review 12: tighten the introduction..."). */
const REVIEW_NOTE_TEXT = /Review \d+:|tighten the introduction/;

/** The first text item only: a refusal's message, without the details that follow it. */
const firstText = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('reject (the default)', () => {
  let app: TestApp;
  let author: ConnectedClient;
  let publisher: ConnectedClient;
  const { rowsOf, createOwnArticle } = fieldRulesFixtures(() => app);
  let firstArticleId: string;
  let productCategoryId: string;

  beforeAll(async () => {
    app = await bootTestApp();
    author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    publisher = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'));
    firstArticleId = (
      await documents(app, ARTICLE).findFirst({
        filters: { slug: 'launching-the-new-editor-1' },
        fields: ['documentId'],
      })
    ).documentId;
    productCategoryId = (await documents(app, CATEGORY).findFirst({ filters: { slug: 'product' } })).documentId;
  });
  afterAll(async () => {
    await author?.close();
    await publisher?.close();
    await app?.close();
  });

  describe('Author cannot read reviewNotes', () => {
    it('is absent from every document find_documents returns, though it is stored', async () => {
      const result = expectOk(await author.callTool('find_documents', { contentType: 'article', pageSize: 100 }));
      expect(result.data.length).toBeGreaterThanOrEqual(20);
      for (const article of result.data) expect(article).not.toHaveProperty('reviewNotes');
      expect(JSON.stringify(result)).not.toMatch(REVIEW_NOTE_TEXT);
      const [stored] = await rowsOf({ documentId: firstArticleId });
      expect(stored.reviewNotes).toMatch(/^Review 1: /);
    });

    it('is absent from get_document, draft and published', async () => {
      for (const status of ['draft', 'published']) {
        const result = expectOk(
          await author.callTool('get_document', { contentType: 'article', documentId: firstArticleId, status }),
        );
        expect(result.data).toMatchObject({ documentId: firstArticleId, title: 'Launching the new editor #1' });
        expect(result.data).not.toHaveProperty('reviewNotes');
        expect(JSON.stringify(result)).not.toMatch(REVIEW_NOTE_TEXT);
      }
    });

    it('is absent from articles populated through a category', async () => {
      const result = expectOk(
        await author.callTool('find_documents', {
          contentType: 'category',
          populate: { articles: true },
          pageSize: 100,
        }),
      );
      const articles = result.data.flatMap((category: Doc) => category.articles);
      expect(articles.length).toBeGreaterThan(0);
      for (const article of articles) {
        expect(article).toHaveProperty('title');
        expect(article).not.toHaveProperty('reviewNotes');
      }
      expect(JSON.stringify(result)).not.toMatch(REVIEW_NOTE_TEXT);
    });

    it('is not searched: text only found in reviewNotes finds nothing for an Author, everything for a Publisher', async () => {
      const args = { contentType: 'article', query: 'tighten the introduction', pageSize: 100 };
      const asAuthor = expectOk(await author.callTool('search_documents', args));
      expect(asAuthor.meta.searchedFields).not.toContain('reviewNotes');
      expect(asAuthor.data).toEqual([]);
      expect(asAuthor.meta.pagination.hasMore).toBe(false);
      const asPublisher = expectOk(await publisher.callTool('search_documents', args));
      expect(asPublisher.meta.searchedFields).toContain('reviewNotes');
      expect(asPublisher.data.length).toBeGreaterThanOrEqual(20);
    });

    it('is not listed among the readable fields by whoami or list_content_types', async () => {
      const whoami = expectOk(await author.callTool('whoami'));
      const article = whoami.permissions.find((entry: Doc) => entry.contentType === ARTICLE);
      expect(article.readableFields).not.toContain('reviewNotes');
      expect(article.readableFields).toEqual(expect.arrayContaining(['featured', 'locked', 'title']));
      const listed = expectOk(await author.callTool('list_content_types'));
      expect(listed.contentTypes[0].readableFields).not.toContain('reviewNotes');
    });
  });

  // Every way of reaching reviewNotes through a query; each must be refused for an Author and work for a Publisher.
  const THROUGH_REVIEW_NOTES: Array<[string, string, Record<string, unknown>]> = [
    ['a filter', 'find_documents', { contentType: 'article', filters: { reviewNotes: { $containsi: 'Review' } } }],
    [
      'a filter inside $or',
      'find_documents',
      { contentType: 'article', filters: { $or: [{ title: { $notNull: true } }, { reviewNotes: { $null: false } }] } },
    ],
    ['a filter inside $not', 'find_documents', { contentType: 'article', filters: { $not: { reviewNotes: 'x' } } }],
    ['a count filter', 'count_documents', { contentType: 'article', filters: { reviewNotes: { $startsWith: 'R' } } }],
    [
      'a filter through a relation',
      'find_documents',
      { contentType: 'category', filters: { articles: { reviewNotes: { $containsi: 'tighten' } } } },
    ],
    ['a sort', 'find_documents', { contentType: 'article', sort: 'reviewNotes:asc' }],
    ['a sort in a list', 'find_documents', { contentType: 'article', sort: ['title:asc', 'reviewNotes:desc'] }],
    ['a sort object', 'find_documents', { contentType: 'article', sort: { reviewNotes: 'asc' } }],
    ['fields on find', 'find_documents', { contentType: 'article', fields: ['title', 'reviewNotes'] }],
    ['fields on get', 'get_document', { contentType: 'article', documentId: 'FIRST', fields: ['reviewNotes'] }],
    [
      'fields of a populated relation',
      'find_documents',
      { contentType: 'category', populate: { articles: { fields: ['title', 'reviewNotes'] } } },
    ],
    [
      'a filter of a populated relation',
      'find_documents',
      { contentType: 'category', populate: { articles: { filters: { reviewNotes: { $notNull: true } } } } },
    ],
    [
      'a sort of a populated relation',
      'find_documents',
      { contentType: 'category', populate: { articles: { sort: 'reviewNotes:desc' } } },
    ],
    [
      'fields of a relation populated on get',
      'get_document',
      { contentType: 'category', documentId: 'PRODUCT', populate: { articles: { fields: ['reviewNotes'] } } },
    ],
  ];
  const withFirstArticle = (args: Record<string, unknown>) =>
    args.documentId === 'FIRST'
      ? { ...args, documentId: firstArticleId }
      : args.documentId === 'PRODUCT'
        ? { ...args, documentId: productCategoryId }
        : args;

  it.each(THROUGH_REVIEW_NOTES)(
    'refuses an Author reviewNotes in %s, naming only fields they may read',
    async (_label, tool, args) => {
      const result = await author.callTool(tool, withFirstArticle(args));
      expectRefused(result, /reviewNotes/);
      // The refusal lists what is allowed instead, and that list never includes reviewNotes.
      const [, allowedList = ''] = firstText(result).split('; ');
      expect(allowedList).not.toMatch(/reviewNotes/);
      expect(textOf(result)).not.toMatch(REVIEW_NOTE_TEXT);
    },
  );

  it('refuses a sort through a relation into a tenant-scoped type, for every role (a sort join cannot be scoped)', async () => {
    for (const caller of [author, publisher]) {
      expectRefused(
        await caller.callTool('find_documents', { contentType: 'category', sort: 'articles.reviewNotes:asc' }),
        /cannot sort through articles, which may link documents you cannot see/,
      );
    }
  });

  it('refuses populate of reviewNotes itself', async () => {
    expectRefused(
      await author.callTool('find_documents', { contentType: 'article', populate: ['reviewNotes'] }),
      'populate.reviewNotes: cannot populate reviewNotes; populatable: category, cover, seo',
    );
  });

  it.each(THROUGH_REVIEW_NOTES)('lets a Publisher use reviewNotes in %s', async (_label, tool, args) => {
    expectOk(await publisher.callTool(tool, withFirstArticle(args)));
  });

  it('shows reviewNotes to a Publisher, filtered and selected', async () => {
    const result = expectOk(
      await publisher.callTool('find_documents', {
        contentType: 'article',
        filters: { reviewNotes: { $startsWith: 'Review 1:' } },
        fields: ['title', 'reviewNotes'],
      }),
    );
    expect(result.data).toEqual([
      expect.objectContaining({
        title: 'Launching the new editor #1',
        reviewNotes: 'Review 1: tighten the introduction before the next release.',
      }),
    ]);
  });

  describe('Author cannot write reviewNotes, featured or locked', () => {
    const refusal = (fields: string[]) =>
      `${fields.length === 1 ? `field ${fields[0]} is` : `fields ${fields.join(', ')} are`} not writable for role ` +
      `Author; writable: ${AUTHOR_WRITABLE.join(', ')}`;

    it.each([
      ['reviewNotes', 'my own notes'],
      ['featured', true],
      ['locked', true],
    ])('refuses a create with %s, listing the writable fields exactly, and stores nothing', async (field, value) => {
      const title = unique(`create with ${field}`);
      for (const dryRun of [false, true]) {
        const result = await author.callTool('create_document', {
          contentType: 'article',
          data: { title, kind: 'blog', [field]: value },
          dryRun,
        });
        expectRefused(result, refusal([field]));
        expect(JSON.parse((result.content[1] as { text: string }).text)).toEqual({
          refused: [field],
          writable: AUTHOR_WRITABLE,
        });
      }
      expect(await rowsOf({ title })).toEqual([]);
    });

    it('refuses an update of their own article naming every forbidden field, and writes none of the data', async () => {
      const own = await createOwnArticle();
      const before = await rowsOf({ documentId: own.documentId });
      const result = await author.callTool('update_document', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title: 'changed', featured: true, reviewNotes: 'overwritten' },
      });
      expectRefused(result, refusal(['featured', 'reviewNotes']));
      expect(await rowsOf({ documentId: own.documentId })).toEqual(before);
    });

    it('refuses unlocking or locking their own article', async () => {
      const own = await createOwnArticle();
      const before = await rowsOf({ documentId: own.documentId });
      expectRefused(
        await author.callTool('update_document', {
          contentType: 'article',
          documentId: own.documentId,
          data: { locked: true },
        }),
        refusal(['locked']),
      );
      expect(await rowsOf({ documentId: own.documentId })).toEqual(before);
    });
  });

  describe('Publisher can read and write them', () => {
    it('creates an article with reviewNotes, featured and locked, and reads them back', async () => {
      const title = unique('publisher fields');
      const created = expectOk(
        await publisher.callTool('create_document', {
          contentType: 'article',
          data: { title, kind: 'press', reviewNotes: 'Check the quotes.', featured: true, locked: true },
        }),
      );
      expect(created.data).toMatchObject({ reviewNotes: 'Check the quotes.', featured: true, locked: true });
      expect(await rowsOf({ title })).toEqual([
        expect.objectContaining({ reviewNotes: 'Check the quotes.', featured: true, locked: true, tenantId: 'org-1' }),
      ]);

      const read = expectOk(
        await publisher.callTool('get_document', { contentType: 'article', documentId: created.data.documentId }),
      );
      expect(read.data.reviewNotes).toBe('Check the quotes.');
      // The same article, read by an Author: the field is not there.
      const asAuthor = expectOk(
        await author.callTool('get_document', { contentType: 'article', documentId: created.data.documentId }),
      );
      expect(asAuthor.data).toMatchObject({ title, featured: true, locked: true });
      expect(asAuthor.data).not.toHaveProperty('reviewNotes');
    });

    it("updates reviewNotes and featured of an Author's article", async () => {
      const own = await createOwnArticle();
      const updated = expectOk(
        await publisher.callTool('update_document', {
          contentType: 'article',
          documentId: own.documentId,
          data: { reviewNotes: 'Approved.', featured: true },
        }),
      );
      expect(updated.diff).toEqual({
        reviewNotes: { from: 'Review fixture: check the facts.', to: 'Approved.' },
        featured: { from: false, to: true },
      });
      expect(await rowsOf({ documentId: own.documentId })).toEqual([
        expect.objectContaining({ reviewNotes: 'Approved.', featured: true }),
      ]);
    });
  });

  describe('describe_content_type and whoami mark the fields', () => {
    it('for an Author: reviewNotes absent, featured and locked readable but not writable', async () => {
      const described = expectOk(await author.callTool('describe_content_type', { contentType: 'article' }));
      expect(described.fields).not.toHaveProperty('reviewNotes');
      expect(described.fields.featured).toMatchObject({ type: 'boolean', readable: true, writable: false });
      expect(described.fields.locked).toMatchObject({ type: 'boolean', readable: true, writable: false });
      expect(described.fields.title).toMatchObject({ readable: true, writable: true });
      expect(described.fields.tenantId).toMatchObject({ readable: true, writable: false });
      const writable = Object.keys(described.fields).filter((field) => described.fields[field].writable);
      expect(writable).toEqual(AUTHOR_WRITABLE);
      const whoami = expectOk(await author.callTool('whoami'));
      expect(whoami.permissions.find((entry: Doc) => entry.contentType === ARTICLE).writableFields).toEqual(
        AUTHOR_WRITABLE,
      );
    });

    it('for a Publisher: reviewNotes, featured and locked readable and writable', async () => {
      const described = expectOk(await publisher.callTool('describe_content_type', { contentType: 'article' }));
      expect(described.fields.reviewNotes).toMatchObject({ type: 'text', readable: true, writable: true });
      expect(described.fields.featured).toMatchObject({ readable: true, writable: true });
      expect(described.fields.locked).toMatchObject({ readable: true, writable: true });
      const writable = Object.keys(described.fields).filter((field) => described.fields[field].writable);
      expect(writable).toEqual(PUBLISHER_WRITABLE);
      expect(described.fields).not.toHaveProperty('internalNotes');
    });
  });
});

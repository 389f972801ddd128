/**
 * The lean read path of find_documents: no count unless asked (hasMore from one row more), signed keyset cursors
 * beside page numbers, and lists that populate only what the call names. Every cursor walk is compared with the
 * page-number walk of the same list, on the database the suite runs on (NULL sorts first on SQLite, last on
 * PostgreSQL), and a cursor never reaches past the caller's scope.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, paginationOf } from '../helpers/list-results';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, documents, expectOk, expectRefused, unique, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let reader: ConnectedClient;
let readerOrg2: ConnectedClient;
let publisher: ConnectedClient;
const org1Titles: string[] = [];

const articles = () => documents(app, ARTICLE);
const countInTenant = (tenantId: string, filters: Doc = {}) =>
  articles().count({ filters: { $and: [{ tenantId }, filters] } }) as Promise<number>;

beforeAll(async () => {
  app = await bootTestApp();
  const token = (email: string, role: string, tenant: string) => app.idp.tokenFor(email, role, tenant);
  reader = await connectClient(app, await token('reader@example.com', 'Reader', 'org-1'));
  readerOrg2 = await connectClient(app, await token('reader@example.com', 'Reader', 'org-2'));
  publisher = await connectClient(app, await token('publisher@example.com', 'Publisher', 'org-1'));
  // Ties and empty values: equal titles (the tiebreaker orders them), no slug, no featured flag.
  for (const [index, tenantId] of ['org-1', 'org-1', 'org-1', 'org-2', 'org-2'].entries()) {
    const title = index < 3 ? 'Tied title' : unique('Tied foreign');
    await articles().create({ data: { title, kind: 'news', tenantId, slug: null, featured: null } });
    if (tenantId === 'org-1') org1Titles.push(title);
  }
});
afterAll(async () => {
  for (const session of [reader, readerOrg2, publisher]) await session?.close();
  await app?.close();
});

type Walk = { ids: string[]; calls: number };

/** Every document of a list, page after page by number. */
const walkByPage = async (session: ConnectedClient, args: Doc): Promise<Walk> => {
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const result = await session.callTool('find_documents', { ...args, page });
    ids.push(...dataOf(result).map((document) => document.documentId as string));
    if (!paginationOf(result).hasMore) return { ids, calls: page };
  }
};

/** Every document of a list, following nextCursor from the first page. */
const walkByCursor = async (session: ConnectedClient, args: Doc): Promise<Walk & { documents: Doc[] }> => {
  const found: Doc[] = [];
  let cursor: string | undefined;
  for (let calls = 1; ; calls += 1) {
    const result = await session.callTool('find_documents', { ...args, ...(cursor ? { cursor } : {}) });
    found.push(...dataOf(result));
    const pagination = paginationOf(result) as Doc;
    expect(pagination).not.toHaveProperty('total');
    if (cursor) expect(pagination).not.toHaveProperty('page');
    if (!pagination.hasMore) {
      expect(pagination).not.toHaveProperty('nextCursor');
      return { ids: found.map((document) => document.documentId as string), calls, documents: found };
    }
    expect(typeof pagination.nextCursor).toBe('string');
    cursor = pagination.nextCursor as string;
  }
};

const firstCursor = async (session: ConnectedClient, args: Doc): Promise<string> => {
  const pagination = paginationOf(await session.callTool('find_documents', { pageSize: 3, ...args })) as Doc;
  expect(pagination.hasMore).toBe(true);
  return pagination.nextCursor as string;
};

const expectCursorRefused = (result: CallToolResult, message: RegExp) => {
  expectRefused(result, message);
  expect(result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n')).not.toMatch(/org-2/);
};

describe('counting only on request', () => {
  it('answers hasMore without a count, and the last page says there is no more', async () => {
    const inTenant = await countInTenant('org-1');
    const first = await reader.callTool('find_documents', { contentType: 'article', pageSize: 5 });
    expect(dataOf(first)).toHaveLength(5);
    expect(paginationOf(first)).toEqual({ page: 1, pageSize: 5, hasMore: true, nextCursor: expect.any(String) });

    const lastPage = Math.ceil(inTenant / 5);
    const last = await reader.callTool('find_documents', { contentType: 'article', pageSize: 5, page: lastPage });
    expect(dataOf(last)).toHaveLength(inTenant - (lastPage - 1) * 5);
    expect(paginationOf(last)).toEqual({ page: lastPage, pageSize: 5, hasMore: false });
  });

  it('withCount: true adds total and pageCount for the caller’s scope, filters included', async () => {
    const inTenant = await countInTenant('org-1');
    const counted = await reader.callTool('find_documents', { contentType: 'article', pageSize: 4, withCount: true });
    expect(paginationOf(counted)).toEqual({
      page: 1,
      pageSize: 4,
      hasMore: true,
      nextCursor: expect.any(String),
      total: inTenant,
      pageCount: Math.ceil(inTenant / 4),
    });

    const filters = { kind: { $eq: 'guide' } };
    const guides = await reader.callTool('find_documents', { contentType: 'article', filters, withCount: true });
    expect(paginationOf(guides).total).toBe(await countInTenant('org-1', filters));
    expect(paginationOf(guides).total).toBe(dataOf(guides).length);
  });

  it('counts the whole list, not what follows a cursor', async () => {
    const cursor = await firstCursor(reader, { contentType: 'article', sort: 'title:asc' });
    const next = await reader.callTool('find_documents', {
      contentType: 'article',
      sort: 'title:asc',
      pageSize: 3,
      cursor,
      withCount: true,
    });
    expect(paginationOf(next).total).toBe(await countInTenant('org-1'));
  });
});

describe('cursor paging', () => {
  const sorts: Array<[string, Doc]> = [
    ['no sort (the tiebreaker alone)', {}],
    ['a title with ties', { sort: 'title:asc' }],
    ['two keys, one descending', { sort: ['kind:desc', 'title:asc'] }],
    ['a key with empty values, ascending', { sort: 'slug:asc' }],
    ['a key with empty values, descending', { sort: ['slug:desc', 'title:desc'] }],
    ['a nullable boolean', { sort: ['featured:desc', 'createdAt:desc'] }],
    ['timestamps', { sort: 'updatedAt:desc' }],
    ['documentId', { sort: 'documentId:asc' }],
    ['published versions by publication date', { sort: 'publishedAt:asc', status: 'published' }],
    ['a filter', { sort: 'title:desc', filters: { kind: { $in: ['news', 'blog'] } } }],
    ['selected fields that leave the sort key out', { sort: 'kind:asc', fields: ['title'] }],
  ];

  it.each(sorts)('walks the same documents as the page numbers do, in the same order: %s', async (_, args) => {
    const list = { contentType: 'article', pageSize: 3, ...args };
    const byPage = await walkByPage(reader, list);
    const byCursor = await walkByCursor(reader, list);
    expect(byCursor.ids).toEqual(byPage.ids);
    expect(new Set(byCursor.ids).size).toBe(byCursor.ids.length);
    const filters = { ...((args.filters as Doc) ?? {}) };
    const status = (args.status as string) ?? 'draft';
    expect(byCursor.ids).toHaveLength(
      await articles().count({ filters: { $and: [{ tenantId: 'org-1' }, filters] }, status }),
    );
    if (args.fields) {
      for (const document of byCursor.documents) expect(Object.keys(document).sort()).toEqual(['documentId', 'title']);
    }
  });

  it('keeps the caller’s scope: a walk to the end holds its tenant’s documents and no other', async () => {
    const { ids } = await walkByCursor(reader, { contentType: 'article', pageSize: 7, sort: 'title:asc' });
    const stored = (await articles().findMany({
      filters: { documentId: { $in: ids } },
      fields: ['tenantId'],
    })) as Doc[];
    expect(stored).toHaveLength(ids.length);
    expect(stored.every((document) => document.tenantId === 'org-1')).toBe(true);
    expect(ids).toHaveLength(await countInTenant('org-1'));
  });

  it('refuses a cursor of another tenant’s list: it cannot widen the scope or carry it over', async () => {
    const foreign = await firstCursor(readerOrg2, { contentType: 'article', sort: 'title:asc' });
    const result = await reader.callTool('find_documents', {
      contentType: 'article',
      sort: 'title:asc',
      pageSize: 3,
      cursor: foreign,
    });
    expectCursorRefused(result, /^cursor: it continues a list with other filters, locale or status/);
  });

  it('refuses a cursor used with another sort, another content type, other filters or another status', async () => {
    const cursor = await firstCursor(reader, { contentType: 'article', sort: 'title:asc' });
    const base = { contentType: 'article', pageSize: 3, cursor };
    expectCursorRefused(
      await reader.callTool('find_documents', { ...base, sort: 'title:desc' }),
      /^cursor: it continues a list sorted by title:asc, id:asc, and this call sorts by title:desc, id:asc; /,
    );
    expectCursorRefused(
      await reader.callTool('find_documents', { ...base }),
      /^cursor: it continues a list sorted by title:asc, id:asc, and this call sorts by id:asc; /,
    );
    expectCursorRefused(
      await reader.callTool('find_documents', { ...base, contentType: 'category', sort: 'name:asc' }),
      /^cursor: it continues a list of api::article\.article, not api::category\.category; /,
    );
    expectCursorRefused(
      await reader.callTool('find_documents', { ...base, sort: 'title:asc', filters: { kind: 'news' } }),
      /^cursor: it continues a list with other filters, locale or status; /,
    );
    expectCursorRefused(
      await reader.callTool('find_documents', { ...base, sort: 'title:asc', status: 'published' }),
      /^cursor: it continues a list with other filters, locale or status; /,
    );
    // The same list continues.
    expect(dataOf(await reader.callTool('find_documents', { ...base, sort: 'title:asc' }))).toHaveLength(3);
  });

  it('refuses a tampered, truncated or forged cursor', async () => {
    const cursor = await firstCursor(reader, { contentType: 'article', sort: 'title:asc' });
    const [body, signature] = cursor.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    const reencode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const forgeries = [
      flip(cursor, 3),
      `${body}.${flip(signature, 5)}`,
      `${reencode({ ...payload, v: ['', 0] })}.${signature}`,
      `${reencode({ ...payload, q: 'x' })}.${signature}`,
      `${body}.`,
      body,
      `${body}.${signature}.${signature}`,
      `${body}.${signature}=`,
      'not-a-cursor',
      'a'.repeat(4096),
    ];
    for (const forged of forgeries) {
      const result = await reader.callTool('find_documents', {
        contentType: 'article',
        sort: 'title:asc',
        pageSize: 3,
        cursor: forged,
      });
      expectCursorRefused(result, /^cursor: not a cursor this server issued/);
    }
  });

  it('refuses page and cursor together', async () => {
    const cursor = await firstCursor(reader, { contentType: 'article' });
    expectRefused(
      await reader.callTool('find_documents', { contentType: 'article', page: 2, cursor }),
      'page and cursor cannot be combined: a cursor already says where the page starts',
    );
  });

  it('pages sorts it cannot follow by number only, and says why when given a cursor', async () => {
    const throughRelation = { contentType: 'article', sort: 'category.name:asc', pageSize: 3 };
    const first = await reader.callTool('find_documents', throughRelation);
    expect(paginationOf(first)).toEqual({ page: 1, pageSize: 3, hasMore: true });
    const cursor = await firstCursor(reader, { contentType: 'article', sort: 'title:asc' });
    expectRefused(
      await reader.callTool('find_documents', { ...throughRelation, cursor }),
      /^cursor paging sorts by the type's own fields, and category\.name goes through category; use page numbers$/,
    );
    // Long text is no cursor key either.
    const byNotes = await publisher.callTool('find_documents', {
      contentType: 'article',
      sort: 'reviewNotes:asc',
      pageSize: 3,
    });
    expect(paginationOf(byNotes)).toEqual({ page: 1, pageSize: 3, hasMore: true });
    expectRefused(
      await publisher.callTool('find_documents', { contentType: 'article', sort: 'reviewNotes:asc', cursor }),
      /^cursor paging cannot sort by reviewNotes \(a text field\); /,
    );
  });

  it('continues from a page number with its nextCursor', async () => {
    const list = { contentType: 'article', sort: 'title:asc', pageSize: 4 };
    const third = await reader.callTool('find_documents', { ...list, page: 3 });
    const fourth = await reader.callTool('find_documents', { ...list, page: 4 });
    const next = await reader.callTool('find_documents', {
      ...list,
      cursor: (paginationOf(third) as Doc).nextCursor,
    });
    expect(dataOf(next)).toEqual(dataOf(fourth));
  });
});

describe('lists populate only what the call names', () => {
  const NOT_SCALAR = ['category', 'cover', 'seo'];

  it('find_documents returns scalar fields only by default', async () => {
    const found = dataOf(await reader.callTool('find_documents', { contentType: 'article', pageSize: 10 }));
    expect(found.length).toBeGreaterThan(0);
    for (const document of found) {
      for (const field of NOT_SCALAR) expect(document).not.toHaveProperty(field);
      expect(document).toHaveProperty('title');
    }
  });

  it('populates what populate names, and a populated relation brings its target’s fields only', async () => {
    const found = dataOf(
      await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { title: { $endsWith: '#1' } },
        populate: ['category', 'seo'],
      }),
    );
    expect(found).toHaveLength(1);
    expect(found[0].seo).toMatchObject({ metaTitle: expect.any(String) });
    expect(found[0].category).toMatchObject({ documentId: expect.any(String), name: expect.any(String) });
    expect(found[0].category).not.toHaveProperty('articles');
    expect(found[0]).not.toHaveProperty('cover');
  });

  it('get_document still shows the whole document: components, and relations as references', async () => {
    const [first] = dataOf(
      await reader.callTool('find_documents', { contentType: 'article', filters: { title: { $endsWith: '#1' } } }),
    );
    const { data } = expectOk(
      await reader.callTool('get_document', { contentType: 'article', documentId: first.documentId }),
    );
    expect(data.seo).toMatchObject({ metaTitle: expect.any(String) });
    expect(data.category).toEqual({ documentId: expect.any(String) });
  });

  it('the fixtures this file adds are in the reader’s lists', async () => {
    const tied = dataOf(
      await reader.callTool('find_documents', { contentType: 'article', filters: { title: 'Tied title' } }),
    );
    expect(tied.map((document) => document.title)).toEqual(org1Titles);
    expect(tied.every((document) => document.slug === null)).toBe(true);
  });
});

/**
 * The verified Strapi 5 traps of /work/shared/notes/strapi-internals.md about fields, one attack each, replayed over
 * MCP: filter/sort/fields/populate oracles on the private internalNotes and through createdBy into admin secrets, `_q`
 * searching private columns, and client-sent managed keys stored as given. Every successful response is checked on the
 * spot: no private field, admin relation or admin-user secret ever reaches the model. The traps about query arguments
 * and mutations are in known-traps-queries.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanRefusal, trapFixtures } from '../helpers/known-traps';
import { dataOf, paginationOf } from '../helpers/list-results';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, textOf, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let reader: ConnectedClient;
let publisher: ConnectedClient;
let admin: ConnectedClient;
const { call, articles, seeded, stored, countOrg1 } = trapFixtures(() => app);

beforeAll(async () => {
  app = await bootTestApp();
  const token = (email: string, role: string) => app.idp.tokenFor(email, role, 'org-1');
  reader = await connectClient(app, await token('reader@example.com', 'Reader'));
  publisher = await connectClient(app, await token('publisher@example.com', 'Publisher'));
  admin = await connectClient(app, await token('admin@example.com', 'Admin'));
});
afterAll(async () => {
  for (const session of [reader, publisher, admin]) await session?.close();
  await app?.close();
});

describe('private attribute internalNotes (Document Service filters, sorts, selects and populates private fields)', () => {
  it.each([
    ['a plain filter', { internalNotes: { $startsWith: 'Internal' } }],
    ['$or', { $or: [{ title: { $notNull: true } }, { internalNotes: { $containsi: 'confidential' } }] }],
    ['$not', { $not: { internalNotes: { $null: true } } }],
    ['$and with an equality', { $and: [{ internalNotes: 'Internal 1: confidential margin note, never for agents.' }] }],
    ['a relation (category)', { category: { name: 'Product' }, $or: [{ internalNotes: { $contains: 'conf' } }] }],
  ])('filtering on internalNotes through %s is refused, as for a field that does not exist', async (_, filters) => {
    for (const session of [reader, admin]) {
      const result = await call(session, 'find_documents', { contentType: 'article', filters });
      expectCleanRefusal(result, /cannot filter on internalNotes/);
      const count = await call(session, 'count_documents', { contentType: 'article', filters });
      expectCleanRefusal(count, /cannot filter on internalNotes/);
      // The refusal does not confirm the field exists: a made-up field gets the same words.
      const madeUp = JSON.parse(JSON.stringify(filters).replaceAll('internalNotes', 'noSuchField'));
      const unknown = await call(session, 'find_documents', { contentType: 'article', filters: madeUp });
      expect(textOf(unknown).replaceAll('noSuchField', 'internalNotes')).toBe(textOf(result));
    }
  });
  it('filtering on internalNotes through a relation (category.articles) is refused, as for a field that does not exist', async () => {
    const filters = { articles: { internalNotes: { $contains: 'confidential' } } };
    for (const session of [reader, admin]) {
      const result = await call(session, 'count_documents', { contentType: 'category', filters });
      expectCleanRefusal(result, /cannot filter on internalNotes/);
      const madeUp = { articles: { noSuchField: { $contains: 'confidential' } } };
      const unknown = await call(session, 'count_documents', { contentType: 'category', filters: madeUp });
      expect(textOf(unknown).replaceAll('noSuchField', 'internalNotes')).toBe(textOf(result));
    }
  });

  it.each([
    ['a string', 'internalNotes:asc'],
    ['a list', ['title:asc', 'internalNotes:desc']],
    ['an object', { internalNotes: 'asc' }],
    ['a path through category.articles', 'category.articles.internalNotes:asc'],
  ])('sorting by internalNotes given as %s (an ordering oracle) is refused', async (_, sort) => {
    const result = await call(admin, 'find_documents', { contentType: 'article', sort });
    expectCleanRefusal(result, /^sort: .*internalNotes/);
  });

  it('selecting internalNotes with fields is refused on find_documents, get_document and in a populate', async () => {
    const own = await seeded(1);
    expectCleanRefusal(
      await call(admin, 'find_documents', { contentType: 'article', fields: ['title', 'internalNotes'] }),
      /fields: cannot select internalNotes/,
    );
    expectCleanRefusal(
      await call(admin, 'get_document', {
        contentType: 'article',
        documentId: own.documentId,
        fields: ['internalNotes'],
      }),
      /fields: cannot select internalNotes/,
    );
    expectCleanRefusal(
      await call(admin, 'find_documents', {
        contentType: 'category',
        populate: { articles: { fields: ['internalNotes'] } },
      }),
      /fields: cannot select internalNotes/,
    );
  });

  it.each([['internalNotes'], [['internalNotes']], [{ internalNotes: true }], ['category,internalNotes']])(
    'populating internalNotes (%j) is refused',
    async (populate) => {
      const result = await call(admin, 'find_documents', { contentType: 'article', populate });
      expectCleanRefusal(result, /cannot populate internalNotes/);
    },
  );

  it('populate "*" and the default output leave internalNotes out', async () => {
    const own = await seeded(1);
    const found = await call(admin, 'find_documents', { contentType: 'article', populate: '*', pageSize: 5 });
    expect(dataOf(found)).toHaveLength(5);
    const got = await call(admin, 'get_document', {
      contentType: 'article',
      documentId: own.documentId,
      populate: '*',
    });
    expect(got.isError).toBeFalsy();
    expect((got.structuredContent as { data: Doc }).data).not.toHaveProperty('internalNotes');
    // It is really stored: the output shaping, not an empty column, keeps it out.
    expect((await stored(own.documentId))!.internalNotes).toMatch(/confidential margin note/);
  });
});

describe('createdBy / updatedBy into admin users (email, password hash, reset tokens)', () => {
  it.each([
    ['createdBy.email', { createdBy: { email: { $startsWith: 'a' } } }],
    ['createdBy.password', { createdBy: { password: { $startsWith: '$2' } } }],
    ['createdBy.resetPasswordToken', { createdBy: { resetPasswordToken: { $null: false } } }],
    ['createdBy.registrationToken', { createdBy: { registrationToken: { $null: true } } }],
    ['createdBy.id', { createdBy: { id: 1 } }],
    ['updatedBy.email', { updatedBy: { email: { $eqi: 'author1@example.com' } } }],
    ['$or around createdBy.email', { $or: [{ createdBy: { email: { $endsWith: '@example.com' } } }] }],
    ['category.createdBy.email', { category: { createdBy: { email: { $startsWith: 'a' } } } }],
  ])('filtering through %s is refused', async (_, filters) => {
    for (const [tool, session] of [
      ['find_documents', admin],
      ['count_documents', admin],
      ['find_documents', reader],
    ] as const) {
      const result = await call(session, tool, { contentType: 'article', filters });
      expectCleanRefusal(result, /cannot filter on (createdBy|updatedBy)/);
    }
  });

  it.each([
    ['populate createdBy', { populate: ['createdBy'] }],
    ['populate createdBy with its email and password', { populate: { createdBy: { fields: ['email', 'password'] } } }],
    ['populate updatedBy', { populate: { updatedBy: true } }],
    ['populate category → createdBy', { populate: { category: { populate: { createdBy: true } } } }],
    ['sort by createdBy.email', { sort: 'createdBy.email:asc' }],
    ['sort by category.createdBy.email', { sort: ['category.createdBy.email:desc'] }],
    ['fields createdBy', { fields: ['title', 'createdBy'] }],
  ])('%s is refused', async (_, args) => {
    const result = await call(admin, 'find_documents', { contentType: 'article', ...args });
    expectCleanRefusal(result, /createdBy|updatedBy/);
  });
});

describe('search (Strapi _q searches every column, private ones included)', () => {
  it('search_documents does not match text found only in internalNotes', async () => {
    for (const session of [reader, publisher, admin]) {
      for (const query of ['confidential', 'margin note', 'never for agents', 'Internal 1:']) {
        const result = await call(session, 'search_documents', { contentType: 'article', query });
        expect(dataOf(result), query).toEqual([]);
        expect(paginationOf(result).hasMore).toBe(false);
        expect((result.structuredContent as { meta: { searchedFields: string[] } }).meta.searchedFields).not.toContain(
          'internalNotes',
        );
      }
    }
  });

  it('the same word in a readable field (title) is found: the search works, internalNotes is just not searched', async () => {
    const created = await call(publisher, 'create_document', {
      contentType: 'article',
      data: { title: 'A confidential roadmap', kind: 'news' },
    });
    const documentId = (created.structuredContent as { data: Doc }).data.documentId;
    const result = await call(reader, 'search_documents', { contentType: 'article', query: 'confidential' });
    expect(dataOf(result).map((doc) => doc.documentId)).toEqual([documentId]);
    expect(paginationOf(result).hasMore).toBe(false);
  });

  it('search_documents does not match a field the role may not read (reviewNotes for a Reader)', async () => {
    const asReader = await call(reader, 'search_documents', { contentType: 'article', query: 'tighten' });
    expect(dataOf(asReader)).toEqual([]);
    const fields = (asReader.structuredContent as { meta: { searchedFields: string[] } }).meta.searchedFields;
    expect(fields).not.toContain('reviewNotes');
    const asPublisher = await call(publisher, 'search_documents', {
      contentType: 'article',
      query: 'tighten',
      pageSize: 100,
    });
    expect(paginationOf(asPublisher).hasMore).toBe(false);
    expect(dataOf(asPublisher)).toHaveLength(
      await articles().count({ filters: { tenantId: 'org-1', reviewNotes: { $containsi: 'tighten' } } } as never),
    );
    expect(dataOf(asPublisher).length).toBeGreaterThan(0);
  });

  it('a smuggled _q argument does not reach the Document Service', async () => {
    const result = await call(reader, 'find_documents', {
      contentType: 'article',
      _q: 'Internal 7:',
      pageSize: 100,
      withCount: true,
    });
    if (!result.isError) {
      // Ignored: the whole tenant comes back, not the one article whose internalNotes match.
      expect(paginationOf(result).total).toBe(await countOrg1());
    }
  });
});

describe('client-sent managed keys (create/update store id, documentId and timestamps as given)', () => {
  const MANAGED: Array<[string, unknown]> = [
    ['id', 99999],
    ['documentId', 'chosenbytheclient0000000a'],
    ['createdAt', '2001-01-01T00:00:00.000Z'],
    ['updatedAt', '2001-01-01T00:00:00.000Z'],
    ['publishedAt', '2001-01-01T00:00:00.000Z'],
    ['createdBy', 1],
    ['updatedBy', 1],
    ['locale', 'fr'],
    ['localizations', []],
  ];

  it.each(MANAGED)('create_document with a client-sent %s is refused and stores nothing', async (key, value) => {
    const title = `Managed key ${key}`;
    const before = await articles().count({} as never);
    for (const dryRun of [true, false]) {
      const result = await call(publisher, 'create_document', {
        contentType: 'article',
        data: { title, kind: 'news', [key]: value },
        dryRun,
      });
      expectCleanRefusal(result, new RegExp(`data\\.${key}: ${key} is managed by Strapi and cannot be written`));
    }
    expect(await articles().count({} as never)).toBe(before);
    expect(await articles().count({ filters: { title } } as never)).toBe(0);
    expect(await app.strapi.db.query(ARTICLE as never).count({ where: { id: 99999 } })).toBe(0);
    expect(
      await app.strapi.db.query(ARTICLE as never).count({ where: { documentId: 'chosenbytheclient0000000a' } }),
    ).toBe(0);
  });

  it.each(MANAGED)('update_document with a client-sent %s is refused and changes nothing', async (key, value) => {
    const own = await seeded(11);
    const result = await call(publisher, 'update_document', {
      contentType: 'article',
      documentId: own.documentId,
      data: { title: 'Rewritten', [key]: value },
    });
    expectCleanRefusal(result, /is managed by Strapi and cannot be written/);
    const now = await stored(own.documentId);
    expect(now!.title).toBe(own.title);
    expect(now!.id).toBe(own.id);
    expect(now!.createdAt).toEqual(own.createdAt);
    expect(now!.updatedAt).toEqual(own.updatedAt);
  });

  it('create_document with the private internalNotes is refused as an unknown field and stores nothing', async () => {
    const title = 'Sets a private field';
    const result = await call(admin, 'create_document', {
      contentType: 'article',
      data: { title, kind: 'news', internalNotes: 'planted' },
    });
    expectCleanRefusal(result, /data\.internalNotes: unknown field/);
    const madeUp = await call(admin, 'create_document', {
      contentType: 'article',
      data: { title, kind: 'news', noSuchField: 'planted' },
    });
    expect(textOf(madeUp).replaceAll('noSuchField', 'internalNotes')).toBe(textOf(result));
    expect(await articles().count({ filters: { title } } as never)).toBe(0);
  });
});

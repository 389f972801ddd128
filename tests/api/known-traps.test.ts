/**
 * The verified Strapi 5 traps of /work/shared/notes/strapi-internals.md, one attack each, replayed over MCP:
 * filter/sort/fields/populate oracles on the private internalNotes and through createdBy into admin secrets, `_q`
 * searching private columns, client-sent managed keys stored as given, mutations that ignore `filters`, the permission
 * checker dropping the ownership condition, page/pageSize ignored by findMany, unknown operators, unbounded filter
 * and populate depth, unchecked locales. Every successful response is checked on the spot: no private field, admin
 * relation or admin-user secret ever reaches the model.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const ARTICLE = 'api::article.article';
const HOMEPAGE = 'api::homepage.homepage';
type Doc = Record<string, any>;

/** Nothing of this may appear in any successful tool result. */
const FORBIDDEN_IN_OUTPUT =
  /internalNotes|createdBy|updatedBy|password|resetPasswordToken|registrationToken|confidential margin note|Internal \d+:|@example\.com/;

const textOf = (result: CallToolResult) =>
  result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
const dataOf = (result: CallToolResult): Doc[] => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return (result.structuredContent as { data: Doc[] }).data;
};
const paginationOf = (result: CallToolResult) =>
  (
    result.structuredContent as {
      meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
    }
  ).meta.pagination;

let app: TestApp;
let reader: ConnectedClient;
let publisher: ConnectedClient;
let author1: ConnectedClient;
/** author1's admin user (Strapi role mcp-author: update only with "is creator") with a Publisher role claim. */
let author1AsPublisher: ConnectedClient;
let admin: ConnectedClient;
let successfulResponses = 0;

/** Calls a tool; a successful result is checked at once for anything private. */
const call = async (session: ConnectedClient, tool: string, args: Record<string, unknown> = {}) => {
  const result = await session.callTool(tool, args);
  if (!result.isError) {
    successfulResponses += 1;
    expect(JSON.stringify(result), `${tool} ${JSON.stringify(args)}`).not.toMatch(FORBIDDEN_IN_OUTPUT);
  }
  return result;
};

const expectRefused = (result: CallToolResult, message: RegExp) => {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  expect(textOf(result)).toMatch(message);
  expect(textOf(result)).not.toMatch(/internal error/);
  expect(result.structuredContent).toBeUndefined();
};

const articles = () => app.strapi.documents(ARTICLE as never);
const seeded = async (n: number): Promise<Doc> =>
  (await articles().findFirst({ filters: { title: { $endsWith: ` #${n}` } } } as never)) as Doc;
/** The creator's email, read past the Document Service (which rightly refuses private admin fields). */
const creatorOf = async (documentId: string): Promise<string> =>
  (
    (await app.strapi.db
      .query(ARTICLE as never)
      .findOne({ where: { documentId, publishedAt: null }, populate: { createdBy: { select: ['email'] } } })) as Doc
  ).createdBy.email;
const stored = async (documentId: string, status: 'draft' | 'published' = 'draft') =>
  (await articles().findOne({ documentId, status } as never)) as Doc | null;
const countOrg1 = () => articles().count({ filters: { tenantId: 'org-1' } } as never) as Promise<number>;

beforeAll(async () => {
  app = await bootTestApp();
  const token = (email: string, role: string) => app.idp.tokenFor(email, role, 'org-1');
  reader = await connectClient(app, await token('reader@example.com', 'Reader'));
  publisher = await connectClient(app, await token('publisher@example.com', 'Publisher'));
  author1 = await connectClient(app, await token('author1@example.com', 'Author'));
  author1AsPublisher = await connectClient(app, await token('author1@example.com', 'Publisher'));
  admin = await connectClient(app, await token('admin@example.com', 'Admin'));
});
afterAll(async () => {
  for (const session of [reader, publisher, author1, author1AsPublisher, admin]) await session?.close();
  await app?.close();
});

describe('private attribute internalNotes (Document Service filters, sorts, selects and populates private fields)', () => {
  it.each([
    ['a plain filter', { internalNotes: { $startsWith: 'Internal' } }],
    ['$or', { $or: [{ title: { $notNull: true } }, { internalNotes: { $containsi: 'confidential' } }] }],
    ['$not', { $not: { internalNotes: { $null: true } } }],
    ['$and with an equality', { $and: [{ internalNotes: 'Internal 1: confidential margin note, never for agents.' }] }],
    ['a relation (category.articles)', { category: { articles: { internalNotes: { $contains: 'confidential' } } } }],
  ])('filtering on internalNotes through %s is refused, as for a field that does not exist', async (_, filters) => {
    for (const session of [reader, admin]) {
      const result = await call(session, 'find_documents', { contentType: 'article', filters });
      expectRefused(result, /cannot filter on internalNotes/);
      const count = await call(session, 'count_documents', { contentType: 'article', filters });
      expectRefused(count, /cannot filter on internalNotes/);
      // The refusal does not confirm the field exists: a made-up field gets the same words.
      const madeUp = JSON.parse(JSON.stringify(filters).replaceAll('internalNotes', 'noSuchField'));
      const unknown = await call(session, 'find_documents', { contentType: 'article', filters: madeUp });
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
    expectRefused(result, /^sort: .*internalNotes/);
  });

  it('selecting internalNotes with fields is refused on find_documents, get_document and in a populate', async () => {
    const own = await seeded(1);
    expectRefused(
      await call(admin, 'find_documents', { contentType: 'article', fields: ['title', 'internalNotes'] }),
      /fields: cannot select internalNotes/,
    );
    expectRefused(
      await call(admin, 'get_document', {
        contentType: 'article',
        documentId: own.documentId,
        fields: ['internalNotes'],
      }),
      /fields: cannot select internalNotes/,
    );
    expectRefused(
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
      expectRefused(result, /cannot populate internalNotes/);
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
      expectRefused(result, /cannot filter on (createdBy|updatedBy)/);
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
    expectRefused(result, /createdBy|updatedBy/);
  });
});

describe('search (Strapi _q searches every column, private ones included)', () => {
  it('search_documents does not match text found only in internalNotes', async () => {
    for (const session of [reader, publisher, admin]) {
      for (const query of ['confidential', 'margin note', 'never for agents', 'Internal 1:']) {
        const result = await call(session, 'search_documents', { contentType: 'article', query });
        expect(dataOf(result), query).toEqual([]);
        expect(paginationOf(result).total).toBe(0);
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
    expect(paginationOf(result).total).toBe(1);
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
    expect(paginationOf(asPublisher).total).toBe(
      await articles().count({ filters: { tenantId: 'org-1', reviewNotes: { $containsi: 'tighten' } } } as never),
    );
    expect(paginationOf(asPublisher).total).toBeGreaterThan(0);
  });

  it('a smuggled _q argument does not reach the Document Service', async () => {
    const result = await call(reader, 'find_documents', { contentType: 'article', _q: 'Internal 7:', pageSize: 100 });
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
      expectRefused(result, new RegExp(`data\\.${key}: ${key} is managed by Strapi and cannot be written`));
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
    expectRefused(result, /is managed by Strapi and cannot be written/);
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
    expectRefused(result, /data\.internalNotes: unknown field/);
    const madeUp = await call(admin, 'create_document', {
      contentType: 'article',
      data: { title, kind: 'news', noSuchField: 'planted' },
    });
    expect(textOf(madeUp).replaceAll('noSuchField', 'internalNotes')).toBe(textOf(result));
    expect(await articles().count({ filters: { title } } as never)).toBe(0);
  });
});

describe('mutations by documentId (update, publish and discardDraft ignore filters)', () => {
  it('an Author (update-own) cannot update another author’s article in the same tenant', async () => {
    const other = await seeded(3); // org-1, written by author2
    expect(await creatorOf(other.documentId)).toBe('author2@example.com');
    for (const dryRun of [true, false]) {
      const result = await call(author1, 'update_document', {
        contentType: 'article',
        documentId: other.documentId,
        data: { title: 'Hijacked by author1' },
        dryRun,
      });
      expectRefused(result, new RegExp(`^document ${other.documentId} of article not found$`));
    }
    const now = await stored(other.documentId);
    expect(now!.title).toBe(other.title);
    expect(now!.updatedAt).toEqual(other.updatedAt);

    // Its own article in the same tenant it may update.
    const mine = await seeded(5);
    expect(await creatorOf(mine.documentId)).toBe('author1@example.com');
    const updated = await call(author1, 'update_document', {
      contentType: 'article',
      documentId: mine.documentId,
      data: { title: 'Edited by its author' },
    });
    expect(updated.isError, textOf(updated)).toBeFalsy();
    expect((await stored(mine.documentId))!.title).toBe('Edited by its author');
  });

  it('a Publisher claim does not lift Strapi’s "is creator" condition (the checker’s object form drops it)', async () => {
    const other = await seeded(15); // org-1, written by author2
    expect(await creatorOf(other.documentId)).toBe('author2@example.com');
    const result = await call(author1AsPublisher, 'update_document', {
      contentType: 'article',
      documentId: other.documentId,
      data: { title: 'Hijacked with a Publisher claim' },
    });
    expectRefused(result, /not found/);
    expect((await stored(other.documentId))!.title).toBe(other.title);

    // Strapi grants this user no publish at all: publish and discard_draft are refused whatever the claim says.
    const draft = await seeded(25); // org-1, author1's, published
    expect(await creatorOf(draft.documentId)).toBe('author1@example.com');
    await articles().update({ documentId: draft.documentId, data: { title: 'Unpublished draft change' } } as never);
    for (const tool of ['publish_document', 'discard_draft', 'unpublish_document']) {
      const refused = await call(author1AsPublisher, tool, { contentType: 'article', documentId: draft.documentId });
      expectRefused(refused, /Strapi admin role does not grant publish/);
    }
    expect((await stored(draft.documentId, 'draft'))!.title).toBe('Unpublished draft change');
    expect((await stored(draft.documentId, 'published'))!.title).toBe(draft.title);
  });

  it('publish_document and discard_draft of another tenant’s article are "not found" and change nothing', async () => {
    const neverPublished = await seeded(24); // org-2, a draft
    expect(await stored(neverPublished.documentId, 'published')).toBeNull();
    expectRefused(
      await call(publisher, 'publish_document', { contentType: 'article', documentId: neverPublished.documentId }),
      /not found/,
    );
    expect(await stored(neverPublished.documentId, 'published')).toBeNull();

    const edited = await seeded(26); // org-2, published
    await articles().update({ documentId: edited.documentId, data: { title: 'org-2 pending edit' } } as never);
    expectRefused(
      await call(publisher, 'discard_draft', { contentType: 'article', documentId: edited.documentId }),
      /not found/,
    );
    expect((await stored(edited.documentId, 'draft'))!.title).toBe('org-2 pending edit');
  });

  it('an Author cannot create straight into published (no publish right), and nothing is stored', async () => {
    const title = 'Author publishes directly';
    const result = await call(author1, 'create_document', {
      contentType: 'article',
      data: { title, kind: 'news' },
      status: 'published',
    });
    expectRefused(result, /may not publish/);
    expect(await articles().count({ filters: { title } } as never)).toBe(0);
  });
});

describe('pagination (findMany ignores page/pageSize; without a limit it returns every row)', () => {
  it('pageSize 2 returns 2 documents, page 2 the next 2, with the right total', async () => {
    const total = await countOrg1();
    const page = async (number: number) =>
      call(reader, 'find_documents', {
        contentType: 'article',
        sort: ['title:asc', 'id:asc'],
        fields: ['title'],
        page: number,
        pageSize: 2,
      });
    const first = await page(1);
    const second = await page(2);
    expect(dataOf(first)).toHaveLength(2);
    expect(dataOf(second)).toHaveLength(2);
    expect(paginationOf(first)).toEqual({ page: 1, pageSize: 2, pageCount: Math.ceil(total / 2), total });
    expect(paginationOf(second)).toMatchObject({ page: 2, pageSize: 2, total });
    const firstIds = dataOf(first).map((doc) => doc.documentId);
    const secondIds = dataOf(second).map((doc) => doc.documentId);
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([]);

    // The pages are the slices of the full, sorted list.
    const all = await call(reader, 'find_documents', {
      contentType: 'article',
      sort: ['title:asc', 'id:asc'],
      fields: ['title'],
      pageSize: 100,
    });
    const allIds = dataOf(all).map((doc) => doc.documentId);
    expect(allIds).toHaveLength(total);
    expect([...firstIds, ...secondIds]).toEqual(allIds.slice(0, 4));
    const beyond = await page(Math.ceil(total / 2) + 1);
    expect(dataOf(beyond)).toEqual([]);
  });

  it('without page arguments the default page size (25) applies, not "every row"', async () => {
    const result = await call(admin, 'find_documents', { contentType: 'category' });
    expect(paginationOf(result).pageSize).toBe(25);
    const search = await call(reader, 'search_documents', { contentType: 'article', query: 'a', pageSize: 3 });
    expect(dataOf(search)).toHaveLength(3);
    expect(paginationOf(search).total).toBeGreaterThan(3);
  });

  it.each([
    ['find_documents', {}],
    ['search_documents', { query: 'the' }],
  ])('%s with pageSize above 100 is refused', async (tool, args) => {
    for (const pageSize of [101, 1000, 100000]) {
      const result = await call(reader, tool, { contentType: 'article', pageSize, ...args });
      expectRefused(result, /pageSize must be between 1 and 100/);
    }
    const atMax = await call(reader, tool, { contentType: 'article', pageSize: 100, ...args });
    expect(atMax.isError, textOf(atMax)).toBeFalsy();
  });
});

describe('operator allowlist and depth limits', () => {
  it.each(['$where', '$regex', '$raw', '$jsonSupersetOf', '$foo'])('the operator %s is refused', async (operator) => {
    const placements: Array<Record<string, unknown>> = [
      { title: { [operator]: 'x' } },
      { [operator]: 'x' },
      { $not: { title: { [operator]: 'x' } } },
      { title: { $not: { [operator]: 'x' } } },
      { $or: [{ title: { [operator]: 'x' } }] },
      { category: { name: { [operator]: 'x' } } },
    ];
    for (const filters of placements) {
      const result = await call(reader, 'find_documents', { contentType: 'article', filters });
      expectRefused(result, new RegExp(`operator \\${operator} is not allowed`));
    }
    const inPopulate = await call(reader, 'find_documents', {
      contentType: 'article',
      populate: { category: { filters: { name: { [operator]: 'x' } } } },
    });
    expectRefused(inPopulate, /is not allowed/);
  });

  it('list and value operands must be plain values ($in with an object, $eq with an object)', async () => {
    expectRefused(
      await call(reader, 'find_documents', { contentType: 'article', filters: { title: { $in: [{ $ne: null }] } } }),
      /expected a list of values/,
    );
    expectRefused(
      await call(reader, 'find_documents', { contentType: 'article', filters: { title: { $eq: { $ne: null } } } }),
      /expected a string, number, boolean or null/,
    );
  });

  const nestedAnd = (levels: number): Record<string, unknown> => {
    let filters: Record<string, unknown> = { title: { $notNull: true } };
    for (let level = 1; level < levels; level += 1) filters = { $and: [filters] };
    return filters;
  };

  it('filters nested deeper than 5 levels are refused', async () => {
    const atLimit = await call(reader, 'find_documents', {
      contentType: 'article',
      filters: nestedAnd(5),
      pageSize: 1,
    });
    expect(atLimit.isError, textOf(atLimit)).toBeFalsy();
    expect(paginationOf(atLimit).total).toBe(await countOrg1());
    for (const levels of [6, 50]) {
      expectRefused(
        await call(reader, 'find_documents', { contentType: 'article', filters: nestedAnd(levels) }),
        /filters may nest at most 5 levels/,
      );
    }
    // Relations count as levels too.
    const throughRelations = {
      category: { articles: { category: { articles: { category: { name: 'Product' } } } } },
    };
    expectRefused(
      await call(reader, 'find_documents', { contentType: 'article', filters: throughRelations }),
      /filters may nest at most 5 levels/,
    );
    let negations: Record<string, unknown> = { title: 'x' };
    for (let level = 0; level < 6; level += 1) negations = { $not: negations };
    expectRefused(
      await call(reader, 'count_documents', { contentType: 'article', filters: negations }),
      /filters may nest at most 5 levels/,
    );
  });

  it('populate deeper than 2 levels is refused', async () => {
    for (const populate of [
      { category: { populate: { articles: { populate: { category: true } } } } },
      ['category.articles.category'],
      'category.articles.category',
    ]) {
      expectRefused(
        await call(reader, 'find_documents', { contentType: 'article', populate }),
        /populate may go at most 2 levels deep/,
      );
    }
    const atLimit = await call(reader, 'find_documents', {
      contentType: 'article',
      populate: { category: { populate: { articles: true } } },
      pageSize: 1,
    });
    expect(atLimit.isError, textOf(atLimit)).toBeFalsy();
  });
});

describe('other verified traps', () => {
  it('an uninstalled locale (de) is refused and no locale version is created', async () => {
    const result = await call(publisher, 'update_document', {
      contentType: 'homepage',
      locale: 'de',
      data: { title: 'Willkommen' },
    });
    expectRefused(result, /locale de is not installed/);
    expect(await app.strapi.documents(HOMEPAGE as never).findFirst({ locale: 'de' } as never)).toBeNull();
    expectRefused(await call(reader, 'find_documents', { contentType: 'article', locale: 'de' }), /not localized/);
  });

  it.each([
    'admin::user',
    'admin::role',
    'plugin::users-permissions.user',
    'plugin::mcp-server.audit-log',
    'api::nope.nope',
  ])('reaching %s is refused without an internal error', async (contentType) => {
    const result = await call(admin, 'find_documents', { contentType });
    expectRefused(result, new RegExp(`content type ${contentType.replace(/[.]/g, '\\.')} is not available`));
  });

  it('no successful response of any tool, for any role, contains internalNotes, createdBy, updatedBy or a password', async () => {
    const own = await seeded(13);
    const sweeps: Array<[ConnectedClient, string, Record<string, unknown>]> = [
      [admin, 'find_documents', { contentType: 'article', populate: '*', pageSize: 100 }],
      [admin, 'find_documents', { contentType: 'category', populate: { articles: { populate: '*' } } }],
      [admin, 'get_document', { contentType: 'article', documentId: own.documentId, populate: '*' }],
      [admin, 'get_document', { contentType: 'homepage' }],
      [admin, 'search_documents', { contentType: 'article', query: 'the', pageSize: 100 }],
      [admin, 'count_documents', { contentType: 'article' }],
      [admin, 'list_content_types', {}],
      [admin, 'describe_content_type', { contentType: 'article' }],
      [publisher, 'find_documents', { contentType: 'article', status: 'published', populate: '*' }],
      [reader, 'find_documents', { contentType: 'article', populate: { category: { populate: { articles: true } } } }],
      [author1, 'find_documents', { contentType: 'article', populate: '*' }],
      [admin, 'create_document', { contentType: 'article', data: { title: 'Sweep', kind: 'news' }, dryRun: true }],
      [admin, 'update_document', { contentType: 'article', documentId: own.documentId, data: { title: 'Swept' } }],
      [admin, 'publish_document', { contentType: 'article', documentId: own.documentId }],
      [admin, 'unpublish_document', { contentType: 'article', documentId: own.documentId, dryRun: true }],
      [admin, 'delete_document', { contentType: 'article', documentId: own.documentId, dryRun: true }],
    ];
    for (const [session, tool, args] of sweeps) {
      const result = await call(session, tool, args);
      expect(result.isError, `${tool}: ${textOf(result)}`).toBeFalsy();
    }
    expect(successfulResponses).toBeGreaterThan(sweeps.length);
  });
});

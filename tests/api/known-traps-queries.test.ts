/**
 * The verified Strapi 5 traps of /work/shared/notes/strapi-internals.md about query arguments, one attack each,
 * replayed over MCP: mutations that ignore `filters`, the permission checker dropping the ownership condition,
 * page/pageSize ignored by findMany, unknown operators, unbounded filter and populate depth, unchecked locales, and
 * content types out of reach. Every successful response is checked on the spot: no private field, admin relation or
 * admin-user secret ever reaches the model (the last test sweeps every tool). The traps about private fields, admin
 * relations, search and managed keys are in known-traps-fields.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCleanRefusal, trapFixtures } from '../helpers/known-traps';
import { dataOf, paginationOf } from '../helpers/list-results';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { HOMEPAGE, textOf } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let reader: ConnectedClient;
let publisher: ConnectedClient;
let author1: ConnectedClient;
/** author1's admin user (Strapi role mcp-author: update only with "is creator") with a Publisher role claim. */
let author1AsPublisher: ConnectedClient;
let admin: ConnectedClient;
const { call, successfulResponses, articles, seeded, creatorOf, stored, countOrg1 } = trapFixtures(() => app);

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
      expectCleanRefusal(result, new RegExp(`^document ${other.documentId} of article not found$`));
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
    expectCleanRefusal(result, /not found/);
    expect((await stored(other.documentId))!.title).toBe(other.title);

    // Strapi grants this user no publish at all: the publishing tools are not offered whatever the claim says.
    const draft = await seeded(25); // org-1, author1's, published
    expect(await creatorOf(draft.documentId)).toBe('author1@example.com');
    await articles().update({ documentId: draft.documentId, data: { title: 'Unpublished draft change' } } as never);
    for (const tool of ['publish_document', 'discard_draft', 'unpublish_document']) {
      const refused = await call(author1AsPublisher, tool, { contentType: 'article', documentId: draft.documentId });
      expectCleanRefusal(refused, new RegExp(`^MCP error -32602: Tool ${tool} not found$`));
    }
    expect((await stored(draft.documentId, 'draft'))!.title).toBe('Unpublished draft change');
    expect((await stored(draft.documentId, 'published'))!.title).toBe(draft.title);
  });

  it('publish_document and discard_draft of another tenant’s article are "not found" and change nothing', async () => {
    const neverPublished = await seeded(24); // org-2, a draft
    expect(await stored(neverPublished.documentId, 'published')).toBeNull();
    expectCleanRefusal(
      await call(publisher, 'publish_document', { contentType: 'article', documentId: neverPublished.documentId }),
      /not found/,
    );
    expect(await stored(neverPublished.documentId, 'published')).toBeNull();

    const edited = await seeded(26); // org-2, published
    await articles().update({ documentId: edited.documentId, data: { title: 'org-2 pending edit' } } as never);
    expectCleanRefusal(
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
    expectCleanRefusal(result, /may not publish/);
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
        withCount: true,
      });
    const first = await page(1);
    const second = await page(2);
    expect(dataOf(first)).toHaveLength(2);
    expect(dataOf(second)).toHaveLength(2);
    expect(paginationOf(first)).toEqual({
      page: 1,
      pageSize: 2,
      hasMore: true,
      nextCursor: expect.any(String),
      pageCount: Math.ceil(total / 2),
      total,
    });
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
    expect(paginationOf(search).hasMore).toBe(true);
  });

  it.each([
    ['find_documents', {}],
    ['search_documents', { query: 'the' }],
  ])('%s with pageSize above 100 is refused', async (tool, args) => {
    for (const pageSize of [101, 1000, 100000]) {
      const result = await call(reader, tool, { contentType: 'article', pageSize, ...args });
      expectCleanRefusal(result, /pageSize must be between 1 and 100/);
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
      expectCleanRefusal(result, new RegExp(`operator \\${operator} is not allowed`));
    }
    const inPopulate = await call(reader, 'find_documents', {
      contentType: 'article',
      populate: { category: { filters: { name: { [operator]: 'x' } } } },
    });
    expectCleanRefusal(inPopulate, /is not allowed/);
  });

  it('list and value operands must be plain values ($in with an object, $eq with an object)', async () => {
    expectCleanRefusal(
      await call(reader, 'find_documents', { contentType: 'article', filters: { title: { $in: [{ $ne: null }] } } }),
      /expected a list of values/,
    );
    expectCleanRefusal(
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
      withCount: true,
    });
    expect(atLimit.isError, textOf(atLimit)).toBeFalsy();
    expect(paginationOf(atLimit).total).toBe(await countOrg1());
    for (const levels of [6, 50]) {
      expectCleanRefusal(
        await call(reader, 'find_documents', { contentType: 'article', filters: nestedAnd(levels) }),
        /filters may nest at most 5 levels/,
      );
    }
    // Relations count as levels too.
    const throughRelations = {
      category: { $and: [{ $or: [{ $and: [{ $or: [{ name: 'Product' }] }] }] }] },
    };
    expectCleanRefusal(
      await call(reader, 'find_documents', { contentType: 'article', filters: throughRelations }),
      /filters may nest at most 5 levels/,
    );
    let negations: Record<string, unknown> = { title: 'x' };
    for (let level = 0; level < 6; level += 1) negations = { $not: negations };
    expectCleanRefusal(
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
      // Refused for its depth, or earlier: a to-many relation is never populated inside another document.
      expectCleanRefusal(
        await call(reader, 'find_documents', { contentType: 'article', populate }),
        /populate may go at most 2 levels deep|articles holds several entries per document/,
      );
    }
    const atLimit = await call(reader, 'find_documents', {
      contentType: 'article',
      populate: { category: { populate: '*' } },
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
    expectCleanRefusal(result, /locale de is not installed/);
    expect(await app.strapi.documents(HOMEPAGE as never).findFirst({ locale: 'de' } as never)).toBeNull();
    expectCleanRefusal(await call(reader, 'find_documents', { contentType: 'article', locale: 'de' }), /not localized/);
  });

  it.each([
    'admin::user',
    'admin::role',
    'plugin::users-permissions.user',
    'plugin::mcp-server.audit-log',
    'api::nope.nope',
  ])('reaching %s is refused without an internal error', async (contentType) => {
    const result = await call(admin, 'find_documents', { contentType });
    expectCleanRefusal(result, new RegExp(`content type ${contentType.replace(/[.]/g, '\\.')} is not available`));
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
      [reader, 'find_documents', { contentType: 'article', populate: { category: { populate: '*' } } }],
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
    expect(successfulResponses()).toBeGreaterThan(sweeps.length);
  });
});

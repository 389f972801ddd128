/**
 * Tenant isolation: two tenants (org-1 = odd seeded articles, org-2 = even ones) on the tenant-aware article type, and
 * the shared (not tenant-aware) category type that links to articles of both. Every test is one escape attempt by an
 * org-1 caller: filter tricks ($or, $not, $ne, filters and sorts through category.articles), populate, relation writes
 * (connect, set, disconnect, plain lists), foreign documentIds on every document tool, a foreign tenantId in the data,
 * count and search. Each must be refused or filtered, with nothing of org-2 returned or changed (the database is
 * checked directly). A token without a tenant claim is refused on articles unless its role is in crossTenantRoles.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
type Doc = Record<string, any>;

const textOf = (result: CallToolResult) =>
  result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
const dataOf = (result: CallToolResult): Doc[] => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return (result.structuredContent as { data: Doc[] }).data;
};
const totalOf = (result: CallToolResult): number =>
  (result.structuredContent as { meta: { pagination: { total: number } } }).meta.pagination.total;

/** A refusal, or an answer in which nothing matched: either way, no signal about the other tenant. */
const expectNothingFound = (result: CallToolResult) => {
  if (result.isError) return;
  const content = result.structuredContent as { data?: Doc[]; count?: number };
  if ('count' in content) expect(content.count).toBe(0);
  else expect(content.data).toEqual([]);
};

/** "document X of article not found", the same words for a foreign document as for one that does not exist. */
const expectNotFound = (result: CallToolResult, documentId: string) => {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toBe(`document ${documentId} of article not found`);
  expect(result.structuredContent).toBeUndefined();
};

const collectDocumentIds = (value: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) value.forEach((item) => collectDocumentIds(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'documentId' && typeof item === 'string') into.add(item);
      else collectDocumentIds(item, into);
    }
  }
  return into;
};

describe('tenant isolation (org-1 caller, org-2 victim)', () => {
  let app: TestApp;
  let reader: ConnectedClient;
  let reader2: ConnectedClient;
  let publisher: ConnectedClient;
  let admin: ConnectedClient;
  let org2Ids: Set<string>;
  let fixtureCount = 0;

  const articles = () => app.strapi.documents(ARTICLE as never);
  const categories = () => app.strapi.documents(CATEGORY as never);
  const seeded = async (n: number): Promise<Doc> =>
    (await articles().findFirst({ filters: { title: { $endsWith: ` #${n}` } } } as never)) as Doc;
  const stored = async (documentId: string, status: 'draft' | 'published' = 'draft') =>
    (await articles().findOne({
      documentId,
      status,
      populate: { category: { fields: ['name'] } },
    } as never)) as Doc | null;
  const countInTenant = (tenantId: string, filters: Doc = {}) =>
    articles().count({ filters: { $and: [{ tenantId }, filters] } } as never) as Promise<number>;

  /** A fresh shared category holding one published article of each tenant. */
  const sharedCategory = async (titles: { own?: string; foreign?: string } = {}) => {
    fixtureCount += 1;
    const own = (await articles().create({
      data: { title: titles.own ?? `Own fixture ${fixtureCount}`, kind: 'news', tenantId: 'org-1' },
      status: 'published',
    } as never)) as Doc;
    const foreign = (await articles().create({
      data: { title: titles.foreign ?? `Zeta merger plan ${fixtureCount}`, kind: 'news', tenantId: 'org-2' },
      status: 'published',
    } as never)) as Doc;
    org2Ids.add(foreign.documentId);
    const category = (await categories().create({
      data: { name: `Shared ${fixtureCount}`, articles: [own.documentId, foreign.documentId] },
    } as never)) as Doc;
    return { own, foreign, category };
  };

  /** Which category the draft and the published version of an article point at. */
  const categoryOf = async (documentId: string) => [
    (await stored(documentId, 'draft'))?.category?.name ?? null,
    (await stored(documentId, 'published'))?.category?.name ?? null,
  ];

  const expectNoOrg2 = (result: CallToolResult) => {
    const leaked = [...collectDocumentIds(result.structuredContent)].filter((id) => org2Ids.has(id));
    expect(leaked).toEqual([]);
    expect(JSON.stringify(result)).not.toContain('org-2');
  };

  beforeAll(async () => {
    app = await bootTestApp();
    const token = (email: string, role: string, tenant: string) => app.idp.tokenFor(email, role, tenant);
    reader = await connectClient(app, await token('reader@example.com', 'Reader', 'org-1'));
    reader2 = await connectClient(app, await token('reader@example.com', 'Reader', 'org-2'));
    publisher = await connectClient(app, await token('publisher@example.com', 'Publisher', 'org-1'));
    admin = await connectClient(app, await token('admin@example.com', 'Admin', 'org-1'));
    const all = (await articles().findMany({
      filters: { tenantId: 'org-2' },
      fields: ['documentId'],
    } as never)) as Doc[];
    org2Ids = new Set(all.map((doc) => doc.documentId));
  });
  afterAll(async () => {
    for (const session of [reader, reader2, publisher, admin]) await session?.close();
    await app?.close();
  });

  describe('filters', () => {
    it('$or with a tenantId of the other tenant returns only own-tenant documents', async () => {
      const onlyForeign = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { $or: [{ tenantId: 'org-2' }] },
      });
      expect(dataOf(onlyForeign)).toEqual([]);
      expect(totalOf(onlyForeign)).toBe(0);

      const either = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { $or: [{ tenantId: 'org-2' }, { tenantId: 'org-1' }] },
        pageSize: 100,
      });
      const docs = dataOf(either);
      expect(docs.length).toBe(await countInTenant('org-1'));
      expect(totalOf(either)).toBe(await countInTenant('org-1'));
      expect(new Set(docs.map((doc) => doc.tenantId))).toEqual(new Set(['org-1']));
      expectNoOrg2(either);
    });

    it('$not around the own tenant does not flip the injected tenant scope', async () => {
      const result = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { $not: { tenantId: 'org-1' } },
      });
      expect(dataOf(result)).toEqual([]);
      expect(totalOf(result)).toBe(0);
    });

    it('tenantId: { $ne: "org-1" } and { $in: [org-1, org-2] } stay inside org-1', async () => {
      const notMine = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { tenantId: { $ne: 'org-1' } },
      });
      expect(dataOf(notMine)).toEqual([]);
      const both = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { tenantId: { $in: ['org-1', 'org-2'] } },
        pageSize: 100,
      });
      expect(dataOf(both).every((doc) => doc.tenantId === 'org-1')).toBe(true);
      expect(totalOf(both)).toBe(await countInTenant('org-1'));
      expectNoOrg2(both);
    });

    it('filtering by a foreign documentId or numeric id finds nothing', async () => {
      const foreign = await seeded(2);
      const byDocumentId = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { documentId: foreign.documentId },
      });
      expect(dataOf(byDocumentId)).toEqual([]);
      const byId = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { id: { $in: [foreign.id] } },
      });
      expect(dataOf(byId)).toEqual([]);
    });

    it('filtering articles through category.articles.tenantId (a foreign-tenant oracle) matches nothing', async () => {
      const { own } = await sharedCategory();
      // The own article's category also holds an org-2 article: the nested filter must not see it.
      const result = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { documentId: own.documentId, category: { articles: { tenantId: 'org-2' } } },
      });
      expectNothingFound(result);
      const byForeignTitle = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { documentId: own.documentId, category: { articles: { title: { $startsWith: 'Zeta merger' } } } },
      });
      expectNothingFound(byForeignTitle);
    });

    it('filtering shared categories by articles of the other tenant matches nothing', async () => {
      // Seeded categories Engineering and Guides hold only org-2 articles.
      const result = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { articles: { tenantId: 'org-2' } },
      });
      expectNothingFound(result);
      // The same oracle reads foreign titles one prefix at a time ("Scaling ..." are org-2 titles only).
      const byTitle = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { articles: { title: { $startsWith: 'Scaling' } } },
      });
      expectNothingFound(byTitle);
    });

    it('filtering a category that holds only foreign articles by articles $notNull / $null does not tell they exist', async () => {
      const hasAny = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { name: 'Engineering', articles: { $notNull: true } },
      });
      expectNothingFound(hasAny);
      const hasNone = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { name: 'Engineering', articles: { $null: true } },
      });
      // Consistent with what the caller is shown for it: a category without (visible) articles.
      if (!hasNone.isError) expect(dataOf(hasNone).map((doc) => doc.name)).toEqual(['Engineering']);
      const shown = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { name: 'Engineering' },
      });
      expect(dataOf(shown)[0].articles).toEqual([]);
    });

    it('count_documents on categories through articles of the other tenant counts nothing', async () => {
      const result = await reader.callTool('count_documents', {
        contentType: 'category',
        filters: { articles: { title: { $startsWith: 'Scaling' } } },
      });
      expectNothingFound(result);
    });

    it('a populate filter through category.articles.tenantId does not reveal foreign articles', async () => {
      const { own } = await sharedCategory();
      const result = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { documentId: own.documentId },
        fields: ['title'],
        populate: { category: { fields: ['name'], filters: { articles: { tenantId: 'org-2' } } } },
      });
      if (!result.isError) expect(dataOf(result).map((doc) => doc.category)).toEqual([null]);
    });

    it('sorting shared categories by articles.title does not order them by foreign-tenant titles', async () => {
      // Same own-tenant titles in both categories: only the org-2 titles could order them.
      const x = await sharedCategory({ own: 'Same own title', foreign: 'AAA foreign' });
      const y = await sharedCategory({ own: 'Same own title', foreign: 'ZZZ foreign' });
      const order = async () => {
        const result = await reader.callTool('find_documents', {
          contentType: 'category',
          filters: { documentId: { $in: [x.category.documentId, y.category.documentId] } },
          fields: ['name'],
          sort: ['articles.title:asc', 'name:asc'],
        });
        return result.isError ? 'refused' : dataOf(result).map((doc) => doc.name);
      };
      const rename = async (documentId: string, title: string) => {
        await articles().update({ documentId, data: { title } } as never);
        await articles().publish({ documentId } as never);
      };
      const before = await order();
      await rename(x.foreign.documentId, 'ZZZ foreign');
      await rename(y.foreign.documentId, 'AAA foreign');
      const after = await order();
      expect(after).toEqual(before);
    });
  });

  describe('populate', () => {
    it('populating category → articles shows only own-tenant articles', async () => {
      const { own, foreign, category } = await sharedCategory();
      const categoriesResult = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { documentId: category.documentId },
        populate: { articles: { fields: ['title', 'tenantId'] } },
      });
      const [shown] = dataOf(categoriesResult);
      expect(shown.articles.map((doc: Doc) => doc.documentId)).toEqual([own.documentId]);
      expectNoOrg2(categoriesResult);

      const nested = await reader.callTool('get_document', {
        contentType: 'article',
        documentId: own.documentId,
        populate: { category: { populate: { articles: true } } },
      });
      expect(nested.isError, textOf(nested)).toBeFalsy();
      const articleRefs = (nested.structuredContent as { data: Doc }).data.category.articles;
      expect(new Set(articleRefs.map((doc: Doc) => doc.documentId))).toEqual(new Set([own.documentId]));
      expectNoOrg2(nested);

      // Unpopulated references are scoped too, and a populate filter cannot widen the scope.
      const refs = await reader.callTool('get_document', { contentType: 'category', documentId: category.documentId });
      expect(JSON.stringify(refs)).not.toContain(foreign.documentId);
      const widened = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { documentId: category.documentId },
        populate: { articles: { filters: { tenantId: 'org-2' } } },
      });
      expect(dataOf(widened)[0].articles).toEqual([]);
      expectNoOrg2(widened);
    });

    it('populating every seeded category → articles lists no org-2 document', async () => {
      const result = await reader.callTool('find_documents', {
        contentType: 'category',
        populate: { articles: { fields: ['title', 'tenantId'] } },
        pageSize: 100,
      });
      const shown = dataOf(result).flatMap((category) => category.articles as Doc[]);
      expect(shown.length).toBeGreaterThan(0);
      expect(shown.every((doc) => doc.tenantId === 'org-1')).toBe(true);
      expectNoOrg2(result);
    });
  });

  describe('relation writes on the shared category', () => {
    it.each([
      ['Publisher', () => publisher],
      ['Admin', () => admin],
    ])('%s cannot connect a foreign-tenant article to a category (connect, set, plain list, create)', async (_, as) => {
      const session = as();
      const { foreign, category } = await sharedCategory();
      const target = (await categories().create({ data: { name: `Empty ${category.name}` } } as never)) as Doc;
      const attempts: Array<Record<string, unknown>> = [
        { articles: { connect: [foreign.documentId] } },
        { articles: { connect: [{ documentId: foreign.documentId }] } },
        { articles: { set: [foreign.documentId] } },
        { articles: [foreign.documentId] },
      ];
      for (const data of attempts) {
        for (const dryRun of [true, false]) {
          const result = await session.callTool('update_document', {
            contentType: 'category',
            documentId: target.documentId,
            data,
            dryRun,
          });
          expect(result.isError, JSON.stringify(data)).toBe(true);
          expect(textOf(result)).toMatch(/not found or not visible/);
        }
      }
      const name = `Stolen ${category.name}`;
      const created = await session.callTool('create_document', {
        contentType: 'category',
        data: { name, articles: [foreign.documentId] },
      });
      expect(created.isError).toBe(true);
      expect(await categories().count({ filters: { name } } as never)).toBe(0);
      // The foreign article still belongs to its own category, in both versions.
      expect(await categoryOf(foreign.documentId)).toEqual([category.name, category.name]);
      const targetNow = (await categories().findOne({
        documentId: target.documentId,
        populate: { articles: true },
      } as never)) as Doc;
      expect(targetNow.articles).toEqual([]);
    });

    it.each([
      ['set to own articles only', (own: string) => ({ articles: { set: [own] } })],
      ['a plain list of own articles', (own: string) => ({ articles: [own] })],
      ['an empty list', () => ({ articles: [] })],
      ['null', () => ({ articles: null })],
    ])('replacing category.articles with %s does not unlink the other tenant’s articles', async (_, data) => {
      const { own, foreign, category } = await sharedCategory();
      const result = await publisher.callTool('update_document', {
        contentType: 'category',
        documentId: category.documentId,
        data: data(own.documentId),
      });
      expectNoOrg2(result);
      expect(await categoryOf(foreign.documentId)).toEqual([category.name, category.name]);
    });

    it('disconnecting a foreign-tenant article from a shared category is refused or ignored', async () => {
      const { foreign, category } = await sharedCategory();
      const result = await publisher.callTool('update_document', {
        contentType: 'category',
        documentId: category.documentId,
        data: { articles: { disconnect: [foreign.documentId] } },
      });
      expect(result.isError ? textOf(result) : '').not.toMatch(/internal error/);
      expect(await categoryOf(foreign.documentId)).toEqual([category.name, category.name]);
    });
  });

  describe('foreign documentId on document tools', () => {
    it('get_document of a foreign article looks exactly like a missing one', async () => {
      const foreign = await seeded(2);
      expectNotFound(
        await reader.callTool('get_document', { contentType: 'article', documentId: foreign.documentId }),
        foreign.documentId,
      );
      expectNotFound(
        await reader.callTool('get_document', {
          contentType: 'article',
          documentId: foreign.documentId,
          status: 'published',
        }),
        foreign.documentId,
      );
      expectNotFound(
        await reader.callTool('get_document', { contentType: 'article', documentId: 'nosuchdocument00000000000' }),
        'nosuchdocument00000000000',
      );
      // The owner tenant does see it.
      const own = await reader2.callTool('get_document', { contentType: 'article', documentId: foreign.documentId });
      expect((own.structuredContent as { data: Doc }).data.title).toBe(foreign.title);
    });

    it('update_document of a foreign article is "not found" and changes nothing', async () => {
      const foreign = await seeded(10);
      for (const dryRun of [true, false]) {
        expectNotFound(
          await publisher.callTool('update_document', {
            contentType: 'article',
            documentId: foreign.documentId,
            data: { title: 'Taken over by org-1' },
            dryRun,
          }),
          foreign.documentId,
        );
      }
      expect((await stored(foreign.documentId))!.title).toBe(foreign.title);
      expect((await stored(foreign.documentId))!.updatedAt).toEqual(foreign.updatedAt);
    });

    it('delete_document (Admin of org-1) of a foreign article is "not found" and deletes nothing', async () => {
      const foreign = await seeded(20);
      for (const dryRun of [true, false]) {
        expectNotFound(
          await admin.callTool('delete_document', { contentType: 'article', documentId: foreign.documentId, dryRun }),
          foreign.documentId,
        );
      }
      expect(await stored(foreign.documentId, 'draft')).not.toBeNull();
      expect(await stored(foreign.documentId, 'published')).not.toBeNull();
    });

    it('publish_document of a foreign draft is "not found" and publishes nothing', async () => {
      const foreign = await seeded(6); // a draft in org-2
      expect(await stored(foreign.documentId, 'published')).toBeNull();
      for (const session of [publisher, admin]) {
        expectNotFound(
          await session.callTool('publish_document', { contentType: 'article', documentId: foreign.documentId }),
          foreign.documentId,
        );
      }
      expect(await stored(foreign.documentId, 'published')).toBeNull();
    });

    it('unpublish_document of a foreign article is "not found" and leaves it online', async () => {
      const foreign = await seeded(4);
      for (const session of [publisher, admin]) {
        expectNotFound(
          await session.callTool('unpublish_document', { contentType: 'article', documentId: foreign.documentId }),
          foreign.documentId,
        );
      }
      expect(await stored(foreign.documentId, 'published')).not.toBeNull();
    });

    it('discard_draft of a foreign article is "not found" and keeps its draft changes', async () => {
      const foreign = await seeded(14);
      await articles().update({ documentId: foreign.documentId, data: { title: 'org-2 work in progress' } } as never);
      for (const session of [publisher, admin]) {
        expectNotFound(
          await session.callTool('discard_draft', { contentType: 'article', documentId: foreign.documentId }),
          foreign.documentId,
        );
      }
      expect((await stored(foreign.documentId, 'draft'))!.title).toBe('org-2 work in progress');
      expect((await stored(foreign.documentId, 'published'))!.title).toBe(foreign.title);
    });
  });

  describe('tenantId in written data', () => {
    it('create_document with tenantId of the other tenant is refused and stores nothing', async () => {
      for (const dryRun of [true, false]) {
        const result = await publisher.callTool('create_document', {
          contentType: 'article',
          data: { title: 'Planted in org-2', kind: 'news', tenantId: 'org-2' },
          dryRun,
        });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/tenantId must be your tenant \(org-1\)/);
      }
      expect(await articles().count({ filters: { title: 'Planted in org-2' } } as never)).toBe(0);

      // Without tenantId the document lands in the caller's tenant.
      const created = await publisher.callTool('create_document', {
        contentType: 'article',
        data: { title: 'Created in my tenant', kind: 'news' },
      });
      const documentId = (created.structuredContent as { data: Doc }).data.documentId as string;
      expect((await stored(documentId))!.tenantId).toBe('org-1');
    });

    it('update_document moving an own article into the other tenant is refused and changes nothing', async () => {
      const own = await seeded(1);
      for (const dryRun of [true, false]) {
        const result = await publisher.callTool('update_document', {
          contentType: 'article',
          documentId: own.documentId,
          data: { tenantId: 'org-2', title: 'Moved' },
          dryRun,
        });
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/tenantId cannot be changed/);
      }
      const now = await stored(own.documentId);
      expect(now!.tenantId).toBe('org-1');
      expect(now!.title).toBe(own.title);
    });

    it('update_document pulling a foreign article into the own tenant is "not found"', async () => {
      const foreign = await seeded(16);
      expectNotFound(
        await admin.callTool('update_document', {
          contentType: 'article',
          documentId: foreign.documentId,
          data: { tenantId: 'org-1' },
        }),
        foreign.documentId,
      );
      expect((await stored(foreign.documentId))!.tenantId).toBe('org-2');
    });
  });

  describe('count and search', () => {
    it('count_documents counts only own-tenant documents, whatever the filter', async () => {
      const plain = await reader.callTool('count_documents', { contentType: 'article' });
      expect(plain.structuredContent).toEqual({ contentType: ARTICLE, count: await countInTenant('org-1') });
      const foreign = await reader.callTool('count_documents', {
        contentType: 'article',
        filters: { $or: [{ tenantId: 'org-2' }, { tenantId: { $ne: 'org-1' } }] },
      });
      expect(foreign.structuredContent).toEqual({ contentType: ARTICLE, count: 0 });
      const org2 = await reader2.callTool('count_documents', { contentType: 'article' });
      expect(org2.structuredContent).toEqual({ contentType: ARTICLE, count: await countInTenant('org-2') });
    });

    it('search_documents does not find a word that only foreign-tenant titles contain', async () => {
      // "Scaling search ..." is article 2, 12, 22, 32: all org-2.
      const mine = await reader.callTool('search_documents', { contentType: 'article', query: 'scaling' });
      expect(dataOf(mine)).toEqual([]);
      expect(totalOf(mine)).toBe(0);
      const byTenant = await reader.callTool('search_documents', { contentType: 'article', query: 'org-2' });
      expect(dataOf(byTenant)).toEqual([]);
      const theirs = await reader2.callTool('search_documents', { contentType: 'article', query: 'scaling' });
      expect(totalOf(theirs)).toBe(await countInTenant('org-2', { title: { $containsi: 'scaling' } }));
      expect(totalOf(theirs)).toBeGreaterThan(0);
    });
  });

  describe('tokens without a tenant claim', () => {
    it('are refused on the tenant-aware article type, for every role not in crossTenantRoles', async () => {
      for (const [email, role] of [
        ['reader@example.com', 'Reader'],
        ['admin@example.com', 'Admin'],
      ]) {
        const session = await connectClient(app, await app.idp.tokenFor(email, role, null));
        try {
          const foreign = await seeded(2);
          for (const [tool, args] of [
            ['find_documents', {}],
            ['count_documents', {}],
            ['get_document', { documentId: foreign.documentId }],
          ] as const) {
            const result = await session.callTool(tool, { contentType: 'article', ...args });
            expect(result.isError, `${role} ${tool}`).toBe(true);
            expect(textOf(result)).toMatch(/tenant-aware and your token carries no tenant claim/);
          }
          const search = await session.callTool('search_documents', { contentType: 'article', query: 'the' });
          expect(search.isError).toBe(true);
          if (role === 'Admin') {
            const created = await session.callTool('create_document', {
              contentType: 'article',
              data: { title: 'No tenant', kind: 'news', tenantId: 'org-2' },
            });
            expect(created.isError).toBe(true);
            expect(await articles().count({ filters: { title: 'No tenant' } } as never)).toBe(0);
          }
        } finally {
          await session.close();
        }
      }
    });

    it('are allowed on the shared category type, without its links into articles', async () => {
      const session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', null));
      try {
        const result = await session.callTool('find_documents', { contentType: 'category', pageSize: 100 });
        const docs = dataOf(result);
        expect(docs.length).toBe(await categories().count({} as never));
        expect(docs.map((doc) => doc.name)).toEqual(expect.arrayContaining(['Product', 'Engineering']));
        expect(docs.every((doc) => !('articles' in doc))).toBe(true);
        expectNoOrg2(result);
        const count = await session.callTool('count_documents', { contentType: 'category' });
        expect((count.structuredContent as { count: number }).count).toBe(docs.length);
        const populate = await session.callTool('find_documents', { contentType: 'category', populate: ['articles'] });
        expect(populate.isError).toBe(true);
        const through = await session.callTool('find_documents', {
          contentType: 'category',
          filters: { articles: { tenantId: 'org-2' } },
        });
        expect(through.isError).toBe(true);
      } finally {
        await session.close();
      }
    });
  });
});

describe('crossTenantRoles: [Admin]', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { crossTenantRoles: ['Admin'] } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('an Admin token without a tenant claim sees and counts both tenants', async () => {
    const session = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', null));
    try {
      const count = await session.callTool('count_documents', { contentType: 'article' });
      expect(count.structuredContent).toEqual({ contentType: ARTICLE, count: 40 });
      const found = await session.callTool('find_documents', { contentType: 'article', pageSize: 100 });
      const docs = dataOf(found);
      expect(docs).toHaveLength(40);
      expect(docs.filter((doc) => doc.tenantId === 'org-1')).toHaveLength(20);
      expect(docs.filter((doc) => doc.tenantId === 'org-2')).toHaveLength(20);
      const search = await session.callTool('search_documents', { contentType: 'article', query: 'scaling' });
      expect(totalOf(search)).toBe(4);

      // Working across tenants, it must name the tenant of what it creates.
      const unnamed = await session.callTool('create_document', {
        contentType: 'article',
        data: { title: 'Cross-tenant note', kind: 'news' },
      });
      expect(unnamed.isError).toBe(true);
      expect(textOf(unnamed)).toMatch(/tenantId is required/);
      const named = await session.callTool('create_document', {
        contentType: 'article',
        data: { title: 'Cross-tenant note', kind: 'news', tenantId: 'org-2' },
      });
      expect(named.isError, textOf(named)).toBeFalsy();
      const stored = (await app.strapi
        .documents(ARTICLE as never)
        .findFirst({ filters: { title: 'Cross-tenant note' } } as never)) as Doc;
      expect(stored.tenantId).toBe('org-2');
    } finally {
      await session.close();
    }
  });

  it('the same Admin with a tenant claim is held to that tenant', async () => {
    const session = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    try {
      const found = await session.callTool('find_documents', { contentType: 'article', pageSize: 100 });
      const docs = dataOf(found);
      expect(docs.length).toBeGreaterThan(0);
      expect(docs.every((doc) => doc.tenantId === 'org-1')).toBe(true);
    } finally {
      await session.close();
    }
  });

  it('a role not listed (Publisher) without a tenant claim is still refused on articles', async () => {
    const session = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', null));
    try {
      const result = await session.callTool('find_documents', { contentType: 'article' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/no tenant claim/);
    } finally {
      await session.close();
    }
  });
});

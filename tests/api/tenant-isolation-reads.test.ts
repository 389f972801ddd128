/**
 * Tenant isolation on reads: two tenants (org-1 = odd seeded articles, org-2 = even ones) on the tenant-aware article
 * type, and the shared (not tenant-aware) category type that links to articles of both. Every test is one escape
 * attempt by an org-1 caller: filter tricks ($or, $not, $ne, filters and sorts through category.articles), populate,
 * count and search. Each must be refused or filtered, with nothing of org-2 returned (the database is checked
 * directly). A token without a tenant claim is refused on articles unless its role is in crossTenantRoles. Writes
 * (relation writes, foreign documentIds on the document tools, a foreign tenantId in the data) are in
 * tenant-isolation-writes.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, paginationOf, totalOf } from '../helpers/list-results';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, textOf, type Doc } from '../helpers/results';
import { expectNothingFound, tenantFixtures } from '../helpers/tenant-isolation';
import { bootTestApp, type TestApp } from '../helpers/test-app';

describe('tenant isolation (org-1 caller, org-2 victim)', () => {
  let app: TestApp;
  let reader: ConnectedClient;
  let reader2: ConnectedClient;
  const { articles, categories, seeded, countInTenant, loadOrg2Ids, sharedCategory, expectNoOrg2 } = tenantFixtures(
    () => app,
  );

  beforeAll(async () => {
    app = await bootTestApp();
    const token = (email: string, role: string, tenant: string) => app.idp.tokenFor(email, role, tenant);
    reader = await connectClient(app, await token('reader@example.com', 'Reader', 'org-1'));
    reader2 = await connectClient(app, await token('reader@example.com', 'Reader', 'org-2'));
    await loadOrg2Ids();
  });
  afterAll(async () => {
    for (const session of [reader, reader2]) await session?.close();
    await app?.close();
  });

  describe('filters', () => {
    it('$or with a tenantId of the other tenant returns only own-tenant documents', async () => {
      const onlyForeign = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { $or: [{ tenantId: 'org-2' }] },
        withCount: true,
      });
      expect(dataOf(onlyForeign)).toEqual([]);
      expect(totalOf(onlyForeign)).toBe(0);

      const either = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { $or: [{ tenantId: 'org-2' }, { tenantId: 'org-1' }] },
        pageSize: 100,
        withCount: true,
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
        withCount: true,
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
        withCount: true,
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
        populate: ['articles'],
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
      // A to-many relation is never populated inside another document: refused, and nothing of org-2 shows.
      expect(nested.isError).toBe(true);
      expect(textOf(nested)).toMatch(/articles holds several entries per document/);
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
      expect(paginationOf(mine).hasMore).toBe(false);
      const byTenant = await reader.callTool('search_documents', { contentType: 'article', query: 'org-2' });
      expect(dataOf(byTenant)).toEqual([]);
      const theirs = await reader2.callTool('search_documents', { contentType: 'article', query: 'scaling' });
      expect(dataOf(theirs)).toHaveLength(await countInTenant('org-2', { title: { $containsi: 'scaling' } }));
      expect(dataOf(theirs).length).toBeGreaterThan(0);
      expect(paginationOf(theirs).hasMore).toBe(false);
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
      expect(dataOf(search)).toHaveLength(4);

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

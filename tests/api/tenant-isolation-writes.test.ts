/**
 * Tenant isolation on writes and on the document tools: two tenants (org-1 = odd seeded articles, org-2 = even ones)
 * on the tenant-aware article type, and the shared (not tenant-aware) category type that links to articles of both.
 * Every test is one escape attempt by an org-1 caller: relation writes on a shared category (connect, set, disconnect,
 * plain lists), foreign documentIds on every document tool (get, update, delete, publish, unpublish, discard), and a
 * foreign tenantId in the data. Each must be refused, with nothing of org-2 returned or changed (the database is
 * checked directly). Reads (filters, populate, count, search, tokens without a tenant claim) are in
 * tenant-isolation-reads.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { textOf, type Doc } from '../helpers/results';
import { expectNotFound, tenantFixtures } from '../helpers/tenant-isolation';
import { bootTestApp, type TestApp } from '../helpers/test-app';

describe('tenant isolation (org-1 caller, org-2 victim)', () => {
  let app: TestApp;
  let reader: ConnectedClient;
  let reader2: ConnectedClient;
  let publisher: ConnectedClient;
  let admin: ConnectedClient;
  const { articles, categories, seeded, stored, loadOrg2Ids, sharedCategory, categoryOf, expectNoOrg2 } =
    tenantFixtures(() => app);

  beforeAll(async () => {
    app = await bootTestApp();
    const token = (email: string, role: string, tenant: string) => app.idp.tokenFor(email, role, tenant);
    reader = await connectClient(app, await token('reader@example.com', 'Reader', 'org-1'));
    reader2 = await connectClient(app, await token('reader@example.com', 'Reader', 'org-2'));
    publisher = await connectClient(app, await token('publisher@example.com', 'Publisher', 'org-1'));
    admin = await connectClient(app, await token('admin@example.com', 'Admin', 'org-1'));
    await loadOrg2Ids();
  });
  afterAll(async () => {
    for (const session of [reader, reader2, publisher, admin]) await session?.close();
    await app?.close();
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
});

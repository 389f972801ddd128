/**
 * The rules around the role matrix of the playground policy (role-matrix-cells.test.ts), with tenant org-1:
 * createdBy/updatedBy stamped with the resolved admin user (and never taken from the client), update-own, locked
 * articles, the Authors' kind condition, the publish right on create and update, and the homepage as a localized
 * single type. Each case is checked by the answer and by the database afterwards. A second boot gives the Publisher a
 * delete right to reach the locked condition on delete.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, HOMEPAGE, documents, expectRefused, textOf, unique, type Doc } from '../helpers/results';
import { bootRoleMatrix, data, noTool } from '../helpers/role-matrix';
import { bootTestApp, type TestApp } from '../helpers/test-app';

describe('default playground policy', () => {
  const matrix = bootRoleMatrix();
  const { userIds, call, rowsOf, draftOf, createArticle, resetHomepage } = matrix;

  describe('createdBy and updatedBy are the resolved admin user', () => {
    it('create stamps both with the caller; an update by someone else changes updatedBy only', async () => {
      const { app } = matrix;
      // The token's email differs in case from the stored one: the stamp is the admin user it resolves to.
      const author = await connectClient(app, await app.idp.tokenFor('AUTHOR1@Example.com', 'Author', 'org-1'));
      try {
        const title = unique('stamped');
        const created = await author.callTool('create_document', { contentType: 'article', data: { title } });
        expect(created.isError, textOf(created)).toBeFalsy();
        const { documentId } = data(created).data;
        let row = await app.strapi.db
          .query(ARTICLE)
          .findOne({ where: { documentId }, populate: ['createdBy', 'updatedBy'] });
        expect(row.createdBy).toMatchObject({ id: userIds['author1@example.com'], email: 'author1@example.com' });
        expect(row.updatedBy).toMatchObject({ id: userIds['author1@example.com'] });

        const updated = await call('Publisher', 'update', {
          contentType: 'article',
          documentId,
          data: { title: `${title}!` },
        });
        expect(updated.isError, textOf(updated)).toBeFalsy();
        row = await app.strapi.db
          .query(ARTICLE)
          .findOne({ where: { documentId }, populate: ['createdBy', 'updatedBy'] });
        expect(row.title).toBe(`${title}!`);
        expect(row.createdBy.id).toBe(userIds['author1@example.com']);
        expect(row.updatedBy.id).toBe(userIds['publisher@example.com']);

        // The Author's own update puts them back as the last editor.
        const own = await author.callTool('update_document', {
          contentType: 'article',
          documentId,
          data: { kind: 'blog' },
        });
        expect(own.isError, textOf(own)).toBeFalsy();
        row = await app.strapi.db
          .query(ARTICLE)
          .findOne({ where: { documentId }, populate: ['createdBy', 'updatedBy'] });
        expect(row.createdBy.id).toBe(userIds['author1@example.com']);
        expect(row.updatedBy.id).toBe(userIds['author1@example.com']);
      } finally {
        await author.close();
      }
    });

    it('refuses a forged createdBy or updatedBy on create and update, and stores nothing', async () => {
      const title = unique('forged');
      const forgedCreate = await call('Author', 'create', {
        contentType: 'article',
        data: { title, createdBy: userIds['author2@example.com'] },
      });
      expectRefused(forgedCreate, /^data\.createdBy: createdBy is managed by Strapi and cannot be written$/);
      expect(await rowsOf(ARTICLE, { title })).toEqual([]);

      const fixture = await createArticle();
      const forgedUpdate = await call('Author', 'update', {
        contentType: 'article',
        documentId: fixture.documentId,
        data: { title, updatedBy: userIds['admin@example.com'] },
      });
      expectRefused(forgedUpdate, /^data\.updatedBy: updatedBy is managed by Strapi and cannot be written$/);
      const draft = await draftOf(ARTICLE, fixture.documentId);
      expect(draft.title).toBe(fixture.title);
      expect(draft.updatedBy.id).toBe(userIds['author1@example.com']);
    });
  });

  describe('Author: update-own', () => {
    it('updates an article they created', async () => {
      const own = await createArticle({ owner: 'author1@example.com' });
      const result = await call('Author', 'update', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title: `${own.title} (edited)` },
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(data(result).diff).toEqual({ title: { from: own.title, to: `${own.title} (edited)` } });
      expect((await draftOf(ARTICLE, own.documentId)).title).toBe(`${own.title} (edited)`);
    });

    it("is refused another author's article of the same tenant, which stays unchanged (also in dry run)", async () => {
      const others = await createArticle({ owner: 'author2@example.com' });
      for (const dryRun of [false, true]) {
        const result = await call('Author', 'update', {
          contentType: 'article',
          documentId: others.documentId,
          data: { title: 'taken over' },
          dryRun,
        });
        expectRefused(result, new RegExp(`^document ${others.documentId} of article not found$`));
      }
      const draft = await draftOf(ARTICLE, others.documentId);
      expect(draft.title).toBe(others.title);
      expect(draft.updatedBy.id).toBe(userIds['author2@example.com']);
    });

    it("is refused a seeded article of the other author (article #3, author2's, org-1)", async () => {
      const seeded = await documents(matrix.app, ARTICLE).findFirst({
        filters: { slug: 'our-approach-to-accessibility-3' },
      });
      const before = await rowsOf(ARTICLE, { documentId: seeded.documentId });
      const result = await call('Author', 'update', {
        contentType: 'article',
        documentId: seeded.documentId,
        data: { title: 'mine now' },
      });
      expectRefused(result, /not found/);
      expect(await rowsOf(ARTICLE, { documentId: seeded.documentId })).toEqual(before);
    });

    it("sees both authors' articles when reading (update-own narrows updates, not reads)", async () => {
      const result = await call('Author', 'find', { contentType: 'article', pageSize: 100 });
      const owners: number[] = [];
      for (const article of data(result).data as Doc[]) {
        owners.push((await draftOf(ARTICLE, article.documentId)).createdBy.id);
      }
      expect(owners).toContain(userIds['author1@example.com']);
      expect(owners).toContain(userIds['author2@example.com']);
    });
  });

  describe('locked articles: only an Admin may change or delete them', () => {
    const lockedMessage =
      /^condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it$/;

    it('Publisher is refused an update of a locked article (seeded #7), and cannot unlock it', async () => {
      const seven = await documents(matrix.app, ARTICLE).findFirst({ filters: { slug: 'migrating-to-postgresql-7' } });
      expect(seven).toMatchObject({ locked: true, tenantId: 'org-1' });
      const before = await rowsOf(ARTICLE, { documentId: seven.documentId });
      for (const change of [{ title: 'edited' }, { locked: false }]) {
        expectRefused(
          await call('Publisher', 'update', { contentType: 'article', documentId: seven.documentId, data: change }),
          lockedMessage,
        );
      }
      expect(await rowsOf(ARTICLE, { documentId: seven.documentId })).toEqual(before);
    });

    it('Author is refused an update of their own locked article (seeded #17)', async () => {
      const seventeen = await documents(matrix.app, ARTICLE).findFirst({
        filters: { slug: 'migrating-to-postgresql-17' },
      });
      expect(seventeen).toMatchObject({ locked: true, tenantId: 'org-1' });
      const before = await rowsOf(ARTICLE, { documentId: seventeen.documentId });
      expect(before[0].createdBy.id).toBe(userIds['author1@example.com']);
      expectRefused(
        await call('Author', 'update', {
          contentType: 'article',
          documentId: seventeen.documentId,
          data: { title: 'x' },
        }),
        lockedMessage,
      );
      expect(await rowsOf(ARTICLE, { documentId: seventeen.documentId })).toEqual(before);
    });

    it('Publisher has no delete at all: the tool is absent and the locked article stays', async () => {
      const locked = await createArticle({ locked: true, published: true });
      expectRefused(
        await call('Publisher', 'delete', { contentType: 'article', documentId: locked.documentId }),
        noTool('delete') as RegExp,
      );
      expect(await rowsOf(ARTICLE, { documentId: locked.documentId })).toHaveLength(2);
    });

    it('Admin may update, unlock and delete a locked article', async () => {
      const locked = await createArticle({ locked: true, published: true });
      const updated = await call('Admin', 'update', {
        contentType: 'article',
        documentId: locked.documentId,
        data: { title: `${locked.title} (admin)` },
      });
      expect(updated.isError, textOf(updated)).toBeFalsy();
      expect(await draftOf(ARTICLE, locked.documentId)).toMatchObject({
        title: `${locked.title} (admin)`,
        locked: true,
      });

      const unlocked = await call('Admin', 'update', {
        contentType: 'article',
        documentId: locked.documentId,
        data: { locked: false },
      });
      expect(unlocked.isError, textOf(unlocked)).toBeFalsy();
      expect((await draftOf(ARTICLE, locked.documentId)).locked).toBe(false);

      const relocked = await call('Admin', 'update', {
        contentType: 'article',
        documentId: locked.documentId,
        data: { locked: true },
      });
      expect(relocked.isError, textOf(relocked)).toBeFalsy();
      const deleted = await call('Admin', 'delete', { contentType: 'article', documentId: locked.documentId });
      expect(deleted.isError, textOf(deleted)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { documentId: locked.documentId })).toEqual([]);
    });
  });

  describe("Authors' kind condition: news or blog only", () => {
    const kindMessage =
      /^condition "authors-write-news-or-blog" failed: Authors may only write news or blog articles \(kind news or blog\)$/;

    it.each(['press', 'guide'])('refuses an Author creating a %s article, naming the condition', async (kind) => {
      const title = unique(`author ${kind}`);
      expectRefused(await call('Author', 'create', { contentType: 'article', data: { title, kind } }), kindMessage);
      expect(await rowsOf(ARTICLE, { title })).toEqual([]);
    });

    it.each(['news', 'blog'])('lets an Author create a %s article', async (kind) => {
      const title = unique(`author ${kind}`);
      const result = await call('Author', 'create', { contentType: 'article', data: { title, kind } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { title })).toEqual([expect.objectContaining({ kind })]);
    });

    it('takes the schema default (news) when an Author leaves kind out', async () => {
      const title = unique('author default kind');
      const result = await call('Author', 'create', { contentType: 'article', data: { title } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { title })).toEqual([expect.objectContaining({ kind: 'news' })]);
    });

    it('refuses an Author updating their own article to press; the article keeps its kind', async () => {
      const own = await createArticle({ kind: 'blog' });
      expectRefused(
        await call('Author', 'update', { contentType: 'article', documentId: own.documentId, data: { kind: 'press' } }),
        kindMessage,
      );
      expect((await draftOf(ARTICLE, own.documentId)).kind).toBe('blog');
    });

    it('does not apply to a Publisher, who may write press articles', async () => {
      const title = unique('publisher press');
      const result = await call('Publisher', 'create', { contentType: 'article', data: { title, kind: 'press' } });
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(await rowsOf(ARTICLE, { title })).toEqual([expect.objectContaining({ kind: 'press' })]);
    });
  });

  describe('publishing needs the publish right, on create and update too', () => {
    const noPublish = /^role Author may not publish or unpublish article; allowed actions: create, read, update-own$/;

    it("refuses an Author's create with status published and creates nothing, not even a draft", async () => {
      const title = unique('author published');
      const before = await documents(matrix.app, ARTICLE).count({});
      expectRefused(
        await call('Author', 'create', { contentType: 'article', data: { title, kind: 'news' }, status: 'published' }),
        noPublish,
      );
      expect(await rowsOf(ARTICLE, { title })).toEqual([]);
      expect(await documents(matrix.app, ARTICLE).count({})).toBe(before);
    });

    it("refuses an Author's update with status published and leaves the draft untouched", async () => {
      const own = await createArticle();
      expectRefused(
        await call('Author', 'update', {
          contentType: 'article',
          documentId: own.documentId,
          data: { title: 'published by an author' },
          status: 'published',
        }),
        noPublish,
      );
      expect(await rowsOf(ARTICLE, { documentId: own.documentId })).toEqual([
        expect.objectContaining({ title: own.title, publishedAt: null }),
      ]);
    });

    it('lets a Publisher create straight to published, stamped with the Publisher', async () => {
      const title = unique('publisher published');
      const result = await call('Publisher', 'create', {
        contentType: 'article',
        data: { title },
        status: 'published',
      });
      expect(result.isError, textOf(result)).toBeFalsy();
      const rows = await rowsOf(ARTICLE, { title });
      expect(rows).toHaveLength(2);
      expect(rows.filter((row) => row.publishedAt !== null)).toHaveLength(1);
      for (const row of rows) expect(row.createdBy.id).toBe(userIds['publisher@example.com']);
    });
  });

  describe('homepage, a localized single type', () => {
    afterEach(resetHomepage);

    it('re-creating a deleted locale adds it to the one homepage document, not a second document', async () => {
      const deleted = await call('Admin', 'delete', { contentType: 'homepage', locale: 'fr' });
      expect(deleted.isError, textOf(deleted)).toBeFalsy();
      const created = await call('Admin', 'create', {
        contentType: 'homepage',
        locale: 'fr',
        data: { title: 'Bonjour' },
      });
      expect(created.isError, textOf(created)).toBeFalsy();
      const documentIds = new Set(
        (await matrix.app.strapi.db.query(HOMEPAGE).findMany({ select: ['documentId'] })).map(
          (row: Doc) => row.documentId,
        ),
      );
      // A single type is one document with one version per locale (as Strapi's Content Manager creates it).
      expect([...documentIds]).toEqual([matrix.homepageId]);
      expect(data(created).data).toMatchObject({ documentId: matrix.homepageId, locale: 'fr', title: 'Bonjour' });
    });
  });
});

describe('the locked condition on delete, for a non-Admin role that may delete', () => {
  // The default Publisher has no delete; give it one (and let the policy alone decide) to reach the condition.
  let deleteApp: TestApp;
  let publisher: ConnectedClient;
  beforeAll(async () => {
    deleteApp = await bootTestApp({
      pluginConfig: {
        enforceAdminPermissions: false,
        roles: {
          Admin: ['*'],
          Publisher: ['create', 'read', 'update', 'publish', 'delete'],
          Author: ['create', 'read', 'update-own'],
          Reader: ['read'],
        },
      },
    });
    publisher = await connectClient(
      deleteApp,
      await deleteApp.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'),
    );
  });
  afterAll(async () => {
    await publisher?.close();
    await deleteApp?.close();
  });

  it('refuses a Publisher deleting a locked article, which stays; an unlocked one is deleted', async () => {
    const docs = documents(deleteApp, ARTICLE);
    const locked = await docs.create({ data: { title: 'locked for delete', tenantId: 'org-1', locked: true } });
    const unlocked = await docs.create({ data: { title: 'unlocked for delete', tenantId: 'org-1' } });
    const refused = await publisher.callTool('delete_document', {
      contentType: 'article',
      documentId: locked.documentId,
    });
    expectRefused(
      refused,
      /^condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it$/,
    );
    expect(await deleteApp.strapi.db.query(ARTICLE).count({ where: { documentId: locked.documentId } })).toBe(1);
    const allowed = await publisher.callTool('delete_document', {
      contentType: 'article',
      documentId: unlocked.documentId,
    });
    expect(allowed.isError, textOf(allowed)).toBeFalsy();
    expect(await deleteApp.strapi.db.query(ARTICLE).count({ where: { documentId: unlocked.documentId } })).toBe(0);
  });
});

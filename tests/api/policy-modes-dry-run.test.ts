/**
 * Dry runs, on their own boot: every mutation tool with dryRun answers what it would do (wouldStore, diff,
 * wouldDelete, the document, wouldUpload) and leaves the database byte-for-byte unchanged: every row of every table a
 * mutation could touch is compared before and after. The other policy modes are in policy-modes-access.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { createArticle } from '../helpers/policy-modes';
import { ARTICLE, CATEGORY, HOMEPAGE, PNG_BASE64, documents, expectOk } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

describe('dry run leaves the database byte-for-byte unchanged', () => {
  let app: TestApp;
  let admin: ConnectedClient;
  let author: ConnectedClient;
  let tables: string[];

  beforeAll(async () => {
    app = await bootTestApp();
    admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    // Content tables, their component and relation (join) tables, media and locales: everything a mutation could touch.
    const metadata = app.strapi.db.metadata as unknown as Map<
      string,
      { tableName: string; attributes: Record<string, { joinTable?: { name: string } }> }
    >;
    const names = new Set<string>();
    for (const uid of [ARTICLE, CATEGORY, HOMEPAGE, 'shared.seo', 'plugin::upload.file', 'plugin::i18n.locale']) {
      const model = metadata.get(uid)!;
      names.add(model.tableName);
      for (const attribute of Object.values(model.attributes)) {
        if (attribute.joinTable) names.add(attribute.joinTable.name);
      }
    }
    tables = [...names].sort();
  });
  afterAll(async () => {
    await admin?.close();
    await author?.close();
    await app?.close();
  });

  /** Every row of every table, ordered, as the database returns it. */
  const snapshot = async () => {
    const connection = app.strapi.db.connection;
    const rows: Record<string, unknown[]> = {};
    for (const table of tables) rows[table] = await connection(table).select('*').orderBy('id');
    return rows;
  };

  it('snapshots the tables a mutation writes to', () => {
    expect(tables).toEqual(
      expect.arrayContaining([
        'articles',
        'articles_category_lnk',
        'articles_cmps',
        'categories',
        'components_shared_seos',
        'files',
        'files_related_mph',
        'homepages',
      ]),
    );
  });

  const dryCreate = (categoryId: string) =>
    admin.callTool('create_document', {
      contentType: 'article',
      data: {
        title: 'Dry create',
        kind: 'guide',
        featured: true,
        reviewNotes: 'Would be stored',
        category: categoryId,
        seo: { metaTitle: 'Dry', metaDescription: 'Not stored' },
      },
      status: 'published',
      dryRun: true,
    });

  it('create (with a component, a relation, and status published): shows wouldStore, writes nothing', async () => {
    const category = await documents(app, CATEGORY).findFirst({ filters: { slug: 'product' } });
    const before = await snapshot();
    const result = expectOk(await dryCreate(category.documentId));
    expect(await snapshot()).toEqual(before);
    expect(result.dryRun).toBe(true);
    expect(result.wouldStore).toMatchObject({
      title: 'Dry create',
      kind: 'guide',
      featured: true,
      reviewNotes: 'Would be stored',
      tenantId: 'org-1',
      seo: { metaTitle: 'Dry', metaDescription: 'Not stored' },
    });
  });

  it('create: wouldStore shows the relation it would link, as the real create answers it', async () => {
    const category = await documents(app, CATEGORY).findFirst({ filters: { slug: 'product' } });
    const result = expectOk(await dryCreate(category.documentId));
    // The real create answers { category: { documentId } }; the preview must not claim the link would be empty.
    expect(result.wouldStore.category).toEqual({ documentId: category.documentId });
  });

  it('update (scalars, component, relation, status published): shows the diff and wouldStore, writes nothing', async () => {
    const fixture = await createArticle(app, { data: { seo: { metaTitle: 'Before' } } });
    const category = await documents(app, CATEGORY).findFirst({ filters: { slug: 'guides' } });
    const before = await snapshot();
    const result = expectOk(
      await admin.callTool('update_document', {
        contentType: 'article',
        documentId: fixture.documentId,
        data: { title: 'Dry update', locked: true, category: category.documentId, seo: { metaTitle: 'After' } },
        status: 'published',
        dryRun: true,
      }),
    );
    expect(result).toMatchObject({
      dryRun: true,
      documentId: fixture.documentId,
      diff: {
        title: { from: fixture.title, to: 'Dry update' },
        locked: { from: false, to: true },
        category: { from: null, to: category.documentId },
      },
      wouldStore: { documentId: fixture.documentId, title: 'Dry update', locked: true, tenantId: 'org-1' },
    });
    expect(result.diff.seo).toMatchObject({ to: { metaTitle: 'After' } });
    expect(await snapshot()).toEqual(before);
  });

  it("an Author's update of their own article: diff shown, nothing written", async () => {
    const own = await createArticle(app);
    const before = await snapshot();
    const result = expectOk(
      await author.callTool('update_document', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title: 'Author dry', kind: 'blog' },
        dryRun: true,
      }),
    );
    expect(result.diff).toEqual({ title: { from: own.title, to: 'Author dry' }, kind: { from: 'news', to: 'blog' } });
    expect(await snapshot()).toEqual(before);
  });

  it('delete of a published article: shows wouldDelete, deletes nothing', async () => {
    const fixture = await createArticle(app, { published: true, data: { seo: { metaTitle: 'Keep me' } } });
    const before = await snapshot();
    const result = expectOk(
      await admin.callTool('delete_document', { contentType: 'article', documentId: fixture.documentId, dryRun: true }),
    );
    expect(result).toMatchObject({
      dryRun: true,
      wouldDelete: { documentId: fixture.documentId, title: fixture.title },
    });
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['publish_document', 'publish', false],
    ['unpublish_document', 'unpublish', true],
    ['discard_draft', 'discard', true],
  ] as const)('%s: shows the document, changes nothing', async (tool, action, published) => {
    const fixture = await createArticle(app, { published });
    if (published)
      await documents(app, ARTICLE).update({ documentId: fixture.documentId, data: { title: 'Draft edit' } });
    const before = await snapshot();
    const result = expectOk(
      await admin.callTool(tool, { contentType: 'article', documentId: fixture.documentId, dryRun: true }),
    );
    expect(result).toMatchObject({ dryRun: true, action, document: { documentId: fixture.documentId } });
    expect(await snapshot()).toEqual(before);
  });

  it('single type update and delete, and category create: nothing written', async () => {
    const before = await snapshot();
    const updated = expectOk(
      await admin.callTool('update_document', {
        contentType: 'homepage',
        locale: 'fr',
        data: { title: 'Pas écrit' },
        dryRun: true,
      }),
    );
    expect(updated.diff).toEqual({ title: { from: 'Bienvenue sur le playground', to: 'Pas écrit' } });
    expect(updated.wouldStore).toMatchObject({ locale: 'fr', title: 'Pas écrit' });
    expect(
      expectOk(await admin.callTool('delete_document', { contentType: 'homepage', locale: 'en', dryRun: true })),
    ).toMatchObject({ dryRun: true, wouldDelete: { locale: 'en', title: 'Welcome to the playground' } });
    expect(
      expectOk(
        await admin.callTool('create_document', { contentType: 'category', data: { name: 'Dry' }, dryRun: true }),
      ),
    ).toEqual({ dryRun: true, wouldStore: { name: 'Dry' } });
    expect(await snapshot()).toEqual(before);
  });

  it('upload_media: describes the file, stores none', async () => {
    const before = await snapshot();
    const result = expectOk(
      await admin.callTool('upload_media', { filename: 'pixel.txt', base64: PNG_BASE64, dryRun: true }),
    );
    expect(result).toEqual({
      dryRun: true,
      wouldUpload: {
        name: 'pixel.png',
        mime: 'image/png',
        size: Buffer.from(PNG_BASE64, 'base64').length,
        width: 1,
        height: 1,
        alternativeText: null,
      },
    });
    expect(await snapshot()).toEqual(before);
  });
});

/**
 * Findings 3 and 8: relation writes that reach further than the document written. Linking from the side Strapi calls
 * inverse (a category's `articles`) relinks the article, draft and published version alike: it is authorized as an
 * update of that article (scope, Strapi's entity check, stored conditions, publish right where a published version
 * exists). Positions name documents too: they are checked like every other target, and Strapi's relation errors,
 * which name rows and ids, never reach the caller.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import {
  ARTICLE,
  CATEGORY,
  type Doc,
  documents,
  expectOk,
  expectRefused,
  seededArticle,
  textOf,
} from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let publisher: ConnectedClient;
let editor: ConnectedClient;
let admin: ConnectedClient;

/** The category slug an article links to, per version. */
const categoryOf = async (documentId: string) => {
  const read = async (status: 'draft' | 'published') =>
    (
      (await documents(app, ARTICLE).findOne({
        documentId,
        status,
        populate: { category: { fields: ['slug'] } },
      })) as Doc | null
    )?.category?.slug ?? null;
  return { draft: await read('draft'), published: await read('published') };
};
const categoryId = async (slug: string) =>
  ((await documents(app, CATEGORY).findFirst({ filters: { slug } })) as Doc).documentId as string;

beforeAll(async () => {
  app = await bootTestApp({
    // Editor: may update articles and categories, but not publish.
    pluginConfig: {
      roles: {
        Admin: ['*'],
        Publisher: ['create', 'read', 'update', 'publish'],
        Author: ['create', 'read', 'update-own'],
        Reader: ['read'],
        Editor: ['create', 'read', 'update'],
      },
    },
  });
  publisher = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'));
  editor = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Editor', 'org-1'));
  admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
});
afterAll(async () => {
  await Promise.all([publisher?.close(), editor?.close(), admin?.close()]);
  await app?.close();
});

const linkFromCategory = (client: ConnectedClient, slug: string, articles: unknown) =>
  categoryId(slug).then((documentId) =>
    client.callTool('update_document', { contentType: 'category', documentId, data: { articles } }),
  );

describe('writing a relation from its inverse side', () => {
  it('refuses to move a locked article by connecting it to another category; both versions stay', async () => {
    const locked = await seededArticle(app, 7);
    const before = await categoryOf(locked.documentId);
    expect(before).toEqual({ draft: 'company', published: 'company' });
    const result = await linkFromCategory(publisher, 'engineering', { connect: [locked.documentId] });
    expectRefused(
      result,
      `linking through category.articles, which changes article ${locked.documentId}: condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it`,
    );
    expect(await categoryOf(locked.documentId)).toEqual(before);
  });

  it('refuses to disconnect a locked article, and to take it with set', async () => {
    const locked = await seededArticle(app, 7);
    expectRefused(await linkFromCategory(publisher, 'company', { disconnect: [locked.documentId] }), /is locked/);
    expectRefused(await linkFromCategory(publisher, 'guides', [locked.documentId]), /is locked/);
    expect(await categoryOf(locked.documentId)).toEqual({ draft: 'company', published: 'company' });
  });

  it('refuses to relink a published article for a role without the publish right', async () => {
    const article = await seededArticle(app, 1);
    expect(await categoryOf(article.documentId)).toEqual({ draft: 'product', published: 'product' });
    expectRefused(
      await linkFromCategory(editor, 'engineering', { connect: [article.documentId] }),
      new RegExp(
        `^linking through category\\.articles, which changes article ${article.documentId}: role Editor may not publish or unpublish article`,
      ),
    );
    expect(await categoryOf(article.documentId)).toEqual({ draft: 'product', published: 'product' });
  });

  it('lets a role without publish relink a draft-only article, as an update of it', async () => {
    const draft = await seededArticle(app, 3);
    expect(await categoryOf(draft.documentId)).toMatchObject({ draft: 'company', published: null });
    expectOk(await linkFromCategory(editor, 'engineering', { connect: [draft.documentId] }));
    expect((await categoryOf(draft.documentId)).draft).toBe('engineering');
  });

  it('lets a publisher move an unlocked published article: both versions follow', async () => {
    const article = await seededArticle(app, 5);
    expect(await categoryOf(article.documentId)).toEqual({ draft: 'product', published: 'product' });
    expectOk(await linkFromCategory(publisher, 'company', { connect: [article.documentId] }));
    expect(await categoryOf(article.documentId)).toEqual({ draft: 'company', published: 'company' });
  });

  it("never reaches another tenant's article: not visible, so not linkable", async () => {
    const foreign = await seededArticle(app, 2);
    const before = await categoryOf(foreign.documentId);
    expectRefused(
      await linkFromCategory(publisher, 'guides', { connect: [foreign.documentId] }),
      `cannot link to article ${foreign.documentId}: not found or not visible to you`,
    );
    expect(await categoryOf(foreign.documentId)).toEqual(before);
  });

  it('lets an Admin move a locked article, as the condition allows', async () => {
    const locked = await seededArticle(app, 17);
    expectOk(await linkFromCategory(admin, 'guides', { connect: [locked.documentId] }));
    expect(await categoryOf(locked.documentId)).toEqual({ draft: 'guides', published: 'guides' });
  });
});

describe('relation positions', () => {
  it("refuses a position before another tenant's article with the same answer as a missing one", async () => {
    const own = await seededArticle(app, 9);
    const foreign = await seededArticle(app, 10);
    const before = await categoryOf(own.documentId);
    const foreignResult = await linkFromCategory(publisher, 'company', {
      connect: [{ documentId: own.documentId, position: { before: foreign.documentId } }],
    });
    const notLinked = (id: string) =>
      `data.articles.connect[0].position: ${id} is not linked through articles; place it next to a linked document`;
    expectRefused(foreignResult, notLinked(foreign.documentId));
    const missingResult = await linkFromCategory(publisher, 'company', {
      connect: [{ documentId: own.documentId, position: { before: 'doesnotexist0000000000000' } }],
    });
    expectRefused(missingResult, notLinked('doesnotexist0000000000000'));
    expect(await categoryOf(own.documentId)).toEqual(before);
  });

  it("refuses a position next to an article that is not linked, before Strapi's error (which names row ids)", async () => {
    const own = await seededArticle(app, 13);
    // Article 1 belongs to the product category, not to company.
    const notLinked = await seededArticle(app, 1);
    const before = await categoryOf(own.documentId);
    const result = await linkFromCategory(publisher, 'company', {
      connect: [{ documentId: own.documentId, position: { after: notLinked.documentId } }],
    });
    expectRefused(
      result,
      `data.articles.connect[0].position: ${notLinked.documentId} is not linked through articles; place it next to a linked document`,
    );
    expect(textOf(result)).not.toMatch(/relation with id|at position/);
    expect(await categoryOf(own.documentId)).toEqual(before);
  });

  it('refuses to place a document next to itself (Strapi fails with an internal error there)', async () => {
    const own = (await seededArticle(app, 13)).documentId;
    expectRefused(
      await linkFromCategory(publisher, 'company', { connect: [{ documentId: own, position: { after: own } }] }),
      'data.articles.connect[0].position: a document cannot be placed next to itself',
    );
  });

  it('places a document next to one the category holds', async () => {
    const company = await documents(app, CATEGORY).findFirst({
      filters: { slug: 'company' },
      populate: { articles: { fields: ['documentId'], filters: { tenantId: 'org-1' } } },
    });
    const neighbour = company.articles.find((article: Doc) => article.documentId)!.documentId;
    const own = (await seededArticle(app, 13)).documentId;
    expectOk(
      await linkFromCategory(publisher, 'company', { connect: [{ documentId: own, position: { before: neighbour } }] }),
    );
    expect((await categoryOf(own)).draft).toBe('company');
  });

  it('refuses malformed positions and unknown keys on a relation item', async () => {
    const own = (await seededArticle(app, 9)).documentId;
    const cases: Array<[unknown, RegExp]> = [
      [{ documentId: own, position: { start: 'yes' } }, /position\.start: expected true/],
      [{ documentId: own, position: { middle: true } }, /unknown key middle; use before, after, start or end/],
      [{ documentId: own, position: { before: own, after: own } }, /name exactly one of before, after, start, end/],
      [{ documentId: own, position: { before: 42 } }, /position\.before: a documentId is/],
      [
        { documentId: own, status: 'published' },
        /unknown key status; a relation item is \{ documentId, locale\?, position\? \}/,
      ],
    ];
    for (const [item, message] of cases) {
      expectRefused(await linkFromCategory(publisher, 'company', { connect: [item] }), message);
    }
  });
});

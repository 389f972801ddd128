/**
 * The policy's modes, each on its own boot: read-only mode (mutation tools do not exist, even for an Admin), Strapi
 * RBAC as a second lock (a Content Manager permission removed in Strapi removes the MCP right, unless
 * enforceAdminPermissions is off, where the policy alone decides), roleSource 'strapi' (the role claim is ignored; the
 * admin user's Strapi roles decide), and dry runs that leave the database byte-for-byte unchanged.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { AUTHOR_TOOLS, MUTATION_TOOLS, READ_TOOLS } from '../helpers/tool-names';
import { withoutPermission } from '../helpers/strapi-permissions';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const HOMEPAGE = 'api::homepage.homepage';
type Doc = Record<string, any>;

/** A 1×1 transparent PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

const textOf = (result: CallToolResult) => (result.content[0] as { text: string }).text;
const data = (result: CallToolResult) => result.structuredContent as Doc;
const expectRefused = (result: CallToolResult, message: RegExp) => {
  expect(result.isError).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  expect(textOf(result)).toMatch(message);
};
const expectOk = (result: CallToolResult) => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return data(result);
};
const toolNames = async (session: ConnectedClient) =>
  (await session.client.listTools()).tools.map((tool) => tool.name).sort();

const documents = (app: TestApp, uid: string) => (app.strapi as any).documents(uid);
const userId = async (app: TestApp, email: string) =>
  (await app.strapi.db.query('admin::user').findOne({ where: { email } })).id as number;
const articleRows = (app: TestApp, where: Doc): Promise<Doc[]> =>
  app.strapi.db.query(ARTICLE).findMany({ where, orderBy: { id: 'asc' } });

let counter = 0;
const uniqueTitle = (label: string) => `policy-modes ${label} ${(counter += 1)}`;

/** An org-1 article created directly in Strapi, owned by the given user. */
const createArticle = async (
  app: TestApp,
  options: { owner?: string; published?: boolean; data?: Doc } = {},
): Promise<Doc> => {
  const owner = await userId(app, options.owner ?? 'author1@example.com');
  return documents(app, ARTICLE).create({
    data: { title: uniqueTitle('fixture'), tenantId: 'org-1', createdBy: owner, updatedBy: owner, ...options.data },
    status: options.published ? 'published' : 'draft',
  });
};

describe('read-only mode', () => {
  let app: TestApp;
  let admin: ConnectedClient;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { readOnly: true } });
    admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
  });
  afterAll(async () => {
    await admin?.close();
    await app?.close();
  });

  it('lists no mutation tool, even for an Admin', async () => {
    expect(await toolNames(admin)).toEqual([...READ_TOOLS].sort());
  });

  it('answers every mutation tool as an unknown tool, and the database is unchanged', async () => {
    const before = await articleRows(app, {});
    const article = before.find((row) => row.publishedAt === null)!;
    const title = uniqueTitle('read-only');
    const calls: Array<[string, Record<string, unknown>]> = [
      ['create_document', { contentType: 'article', data: { title } }],
      ['update_document', { contentType: 'article', documentId: article.documentId, data: { title } }],
      ['delete_document', { contentType: 'article', documentId: article.documentId }],
      ['publish_document', { contentType: 'article', documentId: article.documentId }],
      ['unpublish_document', { contentType: 'article', documentId: article.documentId }],
      ['discard_draft', { contentType: 'article', documentId: article.documentId }],
      ['upload_media', { filename: 'pixel.png', base64: PNG_BASE64 }],
    ];
    expect(calls.map(([tool]) => tool)).toEqual(MUTATION_TOOLS);
    for (const [tool, args] of calls) {
      expectRefused(await admin.callTool(tool, args), new RegExp(`^MCP error -32602: Tool ${tool} not found$`));
    }
    expect(await articleRows(app, {})).toEqual(before);
    expect(await app.strapi.db.query('plugin::upload.file').count({})).toBe(0);
  });

  it('still serves reads, and says it is read-only in strapi://instance', async () => {
    const found = expectOk(await admin.callTool('find_documents', { contentType: 'article', pageSize: 5 }));
    expect(found.meta.pagination.total).toBe(20);
    const instance = await admin.client.readResource({ uri: 'strapi://instance' });
    expect(JSON.parse((instance.contents[0] as { text: string }).text)).toMatchObject({ readOnly: true });
  });
});

describe('Strapi RBAC as a second lock (enforceAdminPermissions: true, the default)', () => {
  let app: TestApp;
  let author: ConnectedClient;
  beforeAll(async () => {
    app = await bootTestApp();
    author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
  });
  afterAll(async () => {
    await author?.close();
    await app?.close();
  });

  it('lets an Author create while both the policy and the Strapi role allow it', async () => {
    const title = uniqueTitle('both locks open');
    expectOk(await author.callTool('create_document', { contentType: 'article', data: { title } }));
    expect(await articleRows(app, { title })).toHaveLength(1);
  });

  it('refuses create_document once the Strapi role loses explorer.create on article, though the policy allows it', async () => {
    await withoutPermission(
      app,
      { action: 'plugin::content-manager.explorer.create', subject: ARTICLE, role: 'mcp-author' },
      async () => {
        // The MCP policy still grants create: whoami and tools/list say so.
        const whoami = expectOk(await author.callTool('whoami'));
        expect(whoami.permissions.find((entry: Doc) => entry.contentType === ARTICLE).actions).toContain('create');
        expect(await toolNames(author)).toContain('create_document');

        const title = uniqueTitle('second lock');
        for (const dryRun of [false, true]) {
          expectRefused(
            await author.callTool('create_document', { contentType: 'article', data: { title }, dryRun }),
            /^your Strapi admin role does not grant create on article \(Content Manager permission\)$/,
          );
        }
        expect(await articleRows(app, { title })).toEqual([]);
      },
    );
    // Restored in Strapi: the next call is allowed again, without a new session.
    const title = uniqueTitle('lock reopened');
    expectOk(await author.callTool('create_document', { contentType: 'article', data: { title } }));
    expect(await articleRows(app, { title })).toHaveLength(1);
  });

  it("refuses an Author's update of their own article once the Strapi role loses explorer.update", async () => {
    const own = await createArticle(app);
    await withoutPermission(
      app,
      { action: 'plugin::content-manager.explorer.update', subject: ARTICLE, role: 'mcp-author' },
      async () => {
        expectRefused(
          await author.callTool('update_document', {
            contentType: 'article',
            documentId: own.documentId,
            data: { title: 'blocked by Strapi' },
          }),
          /^your Strapi admin role does not grant update on article \(Content Manager permission\)$/,
        );
        expect((await articleRows(app, { documentId: own.documentId }))[0].title).toBe(own.title);
      },
    );
    expectOk(
      await author.callTool('update_document', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title: 'allowed again' },
      }),
    );
    expect((await articleRows(app, { documentId: own.documentId }))[0].title).toBe('allowed again');
  });
});

describe('enforceAdminPermissions: false — the policy alone decides', () => {
  let app: TestApp;
  let author: ConnectedClient;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { enforceAdminPermissions: false } });
    author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
  });
  afterAll(async () => {
    await author?.close();
    await app?.close();
  });

  it('lets an Author create and update their own article although the Strapi role lost both permissions', async () => {
    const own = await createArticle(app);
    await withoutPermission(
      app,
      { action: 'plugin::content-manager.explorer.create', subject: ARTICLE, role: 'mcp-author' },
      () =>
        withoutPermission(
          app,
          { action: 'plugin::content-manager.explorer.update', subject: ARTICLE, role: 'mcp-author' },
          async () => {
            const title = uniqueTitle('policy alone');
            expectOk(await author.callTool('create_document', { contentType: 'article', data: { title } }));
            expect(await articleRows(app, { title })).toHaveLength(1);
            expectOk(
              await author.callTool('update_document', {
                contentType: 'article',
                documentId: own.documentId,
                data: { title: `${own.title} (policy alone)` },
              }),
            );
            expect((await articleRows(app, { documentId: own.documentId }))[0].title).toBe(
              `${own.title} (policy alone)`,
            );
          },
        ),
    );
  });

  it("still applies the policy: no update of another author's article, no category writes, no kind press", async () => {
    const others = await createArticle(app, { owner: 'author2@example.com' });
    expectRefused(
      await author.callTool('update_document', {
        contentType: 'article',
        documentId: others.documentId,
        data: { title: 'taken over' },
      }),
      new RegExp(`^document ${others.documentId} of article not found$`),
    );
    expect((await articleRows(app, { documentId: others.documentId }))[0].title).toBe(others.title);
    expectRefused(
      await author.callTool('create_document', { contentType: 'category', data: { name: uniqueTitle('category') } }),
      /^role Author may not create category; allowed actions: read$/,
    );
    const title = uniqueTitle('press');
    expectRefused(
      await author.callTool('create_document', { contentType: 'article', data: { title, kind: 'press' } }),
      /^condition "authors-write-news-or-blog" failed/,
    );
    expect(await articleRows(app, { title })).toEqual([]);
    expect(await toolNames(author)).toEqual([...AUTHOR_TOOLS].sort());
  });
});

describe("roleSource: 'strapi' — the admin user's Strapi roles decide, not the role claim", () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { roleSource: 'strapi' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const withSession = async (
    email: string,
    claim: string | null,
    body: (session: ConnectedClient) => Promise<void>,
  ) => {
    const session = await connectClient(app, await app.idp.tokenFor(email, claim, 'org-1'));
    try {
      await body(session);
    } finally {
      await session.close();
    }
  };

  it('ignores a role claim of Admin on author1 (MCP Author in Strapi): they act as an Author', async () => {
    await withSession('author1@example.com', 'Admin', async (session) => {
      expect(expectOk(await session.callTool('whoami'))).toMatchObject({
        user: { email: 'author1@example.com' },
        role: 'Author',
        roleClaim: 'Admin',
      });
      expect(await toolNames(session)).toEqual([...AUTHOR_TOOLS].sort());

      const others = await createArticle(app, { owner: 'author2@example.com' });
      expectRefused(
        await session.callTool('update_document', {
          contentType: 'article',
          documentId: others.documentId,
          data: { title: 'admin by claim' },
        }),
        /not found/,
      );
      expectRefused(
        await session.callTool('delete_document', { contentType: 'article', documentId: others.documentId }),
        /Tool delete_document not found/,
      );
      expectRefused(
        await session.callTool('create_document', { contentType: 'category', data: { name: uniqueTitle('cat') } }),
        /^role Author may not create category; allowed actions: read$/,
      );
      const title = uniqueTitle('featured by claim');
      expectRefused(
        await session.callTool('create_document', { contentType: 'article', data: { title, featured: true } }),
        /^field featured is not writable for role Author/,
      );
      expect(await articleRows(app, { documentId: others.documentId })).toHaveLength(1);
      expect(await articleRows(app, { title })).toEqual([]);
    });
  });

  it('gives the Strapi role its MCP role whatever the claim says, or without one', async () => {
    await withSession('publisher@example.com', 'Reader', async (session) => {
      expect(expectOk(await session.callTool('whoami')).role).toBe('Publisher');
      const name = uniqueTitle('publisher category');
      expectOk(await session.callTool('create_document', { contentType: 'category', data: { name } }));
      expect(await app.strapi.db.query(CATEGORY).count({ where: { name } })).toBe(1);
    });
    await withSession('reader@example.com', null, async (session) => {
      expect(expectOk(await session.callTool('whoami'))).toMatchObject({ role: 'Reader', roleClaim: null });
      expect(await toolNames(session)).toEqual([...READ_TOOLS].sort());
    });
  });

  it('gives whoami only to a user whose Strapi roles map to no MCP role, whatever the claim', async () => {
    const editor = await app.strapi.service('admin::role').findOne({ code: 'strapi-editor' });
    expect(editor).toBeTruthy();
    await app.strapi.service('admin::user').create({
      email: 'editor@example.com',
      firstname: 'Eddie',
      lastname: 'Editor',
      password: 'Playground123!',
      registrationToken: null,
      isActive: true,
      roles: [editor.id],
    });
    await withSession('editor@example.com', 'Admin', async (session) => {
      expect(await toolNames(session)).toEqual(['whoami']);
      expect(expectOk(await session.callTool('whoami'))).toMatchObject({
        user: { email: 'editor@example.com' },
        role: null,
        roleClaim: 'Admin',
        permissions: [],
      });
      const title = uniqueTitle('editor');
      for (const [tool, args] of [
        ['find_documents', { contentType: 'article' }],
        ['create_document', { contentType: 'article', data: { title } }],
      ] as const) {
        expectRefused(await session.callTool(tool, args), new RegExp(`Tool ${tool} not found`));
      }
      expect(await articleRows(app, { title })).toEqual([]);
    });
  });
});

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

/**
 * The policy's access modes, each on its own boot: read-only mode (mutation tools do not exist, even for an Admin),
 * Strapi RBAC as a second lock (a Content Manager permission removed in Strapi removes the MCP right, unless
 * enforceAdminPermissions is off, where the policy alone decides), and roleSource 'strapi' (the role claim is ignored;
 * the admin user's Strapi roles decide). Dry runs are in policy-modes-dry-run.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { createArticle } from '../helpers/policy-modes';
import { ARTICLE, CATEGORY, PNG_BASE64, expectOk, expectRefused, unique, type Doc } from '../helpers/results';
import { withoutPermission } from '../helpers/strapi-permissions';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { AUTHOR_TOOLS, MUTATION_TOOLS, READ_TOOLS } from '../helpers/tool-names';

const toolNames = async (session: ConnectedClient) =>
  (await session.client.listTools()).tools.map((tool) => tool.name).sort();
const articleRows = (app: TestApp, where: Doc): Promise<Doc[]> =>
  app.strapi.db.query(ARTICLE).findMany({ where, orderBy: { id: 'asc' } });

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
    const title = unique('read-only');
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
    const found = expectOk(
      await admin.callTool('find_documents', { contentType: 'article', pageSize: 5, withCount: true }),
    );
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
    const title = unique('both locks open');
    expectOk(await author.callTool('create_document', { contentType: 'article', data: { title } }));
    expect(await articleRows(app, { title })).toHaveLength(1);
  });

  it('refuses create_document once the Strapi role loses explorer.create on article, though the policy allows it', async () => {
    await withoutPermission(
      app,
      { action: 'plugin::content-manager.explorer.create', subject: ARTICLE, role: 'mcp-author' },
      async () => {
        // The MCP policy still grants create; whoami and tools/list follow Strapi's RBAC too: no create.
        const whoami = expectOk(await author.callTool('whoami'));
        const actions = whoami.permissions.find((entry: Doc) => entry.contentType === ARTICLE).actions;
        expect(actions).not.toContain('create');
        expect(actions).toContain('read');
        await expect.poll(() => toolNames(author)).not.toContain('create_document');

        // No type left to create: the tool is not offered, and a call is answered as for an unknown tool.
        const title = unique('second lock');
        for (const dryRun of [false, true]) {
          expectRefused(
            await author.callTool('create_document', { contentType: 'article', data: { title }, dryRun }),
            /^MCP error -32602: Tool create_document not found$/,
          );
        }
        expect(await articleRows(app, { title })).toEqual([]);
      },
    );
    // Restored in Strapi: the next call is allowed again, without a new session.
    const title = unique('lock reopened');
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
          /^MCP error -32602: Tool update_document not found$/,
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
            const title = unique('policy alone');
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
      await author.callTool('create_document', { contentType: 'category', data: { name: unique('category') } }),
      /^role Author may not create category; allowed actions: read$/,
    );
    const title = unique('press');
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
        await session.callTool('create_document', { contentType: 'category', data: { name: unique('cat') } }),
        /^role Author may not create category; allowed actions: read$/,
      );
      const title = unique('featured by claim');
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
      const name = unique('publisher category');
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
      const title = unique('editor');
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

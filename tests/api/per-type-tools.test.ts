/**
 * Typed per-type tools (`tools.perType: true`): which `<verb>_<type>` tools each role of the playground policy is
 * offered, their schemas narrowed to the fields the role may read or write, and the policy suite through them
 * (tenant, ownership, field rules in both modes, conditions, dry run, confirmation), with the generic tools' answers
 * and audit rows. Names against collisions are unit-tested in tests/unit/per-type-tool-names.test.ts.
 */
import { ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectClient, connectLegacyClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, auditRows, expectOk, expectRefused, seededArticle, textOf, unique } from '../helpers/results';
import { expectNotFound } from '../helpers/tenant-isolation';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { MUTATION_TOOLS, READ_TOOLS } from '../helpers/tool-names';

const GENERIC = new Set([...READ_TOOLS, ...MUTATION_TOOLS]);

describe('typed per-type tools', () => {
  let app: TestApp;
  let reader: ConnectedClient;
  let reader2: ConnectedClient;
  let author: ConnectedClient;
  let publisher: ConnectedClient;
  let admin: ConnectedClient;

  const listed = async (session: ConnectedClient): Promise<Tool[]> =>
    (await session.client.listTools()).tools as Tool[];
  const typedNames = async (session: ConnectedClient) =>
    (await listed(session)).map((tool) => tool.name).filter((name) => !GENERIC.has(name));
  const toolOf = async (session: ConnectedClient, name: string) =>
    (await listed(session)).find((tool) => tool.name === name)!;
  const settings = () => app.strapi.plugin('mcp-server').service('settings');
  const stored = (documentId: string) =>
    app.strapi.db.query(ARTICLE).findOne({ where: { documentId, publishedAt: null } });

  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { tools: { perType: true } } });
    const connect = async (email: string, role: string, tenant: string) =>
      connectClient(app, await app.idp.tokenFor(email, role, tenant));
    reader = await connect('reader@example.com', 'Reader', 'org-1');
    reader2 = await connect('reader@example.com', 'Reader', 'org-2');
    author = await connect('author1@example.com', 'Author', 'org-1');
    publisher = await connect('publisher@example.com', 'Publisher', 'org-1');
    admin = await connect('admin@example.com', 'Admin', 'org-1');
  });
  afterAll(async () => {
    for (const session of [reader, reader2, author, publisher, admin]) await session?.close();
    await app?.close();
  });

  describe('what each role is offered', () => {
    it('lists per role only the verbs it may use on each type, beside every generic tool', async () => {
      expect(await typedNames(reader)).toEqual([
        'list_article',
        'get_article',
        'list_category',
        'get_category',
        'get_homepage',
      ]);
      expect(await typedNames(author)).toEqual([
        'list_article',
        'get_article',
        'create_article',
        'update_article',
        'list_category',
        'get_category',
        'get_homepage',
      ]);
      expect(await typedNames(admin)).toEqual([
        'list_article',
        'get_article',
        'create_article',
        'update_article',
        'delete_article',
        'publish_article',
        'list_category',
        'get_category',
        'create_category',
        'update_category',
        'delete_category',
        'get_homepage',
        'update_homepage',
        'publish_homepage',
      ]);
      const publisherNames = (await listed(publisher)).map((tool) => tool.name);
      expect(publisherNames).toEqual(expect.arrayContaining(['find_documents', 'create_document', 'update_homepage']));
    });

    it('a typed tool the role is not offered is refused as unknown, with a denied audit row', async () => {
      const result = await reader.callTool('create_article', { data: { title: 'nope' } });
      expectRefused(result, 'MCP error -32602: Tool create_article not found');
      const [row] = (await auditRows(app, { tool: 'create_article' })).slice(-1);
      // The typed name stands for its type: the row says which, as the generic tool's arguments would.
      expect(row).toMatchObject({
        decision: 'denied',
        adminUserEmail: 'reader@example.com',
        contentType: 'api::article.article',
      });
    });

    it("an Author's create_article takes only the fields an Author may write; a Publisher's has them all", async () => {
      const authorData = (await toolOf(author, 'create_article')).inputSchema.properties!.data as Record<string, any>;
      expect(Object.keys(authorData.properties).sort()).toEqual([
        'body',
        'category',
        'cover',
        'kind',
        'seo',
        'slug',
        'title',
      ]);
      expect(authorData.additionalProperties).toBe(false);
      expect(authorData.properties.kind).toMatchObject({
        anyOf: [{ enum: ['news', 'blog', 'guide', 'press'] }, { type: 'null' }],
      });
      const publisherData = (await toolOf(publisher, 'create_article')).inputSchema.properties!.data as Record<
        string,
        any
      >;
      expect(Object.keys(publisherData.properties)).toEqual(
        expect.arrayContaining(['featured', 'reviewNotes', 'locked']),
      );
      const schema = (await toolOf(author, 'update_article')).inputSchema;
      expect(Object.keys(schema.properties!)).not.toContain('contentType');
      expect(schema.required).toEqual(expect.arrayContaining(['documentId', 'data']));
    });

    it("reads select only readable fields: a Reader's get_article has no reviewNotes, a Publisher's has", async () => {
      const fieldsOf = async (session: ConnectedClient) =>
        ((await toolOf(session, 'list_article')).inputSchema.properties!.fields as any).items.enum as string[];
      expect(await fieldsOf(reader)).not.toContain('reviewNotes');
      expect(await fieldsOf(reader)).toEqual(expect.arrayContaining(['title', 'kind', 'featured']));
      expect(await fieldsOf(publisher)).toContain('reviewNotes');
      const homepage = (await toolOf(reader, 'get_homepage')).inputSchema;
      expect(Object.keys(homepage.properties!)).not.toContain('documentId');
      expect(Object.keys(homepage.properties!)).toContain('locale');
    });

    it('refuses arguments outside the schema, contentType included, before any rule runs', async () => {
      const seeded = await seededArticle(app, 1);
      const result = await reader.callTool('get_article', { documentId: seeded.documentId, contentType: 'category' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /^MCP error -32602: Input validation error: Invalid arguments for tool get_article: .*contentType/,
      );
    });
  });

  describe('the policy suite through the typed tools', () => {
    it('reads within the tenant: org-2 never sees org-1, and the audit row names the type', async () => {
      const page = expectOk(await reader2.callTool('list_article', { pageSize: 100, fields: ['title', 'tenantId'] }));
      expect(page.data.length).toBeGreaterThan(0);
      expect(page.data.every((doc: { tenantId: string }) => doc.tenantId === 'org-2')).toBe(true);
      const org1 = await seededArticle(app, 1);
      expectNotFound(await reader2.callTool('get_article', { documentId: org1.documentId }), org1.documentId);
      const own = expectOk(await reader.callTool('get_article', { documentId: org1.documentId }));
      expect(own.data).toMatchObject({ documentId: org1.documentId, title: org1.title });
      const [row] = (await auditRows(app, { tool: 'get_article' })).slice(-1);
      expect(row).toMatchObject({ contentType: ARTICLE, targetDocumentId: org1.documentId, decision: 'allowed' });
    });

    it("an Author's update_article reaches only their own articles", async () => {
      const other = await seededArticle(app, 3);
      expectNotFound(
        await author.callTool('update_article', { documentId: other.documentId, data: { title: 'taken over' } }),
        other.documentId,
      );
      expect(await stored(other.documentId)).toMatchObject({ title: other.title });
    });

    it("refuses a field the role may not write with the generic tool's words, and writes nothing", async () => {
      const title = unique('typed featured');
      const typed = await author.callTool('create_article', { data: { title, kind: 'blog', featured: true } });
      const generic = await author.callTool('create_document', {
        contentType: 'article',
        data: { title, kind: 'blog', featured: true },
      });
      expectRefused(typed, /^field featured is not writable for role Author; writable: /);
      expect(typed.content).toEqual(generic.content);
      expect(await app.strapi.db.query(ARTICLE).count({ where: { title } })).toBe(0);
    });

    it("strips such a field instead under onForbiddenField: 'strip', and says so", async () => {
      settings().update({ onForbiddenField: 'strip' });
      try {
        const title = unique('typed strip');
        const result = expectOk(
          await author.callTool('create_article', { data: { title, kind: 'blog', featured: true, reviewNotes: 'x' } }),
        );
        expect(result.droppedFields).toEqual(['featured', 'reviewNotes']);
        expect(result.data).toMatchObject({ title, featured: false });
        expect(await app.strapi.db.query(ARTICLE).findOne({ where: { title } })).toMatchObject({
          featured: false,
          reviewNotes: null,
          tenantId: 'org-1',
        });
      } finally {
        settings().update({ onForbiddenField: 'reject' });
      }
    });

    it('applies the conditions: authors write news or blog, locked articles are for Admins', async () => {
      expectRefused(
        await author.callTool('create_article', { data: { title: unique('typed guide'), kind: 'guide' } }),
        /^condition "authors-write-news-or-blog" failed/,
      );
      const locked = await seededArticle(app, 7);
      expectRefused(
        await publisher.callTool('update_article', { documentId: locked.documentId, data: { title: 'edited' } }),
        /^condition "locked-articles-admin-only" failed/,
      );
      expect(await stored(locked.documentId)).toMatchObject({ title: locked.title, locked: true });
    });

    it('a dry run writes nothing and leaves a dry-run row under the typed name', async () => {
      const title = unique('typed dry run');
      const result = expectOk(await author.callTool('create_article', { data: { title, kind: 'news' }, dryRun: true }));
      expect(result).toMatchObject({ dryRun: true, wouldStore: { title, kind: 'news', tenantId: 'org-1' } });
      expect(await app.strapi.db.query(ARTICLE).count({ where: { title } })).toBe(0);
      const [row] = (await auditRows(app, { tool: 'create_article' })).slice(-1);
      expect(row).toMatchObject({ decision: 'dry-run', contentType: ARTICLE, action: 'create' });
    });

    it("under mutations: 'confirm', a typed change needs its own dry run's token", async () => {
      const own = expectOk(
        await author.callTool('create_article', { data: { title: unique('typed own'), kind: 'news' } }),
      );
      settings().update({ mutations: 'confirm' });
      try {
        const args = { documentId: own.data.documentId, data: { title: unique('typed confirmed') } };
        expectRefused(await author.callTool('update_article', args), /^this server confirms every change/);
        const preview = expectOk(await author.callTool('update_article', { ...args, dryRun: true }));
        const done = expectOk(
          await author.callTool('update_article', { ...args, confirmationToken: preview.confirmation.token }),
        );
        expect(done.diff).toEqual({ title: { from: own.data.title, to: args.data.title } });
      } finally {
        settings().update({ mutations: 'enabled' });
      }
    });
  });

  it("mutations: 'disabled' refuses a typed change with the reason; readOnly offers no typed change at all", async () => {
    settings().update({ mutations: 'disabled' });
    // A new client: clients may keep a list as long as its cache hint says.
    const fenced = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    try {
      expect(await typedNames(fenced)).toEqual([
        'list_article',
        'get_article',
        'list_category',
        'get_category',
        'get_homepage',
      ]);
      expectRefused(
        await author.callTool('create_article', { data: { title: unique('fenced'), kind: 'news' }, dryRun: true }),
        /^mutations are switched off on this server \(mutations: 'disabled'\)/,
      );
      settings().update({ mutations: 'enabled', readOnly: true });
      expectRefused(
        await author.callTool('create_article', { data: { title: unique('read-only'), kind: 'news' } }),
        'MCP error -32602: Tool create_article not found',
      );
    } finally {
      settings().update({ mutations: 'enabled', readOnly: false });
      await fenced.close();
    }
  });

  it('with tools.perType off, only the generic tools are offered and a typed name is unknown', async () => {
    settings().update({ tools: { perType: false } });
    try {
      const session = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
      try {
        expect(await typedNames(session)).toEqual([]);
        expectRefused(await session.callTool('list_article', {}), 'MCP error -32602: Tool list_article not found');
      } finally {
        await session.close();
      }
    } finally {
      settings().update({ tools: { perType: true } });
    }
  });

  it('last, as it switches perType off and on: a settings change that leaves an offer as it was sends no list_changed', async () => {
    const session = await connectLegacyClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    let notified = 0;
    session.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
      notified += 1;
    });
    try {
      settings().update({ limits: { defaultPageSize: 26 } });
      settings().update({ limits: { defaultPageSize: 25 } });
      // Refreshes are debounced: leave them time to run, then one that does change the offer arrives.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(notified).toBe(0);
      settings().update({ tools: { perType: false } });
      await vi.waitFor(() => expect(notified).toBe(1));
    } finally {
      settings().update({ tools: { perType: true } });
      await session.close();
    }
  });
});

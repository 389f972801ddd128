/**
 * Token scopes narrow the role, never widen it: `<type>:<action>` entries (`article:read`, `article:*`, `*`) in the
 * `scope` claim (a space-separated string) or in a configured list claim (`permissions`), intersected with the role in
 * tools/list, in whoami and on every call. whoami also tells the truth about Strapi's RBAC and about unknown roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, openingRequest, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, CATEGORY, expectOk, expectRefused, unique, type Doc } from '../helpers/results';
import { withoutPermission } from '../helpers/strapi-permissions';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { READ_TOOLS } from '../helpers/tool-names';

const toolNames = async (session: ConnectedClient) =>
  (await session.client.listTools()).tools.map((tool) => tool.name).sort();
const permissionsOf = (whoami: Doc, uid: string) =>
  whoami.permissions.find((entry: Doc) => entry.contentType === uid) as Doc | undefined;
const articleRows = (app: TestApp, where: Doc): Promise<Doc[]> => app.strapi.db.query(ARTICLE).findMany({ where });

describe('scopes in the scope claim (the default)', () => {
  let app: TestApp;
  const sessions: ConnectedClient[] = [];
  const connectWith = async (email: string, role: string, tenant: string, scope: unknown) => {
    const token = await app.idp.tokenFor(email, role, tenant, { claims: { scope } });
    const session = await connectClient(app, token);
    sessions.push(session);
    return session;
  };

  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    for (const session of sessions) await session.close();
    await app?.close();
  });

  it('narrows a Publisher to reading articles with scope "article:read"', async () => {
    const publisher = await connectWith('publisher@example.com', 'Publisher', 'org-1', 'openid email article:read');
    expect(await toolNames(publisher)).toEqual([...READ_TOOLS].sort());
    const whoami = expectOk(await publisher.callTool('whoami'));
    expect(whoami.scopes).toEqual(['article:read']);
    expect(whoami.role).toBe('Publisher');
    expect(whoami.permissions.map((entry: Doc) => entry.contentType)).toEqual([ARTICLE]);
    expect(permissionsOf(whoami, ARTICLE)!.actions).toEqual(['read']);

    expectOk(await publisher.callTool('find_documents', { contentType: 'article', pageSize: 1 }));
    const title = unique('scoped out');
    expectRefused(
      await publisher.callTool('create_document', { contentType: 'article', data: { title } }),
      /^MCP error -32602: Tool create_document not found$/,
    );
    expectRefused(
      await publisher.callTool('find_documents', { contentType: 'category' }),
      /content type category is not available to role Publisher with your token's scopes/,
    );
    expect(await articleRows(app, { title })).toEqual([]);
  });

  it('lets "article:create article:update" create and update articles but not publish or delete them', async () => {
    const publisher = await connectWith('publisher@example.com', 'Publisher', 'org-1', 'article:create article:update');
    const tools = await toolNames(publisher);
    expect(tools).toContain('create_document');
    expect(tools).toContain('update_document');
    expect(tools).not.toContain('publish_document');
    expect(tools).not.toContain('delete_document');
    // No read scope: the reading tools are gone too, whoami stays.
    expect(tools).not.toContain('find_documents');
    expect(tools).toContain('whoami');
    const whoami = expectOk(await publisher.callTool('whoami'));
    expect(permissionsOf(whoami, ARTICLE)!.actions.sort()).toEqual(['create', 'update']);

    const title = unique('scoped create');
    expectOk(await publisher.callTool('create_document', { contentType: 'article', data: { title } }));
    expect(await articleRows(app, { title })).toHaveLength(1);
  });

  it('offers no publishing where no type left to the caller has draft & publish ("article:read category:*")', async () => {
    const publisher = await connectWith('publisher@example.com', 'Publisher', 'org-1', 'article:read category:*');
    const tools = await toolNames(publisher);
    expect(tools).toContain('create_document');
    for (const name of ['publish_document', 'unpublish_document', 'discard_draft']) expect(tools).not.toContain(name);
    const whoami = expectOk(await publisher.callTool('whoami'));
    expect(permissionsOf(whoami, CATEGORY)!.actions.sort()).toEqual(['create', 'read', 'update']);
  });

  it('shows no type whose only scoped action is publish when the type has no draft & publish ("category:publish")', async () => {
    const publisher = await connectWith('publisher@example.com', 'Publisher', 'org-1', 'category:publish');
    expect(await toolNames(publisher)).toEqual(['whoami']);
    expect(expectOk(await publisher.callTool('whoami')).permissions).toEqual([]);
  });

  it('never widens: a Reader with "article:* *" still only reads', async () => {
    const reader = await connectWith('reader@example.com', 'Reader', 'org-1', 'article:* *');
    const whoami = expectOk(await reader.callTool('whoami'));
    expect(permissionsOf(whoami, ARTICLE)!.actions).toEqual(['read']);
    expect(await toolNames(reader)).toEqual([...READ_TOOLS].sort());
    const title = unique('widened');
    expectRefused(
      await reader.callTool('create_document', { contentType: 'article', data: { title } }),
      /Tool create_document not found/,
    );
  });

  it('narrows update to update-own: a Publisher with "article:read article:update-own" cannot change what others wrote', async () => {
    const publisher = await connectWith(
      'publisher@example.com',
      'Publisher',
      'org-1',
      'article:read api::article.article:update-own',
    );
    const whoami = expectOk(await publisher.callTool('whoami'));
    expect(permissionsOf(whoami, ARTICLE)!.actions.sort()).toEqual(['read', 'update-own']);
    // Seeded articles of org-1 were created by the seed's authors, not by the publisher.
    const [someoneElses] = await app.strapi.db.query(ARTICLE).findMany({ where: { tenantId: 'org-1' }, limit: 1 });
    const result = await publisher.callTool('update_document', {
      contentType: 'article',
      documentId: someoneElses.documentId,
      data: { title: unique('not mine') },
    });
    // Outside its reach, a document is as good as absent (the same answer as for another tenant's).
    expectRefused(result, `document ${someoneElses.documentId} of article not found`);
    const withoutScopes = await connectClient(
      app,
      await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'),
    );
    sessions.push(withoutScopes);
    expectOk(
      await withoutScopes.callTool('update_document', {
        contentType: 'article',
        documentId: someoneElses.documentId,
        data: { title: unique('theirs, by role') },
        dryRun: true,
      }),
    );
  });

  it('gives whoami only to a token whose scopes name no content ("openid email")', async () => {
    const admin = await connectWith('admin@example.com', 'Admin', 'org-1', 'openid email');
    expect(await toolNames(admin)).toEqual(['whoami']);
    const whoami = expectOk(await admin.callTool('whoami'));
    expect(whoami.scopes).toEqual([]);
    expect(whoami.permissions).toEqual([]);
  });

  it('applies "*" as the role alone, and "*:read" to every type', async () => {
    const all = await connectWith('admin@example.com', 'Admin', 'org-1', '*');
    const unscoped = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    sessions.push(unscoped);
    expect(await toolNames(all)).toEqual(await toolNames(unscoped));
    expect(expectOk(await unscoped.callTool('whoami')).scopes).toBeNull();

    const readAll = await connectWith('admin@example.com', 'Admin', 'org-1', '*:read');
    const whoami = expectOk(await readAll.callTool('whoami'));
    for (const entry of whoami.permissions) expect(entry.actions).toEqual(['read']);
    expect(permissionsOf(whoami, CATEGORY)).toBeDefined();
  });

  it('refuses a scope claim of another shape, with the reason', async () => {
    for (const scope of [42, { article: 'read' }, ['article:read', 7]]) {
      const token = await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1', { claims: { scope } });
      const response = await openingRequest(app, credentials(app, token));
      expect(response.status).toBe(401);
      expect(response.json.error.data).toEqual({
        type: 'token',
        reason: 'scope claim is neither a space-separated string nor a list of strings',
      });
    }
  });
});

describe('scopes in a list claim, and required scopes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { claims: { scopes: 'permissions', requireScopes: true } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('reads the design token\'s permissions list ["article:create", "article:update"]', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', {
      claims: { permissions: ['article:create', 'article:update'], scope: 'article:read' },
    });
    const author = await connectClient(app, token);
    try {
      const whoami = expectOk(await author.callTool('whoami'));
      expect(whoami.scopes).toEqual(['article:create', 'article:update']);
      // The Author role updates its own documents only: update narrows to update-own.
      expect(permissionsOf(whoami, ARTICLE)!.actions.sort()).toEqual(['create', 'update-own']);
    } finally {
      await author.close();
    }
  });

  it('refuses a token without the claim when scopes are required', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const response = await openingRequest(app, credentials(app, token));
    expect(response.status).toBe(401);
    expect(response.json.error.data.reason).toBe('token has no permissions claim, and this server requires scopes');
  });
});

describe('whoami tells the truth', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it("leaves out actions Strapi's RBAC refuses", async () => {
    const author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    try {
      expect(permissionsOf(expectOk(await author.callTool('whoami')), ARTICLE)!.actions).toContain('create');
      await withoutPermission(
        app,
        { action: 'plugin::content-manager.explorer.create', subject: ARTICLE, role: 'mcp-author' },
        async () => {
          const actions = permissionsOf(expectOk(await author.callTool('whoami')), ARTICLE)!.actions;
          expect(actions).not.toContain('create');
          expect(actions).toContain('read');
        },
      );
    } finally {
      await author.close();
    }
  });

  it('names the configured roles when the role claim is unknown or missing', async () => {
    for (const [role, problem] of [
      ['Editor', "your token's role claim is not a role this server knows; roles: Admin, Publisher, Author, Reader"],
      [null, 'your token has no role claim; roles this server knows: Admin, Publisher, Author, Reader'],
    ] as const) {
      const session = await connectClient(app, await app.idp.tokenFor('author1@example.com', role, 'org-1'));
      try {
        const whoami = expectOk(await session.callTool('whoami'));
        expect(whoami.role).toBeNull();
        expect(whoami.roleProblem).toBe(problem);
      } finally {
        await session.close();
      }
    }
    const known = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    try {
      expect(expectOk(await known.callTool('whoami')).roleProblem).toBeNull();
    } finally {
      await known.close();
    }
  });
});

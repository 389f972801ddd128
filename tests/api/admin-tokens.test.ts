/**
 * Strapi admin tokens (Settings → Admin tokens) as the second credential: checked by Strapi's own admin-token service
 * (expiry, owner active and unblocked, lastUsedAt), the caller is the token's owner, the policy role comes from the
 * owner's Strapi roles (strapiRoles) whatever roleSource says, the tenant from adminTokens.tenants, and the second
 * lock is the token's own permissions. Tokens are created through Strapi's service for seeded users.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAdminToken,
  expireAdminToken,
  ownerPermissions,
  readAdminToken,
  revokeAdminToken,
  type CreatedAdminToken,
} from '../helpers/admin-tokens';
import { dataOf, totalOf } from '../helpers/list-results';
import {
  connectClient,
  credentials,
  openingRequest,
  openRawSession,
  rawRequest,
  type RawResponse,
} from '../helpers/mcp-client';
import { ARTICLE, auditRows, CATEGORY, documents, expectOk, expectRefused, unique } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { READ_TOOLS } from '../helpers/tool-names';

const READ_ARTICLES = [{ action: 'plugin::content-manager.explorer.read', subject: ARTICLE, properties: {} }];

let app: TestApp;
let publisherFull: CreatedAdminToken;
let publisherReadArticles: CreatedAdminToken;
let authorFull: CreatedAdminToken;
let adminFull: CreatedAdminToken;

const settings = () => app.strapi.plugin('mcp-server').service('settings');
const withSettings = async (patch: Record<string, unknown>, restore: Record<string, unknown>, body: () => unknown) => {
  settings().update(patch);
  try {
    await body();
  } finally {
    settings().update(restore);
  }
};

const expectRefusal = (response: RawResponse, status: number, type: string, reason: RegExp) => {
  expect(response.status, response.text).toBe(status);
  expect(response.json.error.data).toEqual({ type, reason: expect.stringMatching(reason) });
  expect(response.text).not.toMatch(/\n\s+at |node_modules/);
  expect(response.headers.get('mcp-session-id')).toBeNull();
};

const articleCount = (tenantId?: string) =>
  documents(app, ARTICLE).count(tenantId ? { filters: { tenantId } } : {}) as Promise<number>;

beforeAll(async () => {
  app = await bootTestApp({
    pluginConfig: {
      crossTenantRoles: ['Admin'],
      // Over the playground's assignments: author1 and admin have none here.
      adminTokens: {
        tenants: { 'publisher@example.com': 'org-1', 'author1@example.com': null, 'admin@example.com': null },
      },
    },
  });
  publisherFull = await createAdminToken(
    app,
    'publisher@example.com',
    await ownerPermissions(app, 'publisher@example.com'),
  );
  publisherReadArticles = await createAdminToken(app, 'publisher@example.com', READ_ARTICLES);
  authorFull = await createAdminToken(app, 'author1@example.com', await ownerPermissions(app, 'author1@example.com'));
  adminFull = await createAdminToken(app, 'admin@example.com', await ownerPermissions(app, 'admin@example.com'));
});
afterAll(async () => {
  await app?.close();
});

describe('an accepted admin token', () => {
  it("acts as its owner, with the policy role from the owner's Strapi roles and the assigned tenant", async () => {
    expect(settings().get().roleSource).toBe('claim');
    const session = await connectClient(app, publisherFull.accessKey);
    const whoami = expectOk(await session.callTool('whoami'));
    const publisher = await app.strapi.db.query('admin::user').findOne({ where: { email: 'publisher@example.com' } });
    expect(whoami).toMatchObject({
      user: { id: publisher.id, email: 'publisher@example.com', firstname: 'Paul' },
      role: 'Publisher',
      roleClaim: null,
      tenant: 'org-1',
      subject: null,
    });

    const found = await session.callTool('find_documents', { contentType: 'article', pageSize: 100, withCount: true });
    const docs = dataOf(found);
    expect(totalOf(found)).toBe(await articleCount('org-1'));
    expect(totalOf(found)).toBeLessThan(await articleCount());
    expect(new Set(docs.map((doc) => doc.tenantId))).toEqual(new Set(['org-1']));

    const created = expectOk(
      await session.callTool('create_document', {
        contentType: 'article',
        data: { title: unique('by admin token'), kind: 'news' },
      }),
    );
    const stored = await documents(app, ARTICLE).findOne({
      documentId: created.data.documentId,
      populate: ['createdBy'],
    });
    expect(stored).toMatchObject({ tenantId: 'org-1', createdBy: { id: publisher.id } });
    await session.close();

    const rows = await auditRows(app, { tool: 'create_document', adminUserId: publisher.id });
    expect(rows.at(-1)).toMatchObject({ decision: 'allowed', credential: `admin-token:${publisherFull.id}` });
  });

  it('records lastUsedAt through Strapi', async () => {
    const token = await createAdminToken(app, 'reader@example.com', READ_ARTICLES);
    expect((await readAdminToken(app, token.id)).lastUsedAt).toBeNull();
    const before = Date.now() - 1000;
    expect((await openingRequest(app, credentials(app, token.accessKey))).status).toBe(200);
    const { lastUsedAt } = await readAdminToken(app, token.id);
    expect(new Date(lastUsedAt).getTime()).toBeGreaterThanOrEqual(before);
  });

  it('audits JWT callers with credential jwt', async () => {
    const session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    expectOk(await session.callTool('count_documents', { contentType: 'category' }));
    await session.close();
    const rows = await auditRows(app, { tool: 'count_documents' });
    expect(rows.at(-1)).toMatchObject({ credential: 'jwt', adminUserEmail: 'reader@example.com' });
  });
});

describe("the token's own permissions as the second lock", () => {
  it('lets a read-only-articles token read articles and refuses writes, naming the token', async () => {
    const session = await connectClient(app, publisherReadArticles.accessKey);
    expect(totalOf(await session.callTool('find_documents', { contentType: 'article', withCount: true }))).toBe(
      await articleCount('org-1'),
    );
    // The write tools are not offered to this token: not found, as tools/list says.
    expectRefused(
      await session.callTool('create_document', { contentType: 'article', data: { title: unique('refused') } }),
      /^MCP error -32602: Tool create_document not found$/,
    );
    const [target] = await documents(app, ARTICLE).findMany({ filters: { tenantId: 'org-1' }, limit: 1 });
    expectRefused(
      await session.callTool('update_document', {
        contentType: 'article',
        documentId: target.documentId,
        data: { title: 'changed' },
      }),
      /^MCP error -32602: Tool update_document not found$/,
    );
    // Its owner's role reads categories; the token does not, and the refusal names it.
    expectRefused(
      await session.callTool('find_documents', { contentType: 'category' }),
      new RegExp(
        `^your admin token "${publisherReadArticles.name}" \\(its permissions in Settings → Admin tokens\\) does not grant read on category`,
      ),
    );
    expect((await documents(app, ARTICLE).findOne({ documentId: target.documentId })).title).not.toBe('changed');
    await session.close();
  });

  it('offers such a token read tools on articles only, and the full token of the same owner everything', async () => {
    const listed = async (token: string) => {
      const session = await connectClient(app, token);
      try {
        const tools = (await session.client.listTools()).tools.map((tool) => tool.name);
        const types = (await session.callTool('list_content_types')).structuredContent as {
          contentTypes: Array<{ uid: string }>;
        };
        return { tools, types: types.contentTypes.map((type) => type.uid) };
      } finally {
        await session.close();
      }
    };
    const readOnly = await listed(publisherReadArticles.accessKey);
    // list_media needs the media library permission, which this token does not hold.
    expect(readOnly.tools.sort()).toEqual(READ_TOOLS.filter((name) => name !== 'list_media').sort());
    expect(readOnly.types).toEqual([ARTICLE]);
    const full = await listed(publisherFull.accessKey);
    expect(full.tools).toEqual(expect.arrayContaining([...READ_TOOLS, 'create_document', 'publish_document']));
    expect(full.types).toEqual(expect.arrayContaining([ARTICLE, CATEGORY]));
  });

  it('describes to such a token only the types it is offered: tool, resources and completions agree', async () => {
    const session = await connectClient(app, publisherReadArticles.accessKey);
    try {
      expectOk(await session.callTool('describe_content_type', { contentType: 'article' }));
      expectRefused(
        await session.callTool('describe_content_type', { contentType: 'homepage' }),
        /^content type homepage is not available to role Publisher/,
      );
      const { resources } = await session.client.listResources();
      expect(
        resources.map((resource) => resource.uri).filter((uri) => uri.startsWith('strapi://content-types/')),
      ).toEqual([`strapi://content-types/${ARTICLE}`]);
      await expect(
        session.client.readResource({ uri: 'strapi://content-types/api::homepage.homepage' }),
      ).rejects.toThrow(/not available/);
      const completion = await session.client.complete({
        ref: { type: 'ref/resource', uri: 'strapi://content-types/{uid}' },
        argument: { name: 'uid', value: 'api' },
      });
      expect(completion.completion.values).toEqual([ARTICLE]);
    } finally {
      await session.close();
    }
  });

  it('offers a token that may create categories but not read them nothing but whoami (writing needs reading)', async () => {
    const createOnly = await createAdminToken(app, 'publisher@example.com', [
      { action: 'plugin::content-manager.explorer.create', subject: CATEGORY, properties: {} },
    ]);
    const session = await connectClient(app, createOnly.accessKey);
    try {
      expect((await session.client.listTools()).tools.map((tool) => tool.name)).toEqual(['whoami']);
      // Not offered, so not found, as the list says: the call-time check uses the same grants.
      expectRefused(
        await session.callTool('describe_content_type', { contentType: 'category' }),
        /^MCP error -32602: Tool describe_content_type not found$/,
      );
      expect(expectOk(await session.callTool('whoami')).permissions).toEqual([]);
    } finally {
      await session.close();
      await revokeAdminToken(app, createOnly.id);
    }
  });

  it('offers a media-library-only token list_media, and its call agrees', async () => {
    const mediaOnly = await createAdminToken(app, 'publisher@example.com', [
      { action: 'plugin::upload.read', subject: null, properties: {} },
    ]);
    const session = await connectClient(app, mediaOnly.accessKey);
    try {
      const tools = (await session.client.listTools()).tools.map((tool) => tool.name).sort();
      expect(tools).toEqual(['list_media', 'whoami']);
      expectOk(await session.callTool('list_media'));
    } finally {
      await session.close();
      await revokeAdminToken(app, mediaOnly.id);
    }
  });

  it('holds even with enforceAdminPermissions off (that switch is for JWT callers)', async () => {
    await withSettings({ enforceAdminPermissions: false }, { enforceAdminPermissions: true }, async () => {
      const session = await connectClient(app, publisherReadArticles.accessKey);
      expectRefused(
        await session.callTool('create_document', { contentType: 'article', data: { title: unique('refused') } }),
        /^MCP error -32602: Tool create_document not found$/,
      );
      expectRefused(
        await session.callTool('find_documents', { contentType: 'category' }),
        /admin token ".*" .*does not grant read on category/,
      );
      await session.close();
    });
  });

  it("grants categories to the full token of the same owner (the refusal above is the token's)", async () => {
    const session = await connectClient(app, publisherFull.accessKey);
    expect(totalOf(await session.callTool('find_documents', { contentType: 'category', withCount: true }))).toBe(
      await (documents(app, CATEGORY).count({}) as Promise<number>),
    );
    await session.close();
  });
});

describe('tenant assignment', () => {
  it('refuses tenant-aware types to an owner with no assignment, and serves shared types', async () => {
    const session = await connectClient(app, authorFull.accessKey);
    expect(expectOk(await session.callTool('whoami'))).toMatchObject({ role: 'Author', tenant: null });
    expectRefused(
      await session.callTool('find_documents', { contentType: 'article' }),
      /article is tenant-aware and no tenant is assigned to your admin user for admin tokens \(adminTokens\.tenants\)/,
    );
    expect(
      totalOf(await session.callTool('find_documents', { contentType: 'category', withCount: true })),
    ).toBeGreaterThan(0);
    await session.close();
  });

  it('lets a cross-tenant role with no assignment read every tenant', async () => {
    const session = await connectClient(app, adminFull.accessKey);
    expect(expectOk(await session.callTool('whoami'))).toMatchObject({ role: 'Admin', tenant: null });
    expect(totalOf(await session.callTool('find_documents', { contentType: 'article', withCount: true }))).toBe(
      await articleCount(),
    );
    await session.close();
  });

  it('applies a changed assignment at the next request', async () => {
    const tenants = { 'publisher@example.com': 'org-2' };
    await withSettings(
      { adminTokens: { tenants } },
      { adminTokens: { tenants: { 'publisher@example.com': 'org-1' } } },
      async () => {
        const session = await connectClient(app, publisherFull.accessKey);
        expect(expectOk(await session.callTool('whoami'))).toMatchObject({ tenant: 'org-2' });
        const found = await session.callTool('find_documents', {
          contentType: 'article',
          pageSize: 100,
          withCount: true,
        });
        expect(new Set(dataOf(found).map((doc) => doc.tenantId))).toEqual(new Set(['org-2']));
        await session.close();
      },
    );
  });
});

describe('refused admin tokens', () => {
  const open = (token: string) => openingRequest(app, credentials(app, token));

  it('refuses an unknown token', async () => {
    expectRefusal(await open(randomBytes(128).toString('hex')), 401, 'token', /^admin token not recognised/);
  });

  it('refuses a content API token (not an admin token)', async () => {
    const contentApi = await app.strapi
      .service('admin::api-token-content-api')
      .create({ name: unique('content api'), description: '', type: 'read-only', lifespan: null });
    expectRefusal(await open(contentApi.accessKey), 401, 'token', /^admin token not recognised/);
  });

  it('refuses an expired token', async () => {
    const token = await createAdminToken(app, 'reader@example.com', READ_ARTICLES);
    expect((await open(token.accessKey)).status).toBe(200);
    await expireAdminToken(app, token.id);
    expectRefusal(await open(token.accessKey), 401, 'token', /^admin token expired$/);
  });

  it('refuses tokens of inactive or blocked owners', async () => {
    for (const email of ['inactive@example.com', 'blocked@example.com']) {
      const token = await createAdminToken(app, email, READ_ARTICLES);
      expectRefusal(await open(token.accessKey), 401, 'admin-user', /owns this admin token is inactive or blocked/);
    }
  });

  it('stops accepting a deleted token at the next request', async () => {
    const token = await createAdminToken(app, 'reader@example.com', READ_ARTICLES);
    const session = await connectClient(app, token.accessKey);
    expectOk(await session.callTool('whoami'));
    await revokeAdminToken(app, token.id);
    expectRefusal(await open(token.accessKey), 401, 'token', /^admin token not recognised/);
    await expect(session.callTool('whoami')).rejects.toThrow();
  });

  it('records refusals with the credential kind', async () => {
    await open(randomBytes(128).toString('hex'));
    // Refusals are counted per address, refusal type, user and minute (a row keeps the first refusal's details): look
    // at every row about admin tokens, not the last one.
    const rows = await auditRows(app, { action: 'authenticate' });
    const aboutAdminTokens = rows.filter((row) => /admin token/.test(row.reason));
    expect(aboutAdminTokens.length).toBeGreaterThan(0);
    for (const row of aboutAdminTokens) expect(row.credential).toBe('admin-token');
  });

  it('refuses admin tokens with a reason when they are turned off', async () => {
    await withSettings({ adminTokens: { enabled: false } }, { adminTokens: { enabled: true } }, async () => {
      expectRefusal(await open(publisherFull.accessKey), 401, 'token', /admin tokens are turned off on this server/);
      const jwt = await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1');
      expect((await open(jwt)).status).toBe(200);
    });
    expect((await open(publisherFull.accessKey)).status).toBe(200);
  });
});

describe('the internal secret, per credential', () => {
  const withoutSecret = (token: string) => openingRequest(app, { Authorization: `Bearer ${token}` });

  it('lets admin tokens in without the secret while JWTs still need it', async () => {
    await withSettings(
      { adminTokens: { requireInternalSecret: false } },
      { adminTokens: { requireInternalSecret: null } },
      async () => {
        expect((await withoutSecret(publisherFull.accessKey)).status).toBe(200);
        const jwt = await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1');
        expectRefusal(await withoutSecret(jwt), 403, 'secret', /^missing X-MCP-Internal-Secret header$/);
        // A secret that is sent must still match.
        const wrong = await openingRequest(app, credentials(app, publisherFull.accessKey, `${app.secret}x`));
        expectRefusal(wrong, 403, 'secret', /does not match/);
      },
    );
    expectRefusal(await withoutSecret(publisherFull.accessKey), 403, 'secret', /adminTokens\.requireInternalSecret/);
  });

  it('lets JWTs in without the secret while admin tokens still need it', async () => {
    await withSettings(
      { requireInternalSecret: false, adminTokens: { requireInternalSecret: true } },
      { requireInternalSecret: true, adminTokens: { requireInternalSecret: null } },
      async () => {
        const jwt = await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1');
        expect((await withoutSecret(jwt)).status).toBe(200);
        expectRefusal(
          await withoutSecret(publisherFull.accessKey),
          403,
          'secret',
          /^missing X-MCP-Internal-Secret header \(adminTokens\.requireInternalSecret\)$/,
        );
      },
    );
  });
});

describe('sessions (2025-11-25)', () => {
  it('does not let a session opened with an admin token be used with a JWT of the same user, nor the reverse', async () => {
    const jwt = await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1');
    const pairs: Array<[string, string]> = [
      [publisherFull.accessKey, jwt],
      [jwt, publisherFull.accessKey],
    ];
    for (const [opener, intruder] of pairs) {
      const opened = await openRawSession(app, credentials(app, opener));
      expect(opened.sessionId).not.toBe('');
      const listed = await rawRequest(app, {
        headers: { ...credentials(app, intruder), 'mcp-session-id': opened.sessionId },
        body: { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      });
      expectRefusal(listed, 403, 'session-identity', /belongs to another identity/);
      const own = await rawRequest(app, {
        headers: { ...credentials(app, opener), 'mcp-session-id': opened.sessionId },
        body: { jsonrpc: '2.0', id: 3, method: 'tools/list' },
      });
      expect(own.status).toBe(200);
    }
  });
});

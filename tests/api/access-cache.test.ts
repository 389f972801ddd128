/**
 * The access cache: verified callers and Strapi abilities are kept between calls (the cache is used: its hit counts
 * grow), and every kind of change to Strapi's admin state applies at the very next call: a permission removed from a
 * role in the admin panel, a user moved to another role, deactivated, blocked or renamed, an admin token's permissions
 * changed or the token revoked, and the plugin's settings. On PostgreSQL, a change made inside a transaction while a
 * call reads the old rows is not kept after the commit. Every change is put back, whatever happens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminLogin } from '../helpers/admin-panel';
import { createAdminToken, revokeAdminToken, type CreatedAdminToken } from '../helpers/admin-tokens';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, expectOk, textOf } from '../helpers/results';
import { recreatePermission } from '../helpers/strapi-permissions';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const READ_ARTICLE = 'plugin::content-manager.explorer.read';
let app: TestApp;
let superAdminJwt: string;

const accessCache = () => app.strapi.plugin('mcp-server').service('access-cache');
const users = () => app.strapi.db.query('admin::user');
const userByEmail = (email: string) => users().findOne({ where: { email }, populate: ['roles'] });

/** Strapi's own admin API, as the admin panel calls it. */
const adminRequest = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${app.baseUrl}/admin${path}`, {
    method,
    headers: { Authorization: `Bearer ${superAdminJwt}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as { data: any };
  expect([200, 201], JSON.stringify(json)).toContain(response.status);
  return json.data;
};

const listArticles = (session: ConnectedClient) =>
  session.callTool('find_documents', { contentType: 'article', pageSize: 1 });

/** A call refused by the transport (a 2025 session) throws; under 2026-07-28 the SDK throws too. */
const refusedAtTransport = (call: Promise<unknown>, reason: RegExp) => expect(call).rejects.toThrow(reason);

beforeAll(async () => {
  app = await bootTestApp();
  superAdminJwt = await adminLogin(app, 'admin@example.com');
});
afterAll(async () => {
  await app?.close();
});

describe('kept between calls', () => {
  it('verifies a token once and builds the ability once for repeated calls', async () => {
    const session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    try {
      expectOk(await listArticles(session));
      const before = accessCache().stats();
      expectOk(await listArticles(session));
      expectOk(await session.callTool('whoami'));
      const after = accessCache().stats();
      expect(after.callerHits).toBeGreaterThan(before.callerHits);
      expect(after.abilityHits).toBeGreaterThan(before.abilityHits);
      expect(after.invalidations).toBe(before.invalidations);
    } finally {
      await session.close();
    }
  });

  it('never keeps a refusal: a user activated after a refused call is let in at the next one', async () => {
    const inactive = await userByEmail('inactive@example.com');
    const token = await app.idp.tokenFor('inactive@example.com', 'Reader', 'org-1');
    await expect(connectClient(app, token).then((session) => session.callTool('whoami'))).rejects.toThrow(
      /not active|401/,
    );
    await adminRequest('PUT', `/users/${inactive.id}`, { isActive: true });
    try {
      const session = await connectClient(app, token);
      expectOk(await session.callTool('whoami'));
      await session.close();
    } finally {
      await adminRequest('PUT', `/users/${inactive.id}`, { isActive: false });
    }
  });
});

describe('a change to Strapi admin state applies at the next call', () => {
  let reader: ConnectedClient;
  beforeAll(async () => {
    reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
  });
  afterAll(async () => {
    await reader?.close();
  });

  it('a permission removed from the role in the admin panel (Settings → Roles)', async () => {
    const user = await userByEmail('reader@example.com');
    const roleId = user.roles[0].id;
    const permissions = (await adminRequest('GET', `/roles/${roleId}/permissions`)) as Array<Record<string, any>>;
    const keep = permissions
      .filter((permission) => !(permission.action === READ_ARTICLE && permission.subject === ARTICLE))
      .map(({ action, subject, properties, conditions, actionParameters }) => ({
        action,
        subject,
        properties,
        conditions,
        actionParameters,
      }));
    expect(keep.length).toBeLessThan(permissions.length);
    expectOk(await listArticles(reader));
    await adminRequest('PUT', `/roles/${roleId}/permissions`, { permissions: keep });
    try {
      expect((await listArticles(reader)).isError).toBe(true);
    } finally {
      await adminRequest('PUT', `/roles/${roleId}/permissions`, {
        permissions: permissions.map(({ action, subject, properties, conditions, actionParameters }) => ({
          action,
          subject,
          properties,
          conditions,
          actionParameters,
        })),
      });
    }
    expectOk(await listArticles(reader));
  });

  it('a user moved to a role without that permission (Settings → Users)', async () => {
    const user = await userByEmail('reader@example.com');
    const emptyRole = await adminRequest('POST', '/roles', { name: `No rights ${Date.now()}`, description: 'none' });
    expectOk(await listArticles(reader));
    await adminRequest('PUT', `/users/${user.id}`, { roles: [emptyRole.id] });
    try {
      const refused = await listArticles(reader);
      expect(refused.isError).toBe(true);
      // Nothing the user may read is left: the tool is no longer offered.
      expect(textOf(refused)).toMatch(/Tool find_documents not found/);
    } finally {
      await adminRequest('PUT', `/users/${user.id}`, { roles: user.roles.map((role: { id: number }) => role.id) });
      await app.strapi.service('admin::role').deleteByIds([emptyRole.id]);
    }
    expectOk(await listArticles(reader));
  });

  it('a user deactivated in the admin panel', async () => {
    const user = await userByEmail('reader@example.com');
    expectOk(await reader.callTool('whoami'));
    await adminRequest('PUT', `/users/${user.id}`, { isActive: false });
    try {
      await refusedAtTransport(reader.callTool('whoami'), /not active/);
    } finally {
      await adminRequest('PUT', `/users/${user.id}`, { isActive: true });
    }
  });

  it('a user blocked', async () => {
    const user = await userByEmail('reader@example.com');
    const session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    expectOk(await session.callTool('whoami'));
    await users().update({ where: { id: user.id }, data: { blocked: true } });
    try {
      await refusedAtTransport(session.callTool('whoami'), /blocked/);
    } finally {
      await users().update({ where: { id: user.id }, data: { blocked: false } });
      await session.close().catch(() => undefined);
    }
  });

  it("a user's email changed: a token for the old email no longer finds them", async () => {
    const user = await userByEmail('author2@example.com');
    const session = await connectClient(app, await app.idp.tokenFor('author2@example.com', 'Author', 'org-1'));
    expectOk(await session.callTool('whoami'));
    await adminRequest('PUT', `/users/${user.id}`, { email: 'author2-renamed@example.com' });
    try {
      await refusedAtTransport(session.callTool('whoami'), /no active admin user/);
    } finally {
      await adminRequest('PUT', `/users/${user.id}`, { email: 'author2@example.com' });
      await session.close().catch(() => undefined);
    }
  });

  it('a role renamed to another code changes nothing it should not: the next call still works', async () => {
    const user = await userByEmail('reader@example.com');
    const role = user.roles[0];
    await adminRequest('PUT', `/roles/${role.id}`, { name: `${role.name} (renamed)`, description: 'renamed' });
    try {
      expectOk(await listArticles(reader));
    } finally {
      await adminRequest('PUT', `/roles/${role.id}`, { name: role.name, description: role.description ?? '' });
    }
  });
});

describe('admin tokens', () => {
  let token: CreatedAdminToken;
  let session: ConnectedClient;
  beforeAll(async () => {
    token = await createAdminToken(app, 'publisher@example.com', [
      { action: READ_ARTICLE, subject: ARTICLE, properties: {} },
    ]);
    session = await connectClient(app, token.accessKey);
  });
  afterAll(async () => {
    await session?.close().catch(() => undefined);
  });

  it("the token's own permissions changed", async () => {
    expectOk(await listArticles(session));
    const tokens = app.strapi.service('admin::api-token-admin');
    await tokens.update(token.id, { adminPermissions: [] });
    try {
      expect((await listArticles(session)).isError).toBe(true);
    } finally {
      await tokens.update(token.id, { adminPermissions: [{ action: READ_ARTICLE, subject: ARTICLE, properties: {} }] });
    }
    expectOk(await listArticles(session));
  });

  it('the token revoked', async () => {
    expectOk(await listArticles(session));
    await revokeAdminToken(app, token.id);
    await refusedAtTransport(listArticles(session), /not recognised/);
  });
});

describe('settings', () => {
  it("a settings change applies at the next call: an admin token's tenant assigned in Settings → MCP Server", async () => {
    const token = await createAdminToken(app, 'publisher@example.com', [
      { action: READ_ARTICLE, subject: ARTICLE, properties: {} },
    ]);
    const publisher = await userByEmail('publisher@example.com');
    const settings = app.strapi.plugin('mcp-server').service('settings');
    const before = settings.get().access;
    const first = await connectClient(app, token.accessKey);
    expect(expectOk(await first.callTool('whoami')).tenant).not.toBe('org-9');
    await first.close().catch(() => undefined);
    settings.update({ access: { ...before, users: { ...before.users, [publisher.id]: { tenant: 'org-9' } } } });
    try {
      const second = await connectClient(app, token.accessKey);
      expect(expectOk(await second.callTool('whoami')).tenant).toBe('org-9');
      await second.close().catch(() => undefined);
    } finally {
      settings.update({ access: before });
      await revokeAdminToken(app, token.id);
    }
  });
});

describe.runIf(process.env.DATABASE_CLIENT === 'postgres')('transactions (PostgreSQL)', () => {
  it('a call that reads the old rows while the change is uncommitted is not kept after the commit', async () => {
    const session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const permissions = app.strapi.db.query('admin::permission');
    const where = { action: READ_ARTICLE, subject: ARTICLE, role: { code: 'mcp-reader' } };
    const permission = await permissions.findOne({ where, populate: ['role'] });
    expect(permission).toBeTruthy();
    try {
      await app.strapi.db.transaction(async () => {
        await permissions.delete({ where: { id: permission.id } });
        // Outside the transaction, the call still sees the committed permission and builds its ability from it.
        expectOk(await listArticles(session));
      });
      const refused = await listArticles(session);
      expect(refused.isError, textOf(refused)).toBe(true);
    } finally {
      await recreatePermission(app, permission);
      await session.close();
    }
  });
});

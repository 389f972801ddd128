/**
 * Settings → MCP Server, server side: every admin route checks the plugin's own admin actions; the policy, the on/off
 * switch and a user's MCP access change at the very next MCP request and are audited with who and what; sessions can
 * be ended; the audit log filters, sorts, pages and exports CSV (bounded); usage counts per user and credential.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminToken, ownerPermissions, revokeAdminToken } from '../helpers/admin-tokens';
import { adminApi, adminLogin } from '../helpers/admin-panel';
import {
  connectClient,
  connectLegacyClient,
  credentials,
  MODERN_PROTOCOL,
  modernEnvelope,
  openingRequest,
} from '../helpers/mcp-client';
import { ARTICLE, expectOk, expectRefused, userId } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let superAdmin: ReturnType<typeof adminApi>;
let publisher: ReturnType<typeof adminApi>;
let reader: ReturnType<typeof adminApi>;

const AUDIT_LOG = 'plugin::mcp-server.audit-log';

beforeAll(async () => {
  app = await bootTestApp();
  superAdmin = adminApi(app, await adminLogin(app, 'admin@example.com'));
  publisher = adminApi(app, await adminLogin(app, 'publisher@example.com'));
  reader = adminApi(app, await adminLogin(app, 'reader@example.com'));
});
afterAll(async () => {
  await app?.close();
});

/** A raw 2026-07-28 listen stream; `ended` resolves when the server ends it. */
const openListenStream = async (token: string) => {
  const abort = new AbortController();
  const response = await fetch(app.mcpUrl, {
    method: 'POST',
    signal: abort.signal,
    headers: {
      ...credentials(app, token),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN_PROTOCOL,
      'mcp-method': 'subscriptions/listen',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 'listen',
      method: 'subscriptions/listen',
      params: { notifications: { toolsListChanged: true }, _meta: modernEnvelope() },
    }),
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const ended = (async () => {
    try {
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    } catch {
      // cut: the stream is over either way
    }
  })();
  return { ended, close: () => abort.abort() };
};

const service = (name: string) => app.strapi.plugin('mcp-server').service(name);

const flushAudit = () => app.strapi.plugin('mcp-server').service('audit').flush();

const latestAuditRow = async (where: Record<string, unknown>) =>
  app.strapi.db.query(AUDIT_LOG).findOne({ where, orderBy: [{ id: 'desc' }] });

describe('permissions of the admin routes', () => {
  const ROUTES: Array<{ method: 'get' | 'put' | 'post' | 'del'; path: string; body?: unknown; action: string }> = [
    { method: 'get', path: '/overview', action: 'overview.read' },
    { method: 'put', path: '/enabled', body: { enabled: true }, action: 'settings.update' },
    { method: 'get', path: '/settings', action: 'overview.read' },
    { method: 'post', path: '/settings/preview', body: { policy: {} }, action: 'settings.update' },
    { method: 'put', path: '/settings', body: { policy: {} }, action: 'settings.update' },
    { method: 'post', path: '/settings/reset', action: 'settings.update' },
    { method: 'get', path: '/access', action: 'access.manage' },
    { method: 'put', path: '/access/1', body: {}, action: 'access.manage' },
    { method: 'get', path: '/sessions', action: 'sessions.manage' },
    { method: 'del', path: '/sessions/unknown', action: 'sessions.manage' },
    { method: 'del', path: '/users/1/sessions', action: 'sessions.manage' },
    { method: 'get', path: '/audit', action: 'audit.read' },
    { method: 'get', path: '/audit/export', action: 'audit.read' },
    { method: 'get', path: '/audit/filters', action: 'audit.read' },
    { method: 'get', path: '/audit/1', action: 'audit.read' },
    { method: 'get', path: '/usage', action: 'audit.read' },
  ];
  const call = (client: ReturnType<typeof adminApi>, route: (typeof ROUTES)[number]) =>
    route.method === 'get' || route.method === 'del'
      ? client[route.method](route.path)
      : client[route.method](route.path, route.body);

  it.each(ROUTES)('$method $path: 401 without an admin session, 403 without $action', async (route) => {
    expect((await call(adminApi(app), route)).status).toBe(401);
    expect((await call(reader, route)).status).toBe(403);
    const asPublisher = await call(publisher, route);
    // The playground gives the MCP Publisher role read-only audit access, as an example.
    if (route.action === 'audit.read') expect(asPublisher.status).not.toBe(403);
    else expect(asPublisher.status).toBe(403);
  });

  it('the Super Admin holds every action', async () => {
    for (const path of ['/overview', '/settings', '/access', '/sessions', '/audit', '/audit/filters', '/usage']) {
      const response = await superAdmin.get(path);
      expect(response.status, path).toBe(200);
    }
  });

  it('registers the five actions with Strapi, under Settings → MCP Server', async () => {
    const actions = app.strapi
      .service('admin::permission')
      .actionProvider.values()
      .filter((action: { pluginName?: string }) => action.pluginName === 'mcp-server')
      .map((action: { actionId: string; section: string; category: string }) => [
        action.actionId,
        action.section,
        action.category,
      ]);
    expect(actions.sort()).toEqual(
      ['access.manage', 'audit.read', 'overview.read', 'sessions.manage', 'settings.update']
        .map((uid) => [`plugin::mcp-server.${uid}`, 'settings', 'MCP Server'])
        .sort(),
    );
  });
});

describe('overview', () => {
  it('shows the endpoint, the credentials, the sessions and the last 24 hours', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    const client = await connectClient(app, token);
    expectOk(await client.callTool('count_documents', { contentType: 'article' }));
    await client.close();
    await flushAudit();

    const { json, status } = await superAdmin.get('/overview');
    expect(status).toBe(200);
    const overview = json.data;
    expect(overview.enabled).toBe(true);
    expect(overview.endpoint.url).toBe(app.mcpUrl);
    expect(overview.internalSecret).toEqual({
      required: true,
      requiredForAdminTokens: true,
      header: 'X-MCP-Internal-Secret',
    });
    expect(overview.credentials.jwt.keySource).toBe('jwksUri');
    expect(overview.credentials.adminTokens.enabled).toBe(true);
    expect(overview.keys.source).toBe('jwksUri');
    expect(overview.keys.reachable).toBe(true);
    expect(Date.parse(overview.keys.lastRefreshAt)).toBeGreaterThan(Date.now() - 10 * 60_000);
    expect(overview.redis).toEqual({ configured: false, status: null });
    expect(overview.last24h.calls).toBeGreaterThanOrEqual(1);
    expect(overview.last24h.p50Ms).toEqual(expect.any(Number));
    expect(overview.last24h.hourly).toHaveLength(24);
    expect(overview.last24h.hourly.at(-1).calls).toBeGreaterThanOrEqual(1);
    expect(overview.protocolVersions).toContain('2026-07-28');
  });
});

describe('the on/off switch', () => {
  it('off answers every MCP request 503 with the reason, at the next request; the audit says who', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    const session = await connectLegacyClient(app, token);
    const stream = await openListenStream(token);
    const switched = await superAdmin.put('/enabled', { enabled: false });
    expect(switched.status).toBe(200);
    expect(switched.json.data.enabled).toBe(false);
    expect(switched.json.data.enabledChange.by).toBe('admin@example.com');
    try {
      const response = await openingRequest(app, credentials(app, token));
      expect(response.status).toBe(503);
      expect(response.json.error.data).toEqual({
        type: 'disabled',
        reason: 'the MCP server is switched off by an administrator (Settings → MCP Server)',
      });
      const row = await latestAuditRow({ action: 'switch-off' });
      expect(row).toMatchObject({
        adminUserEmail: 'admin@example.com',
        credential: 'admin-panel',
        decision: 'allowed',
      });
      expect(row.diff.changes).toEqual([{ path: ['enabled'], before: true, after: false }]);
      // Open sessions ended with the switch.
      expect(app.strapi.plugin('mcp-server').service('sessions').get(session.sessionId)).toBeUndefined();
      // So was the listen stream.
      await stream.ended;
    } finally {
      stream.close();
      await session.close().catch(() => undefined);
      expect((await superAdmin.put('/enabled', { enabled: true })).status).toBe(200);
    }
    expect((await openingRequest(app, credentials(app, token))).status).toBe(200);
  });

  it('refuses a value that is not a boolean', async () => {
    const response = await superAdmin.put('/enabled', { enabled: 'no' });
    expect(response.status).toBe(400);
    expect(response.json.error.details.errors).toEqual([
      expect.objectContaining({ path: ['enabled'], message: 'must be true or false' }),
    ]);
  });
});

describe('the policy', () => {
  const currentPolicy = async () => (await superAdmin.get('/settings')).json.data.policy;

  it('shows the policy in force, the config file baseline, its hard limits and the real schemas', async () => {
    const { data } = (await superAdmin.get('/settings')).json;
    expect(data.overridden).toBe(false);
    expect(Object.keys(data.policy.contentTypes)).toContain(ARTICLE);
    expect(data.baseline).toEqual(data.policy);
    expect(data.hardLimits.limits.maxPageSize).toBe(100);
    const article = data.schemas.find((schema: { uid: string }) => schema.uid === ARTICLE);
    expect(article.attributes.map((a: { name: string }) => a.name)).toContain('title');
    expect(data.strapiRoles.map((role: { code: string }) => role.code)).toContain('strapi-super-admin');
  });

  it('refuses an invalid policy field by field, and keeps the one in force', async () => {
    const policy = await currentPolicy();
    const broken = {
      ...policy,
      contentTypes: {
        ...policy.contentTypes,
        [ARTICLE]: { ...policy.contentTypes[ARTICLE], fields: { nosuchfield: { read: ['Admin'] } } },
      },
      limits: { ...policy.limits, maxPageSize: 500 },
      onForbiddenField: 'ignore',
    };
    const response = await superAdmin.put('/settings', { policy: broken });
    expect(response.status).toBe(400);
    expect(response.json.error.name).toBe('ValidationError');
    const paths = response.json.error.details.errors.map((error: { path: string[] }) => error.path.join('/'));
    // The schema's problems come first, all at once (the real-schema check runs on a policy that parses).
    expect(paths).toContain('onForbiddenField');
    const fixedSchema = { ...broken, onForbiddenField: 'reject' };
    const second = await superAdmin.put('/settings', { policy: fixedSchema });
    expect(second.status).toBe(400);
    expect(second.json.error.details.errors).toEqual([
      expect.objectContaining({
        path: ['limits', 'maxPageSize'],
        message: "cannot be raised above 100, the config file's value (a hard limit)",
      }),
    ]);
    const third = await superAdmin.put('/settings', { policy: { ...fixedSchema, limits: policy.limits } });
    expect(third.status).toBe(400);
    expect(third.json.error.details.errors).toEqual([
      expect.objectContaining({
        path: ['contentTypes', ARTICLE, 'fields', 'nosuchfield'],
        message: 'no such attribute',
      }),
    ]);
    expect(await currentPolicy()).toEqual(policy);
  });

  it('refuses content types named after object prototype keys, as any unknown type', async () => {
    const policy = await currentPolicy();
    const token = await adminLogin(app, 'admin@example.com');
    const put = (contentTypes: string) =>
      fetch(`${app.baseUrl}/mcp-server/settings`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: `{"policy":${JSON.stringify({ ...policy, contentTypes: {} }).replace('"contentTypes":{}', `"contentTypes":${contentTypes}`)}}`,
      });
    const constructorKey = await put('{"constructor":{"fields":{}}}');
    const json = (await constructorKey.json()) as { error: { details: { errors: Array<{ path: string[] }> } } };
    expect(constructorKey.status).toBe(400);
    expect(json.error.details.errors.map((error) => error.path)).toEqual([['contentTypes', 'constructor']]);
    // Strapi's body parser already refuses a __proto__ key.
    expect((await put('{"__proto__":{"fields":{}}}')).status).toBe(400);
    expect(await currentPolicy()).toEqual(policy);
  });

  it('refuses null or a list where the page edits a map, and role names only the object prototype knows', async () => {
    const policy = await currentPolicy();
    const response = await superAdmin.put('/settings', {
      policy: { ...policy, contentTypes: null, roles: [], limits: null },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.details.errors.map((error: { path: string[] }) => error.path.join('/')).sort()).toEqual([
      'contentTypes',
      'limits',
      'roles',
    ]);
    const prototypeRole = await superAdmin.put('/settings', { policy: { ...policy, crossTenantRoles: ['toString'] } });
    expect(prototypeRole.status).toBe(400);
    expect(prototypeRole.json.error.details.errors).toEqual([
      expect.objectContaining({
        path: ['crossTenantRoles'],
        message: expect.stringMatching(/^unknown role "toString"/),
      }),
    ]);
    const perType = await superAdmin.put('/settings', {
      policy: { ...policy, contentTypes: { ...policy.contentTypes, [ARTICLE]: null } },
    });
    expect(perType.json.error.details.errors).toEqual([
      expect.objectContaining({ path: ['contentTypes', ARTICLE], message: 'must be an object' }),
    ]);
    expect(await currentPolicy()).toEqual(policy);
  });

  it('serves a role named like an object prototype key as any other role', async () => {
    const policy = await currentPolicy();
    try {
      const saved = await superAdmin.put('/settings', {
        policy: { ...policy, roles: { ...policy.roles, constructor: ['read'] } },
      });
      expect(saved.status).toBe(200);
      const client = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'constructor', 'org-1'));
      try {
        expect(expectOk(await client.callTool('count_documents', { contentType: 'article' })).count).toBeGreaterThan(0);
      } finally {
        await client.close();
      }
    } finally {
      await superAdmin.post('/settings/reset');
    }
  });

  it('refuses keys the admin panel may not change (identity, secrets)', async () => {
    const response = await superAdmin.put('/settings', { policy: { jwt: { issuer: 'https://evil.test' } } });
    expect(response.status).toBe(400);
    expect(response.json.error.details.errors).toEqual([
      expect.objectContaining({ path: ['jwt'], message: 'is not a policy setting of the admin panel' }),
    ]);
  });

  it('previews a change as a diff, applies it at the next MCP call, audits it, and resets to the config file', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    const client = await connectClient(app, token);
    try {
      const found = expectOk(await client.callTool('find_documents', { contentType: 'article', pageSize: 1 }));
      expect(found.data[0]).toHaveProperty('title');

      const policy = await currentPolicy();
      const changed = {
        ...policy,
        contentTypes: {
          ...policy.contentTypes,
          [ARTICLE]: {
            ...policy.contentTypes[ARTICLE],
            fields: { ...policy.contentTypes[ARTICLE].fields, title: { read: ['Admin'], write: ['Admin'] } },
          },
        },
      };
      const preview = await superAdmin.post('/settings/preview', { policy: changed });
      expect(preview.status).toBe(200);
      expect(preview.json.data.changes).toEqual([
        {
          path: ['contentTypes', ARTICLE, 'fields', 'title'],
          before: undefined,
          after: { read: ['Admin'], write: ['Admin'] },
        },
      ]);
      // A preview changes nothing.
      expectOk(await client.callTool('find_documents', { contentType: 'article', pageSize: 1 }));

      const saved = await superAdmin.put('/settings', { policy: changed });
      expect(saved.status).toBe(200);
      expect(saved.json.data.overridden).toBe(true);
      expect(saved.json.data.updatedBy).toBe('admin@example.com');

      const refused = await client.callTool('find_documents', {
        contentType: 'article',
        pageSize: 1,
        fields: ['title'],
      });
      expectRefused(refused, /title/);

      const row = await latestAuditRow({ action: 'update-settings' });
      expect(row).toMatchObject({ adminUserEmail: 'admin@example.com', credential: 'admin-panel' });
      expect(row.diff.changes[0].path).toEqual(['contentTypes', ARTICLE, 'fields', 'title']);

      const reset = await superAdmin.post('/settings/reset');
      expect(reset.status).toBe(200);
      expect(reset.json.data.overridden).toBe(false);
      expect(reset.json.data.policy).toEqual(reset.json.data.baseline);
      expect(await latestAuditRow({ action: 'reset-settings' })).toMatchObject({ adminUserEmail: 'admin@example.com' });
      expectOk(await client.callTool('find_documents', { contentType: 'article', pageSize: 1, fields: ['title'] }));
    } finally {
      await client.close();
      await superAdmin.post('/settings/reset');
    }
  });

  it('a saved change survives a restart of the settings (read back from the plugin store)', async () => {
    const policy = await currentPolicy();
    await superAdmin.put('/settings', { policy: { ...policy, readOnly: true } });
    const settings = app.strapi.plugin('mcp-server').service('settings');
    try {
      settings.update({});
      await settings.loadStoredChanges();
      expect(settings.get().readOnly).toBe(true);
    } finally {
      await superAdmin.post('/settings/reset');
    }
    expect(settings.get().readOnly).toBe(false);
  });
  it('at boot, drops a saved policy that no longer applies but keeps the saved switches', async () => {
    const settings = app.strapi.plugin('mcp-server').service('settings');
    const store = app.strapi.store({ type: 'plugin', name: 'mcp-server' });
    const saved = await store.get({ key: 'admin-changes' });
    const readerId = await userId(app, 'reader@example.com');
    try {
      await store.set({
        key: 'admin-changes',
        value: {
          changes: { contentTypes: { 'api::gone.gone': {} }, access: { disabledUsers: [readerId] } },
          updatedAt: new Date().toISOString(),
          updatedBy: { id: 1, email: 'admin@example.com' },
        },
      });
      await settings.loadStoredChanges();
      expect(settings.get().access.disabledUsers).toEqual([readerId]);
      expect(Object.keys(settings.get().contentTypes)).toContain(ARTICLE);
    } finally {
      await store.set({ key: 'admin-changes', value: saved });
      await settings.loadStoredChanges();
    }
    expect(settings.get().access.disabledUsers).toEqual([]);
  });

  it('at boot, drops a saved switch-on the config file now forbids, keeping the users switched off', async () => {
    const settings = app.strapi.plugin('mcp-server').service('settings');
    const store = app.strapi.store({ type: 'plugin', name: 'mcp-server' });
    const saved = await store.get({ key: 'admin-changes' });
    const readerId = await userId(app, 'reader@example.com');
    try {
      // The config file switches MCP off (no saved change in force while it is changed).
      await store.set({ key: 'admin-changes', value: { changes: {}, updatedAt: '', updatedBy: { id: 1, email: '' } } });
      await settings.loadStoredChanges();
      settings.update({ enabled: false });
      await store.set({
        key: 'admin-changes',
        value: {
          changes: {
            enabled: true,
            access: { disabledUsers: [readerId], users: { [readerId]: { adminTokenRole: 'Gone' } } },
          },
          updatedAt: new Date().toISOString(),
          updatedBy: { id: 1, email: 'admin@example.com' },
        },
      });
      await settings.loadStoredChanges();
      expect(settings.get().enabled).toBe(false);
      expect(settings.get().access.disabledUsers).toEqual([readerId]);
      expect(settings.get().access.users).toEqual({});
    } finally {
      await store.set({ key: 'admin-changes', value: { changes: {}, updatedAt: '', updatedBy: { id: 1, email: '' } } });
      await settings.loadStoredChanges();
      settings.update({ enabled: true });
      await store.set({ key: 'admin-changes', value: saved });
      await settings.loadStoredChanges();
    }
    expect(settings.get().enabled).toBe(true);
  });
});

describe('access', () => {
  it('lists every admin user with their MCP access, admin-token role and tenant', async () => {
    const { data } = (await superAdmin.get('/access')).json;
    expect(data.policyRoles).toEqual(['Admin', 'Publisher', 'Author', 'Reader']);
    const admin = data.users.find((user: { email: string }) => user.email === 'admin@example.com');
    expect(admin).toMatchObject({ mcpEnabled: true, adminTokenRole: null, effectiveAdminTokenRole: 'Admin' });
    expect(admin.strapiRoles).toEqual(['Super Admin']);
  });

  it('switching a user off refuses their next request, with a JWT or an admin token, and ends their sessions', async () => {
    const readerId = await userId(app, 'reader@example.com');
    const jwt = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    const session = await connectLegacyClient(app, jwt);
    const adminToken = await createAdminToken(
      app,
      'reader@example.com',
      await ownerPermissions(app, 'reader@example.com'),
    );
    const stream = await openListenStream(jwt);
    try {
      expectOk(await session.callTool('whoami'));
      const off = await superAdmin.put(`/access/${readerId}`, { mcpEnabled: false });
      expect(off.status).toBe(200);
      expect(off.json.data.mcpEnabled).toBe(false);

      for (const token of [jwt, adminToken.accessKey]) {
        const response = await openingRequest(app, credentials(app, token));
        expect(response.status).toBe(403);
        expect(response.json.error.data).toEqual({
          type: 'access',
          reason: 'MCP access of this admin user is switched off (Settings → MCP Server → Access)',
        });
      }
      // The open session was ended.
      expect(
        (await session.client.callTool({ name: 'whoami', arguments: {} }).catch((error) => error)) instanceof Error,
      ).toBe(true);
      // So was the listen stream.
      await stream.ended;
      expect(await latestAuditRow({ action: 'update-access' })).toMatchObject({ adminUserEmail: 'admin@example.com' });
      await flushAudit();
      expect(await latestAuditRow({ decision: 'denied', adminUserEmail: 'reader@example.com' })).toMatchObject({
        reason: expect.stringMatching(/^access: MCP access of this admin user is switched off/),
      });
    } finally {
      await superAdmin.put(`/access/${readerId}`, { mcpEnabled: true });
      stream.close();
      await session.close().catch(() => undefined);
      await revokeAdminToken(app, adminToken.id);
    }
    expect((await openingRequest(app, credentials(app, jwt))).status).toBe(200);
  });

  it("sets the policy role and tenant of a user's admin tokens, at the next request, ending their sessions", async () => {
    const authorId = await userId(app, 'author1@example.com');
    const token = await createAdminToken(
      app,
      'author1@example.com',
      await ownerPermissions(app, 'author1@example.com'),
    );
    const whoami = async () => {
      const client = await connectClient(app, token.accessKey);
      try {
        return expectOk(await client.callTool('whoami'));
      } finally {
        await client.close();
      }
    };
    const session = await connectLegacyClient(app, token.accessKey);
    try {
      expect(expectOk(await session.callTool('whoami'))).toMatchObject({ role: 'Author', tenant: 'org-1' });
      const changed = await superAdmin.put(`/access/${authorId}`, { adminTokenRole: 'Reader', tenant: 'org-2' });
      expect(changed.status).toBe(200);
      expect(changed.json.data).toMatchObject({
        adminTokenRole: 'Reader',
        effectiveAdminTokenRole: 'Reader',
        tenant: 'org-2',
      });
      expect(await whoami()).toMatchObject({ role: 'Reader', tenant: 'org-2' });
      // The open session acted as the former role and tenant: it was ended.
      expect(service('sessions').get(session.sessionId)).toBeUndefined();

      // The user cannot escape it by changing their own email (any admin may): it is kept by user id.
      const author = await adminLogin(app, 'author1@example.com');
      const renamed = await fetch(`${app.baseUrl}/admin/users/me`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${author}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'author1.renamed@example.com' }),
      });
      expect(renamed.status).toBe(200);
      try {
        expect(await whoami()).toMatchObject({ role: 'Reader', tenant: 'org-2' });
      } finally {
        await app.strapi.db
          .query('admin::user')
          .update({ where: { id: authorId }, data: { email: 'author1@example.com' } });
      }

      const unknownRole = await superAdmin.put(`/access/${authorId}`, { adminTokenRole: 'Nobody' });
      expect(unknownRole.status).toBe(400);
      expect(unknownRole.json.error.details.errors[0]).toMatchObject({ path: ['adminTokenRole'] });
      expect((await superAdmin.put('/access/999999', { mcpEnabled: true })).status).toBe(404);
      expect((await superAdmin.put(`/access/${authorId}.0`, { mcpEnabled: true })).status).toBe(404);
      expect((await superAdmin.put(`/access/${authorId}`, { adminTokenRole: 'toString' })).status).toBe(400);
      expect((await superAdmin.put(`/access/${authorId}`, { isAdmin: true })).status).toBe(400);
    } finally {
      // Back to the playground's config: no role of its own, tenant org-1 (adminTokens.tenants).
      const back = await superAdmin.put(`/access/${authorId}`, { adminTokenRole: null, tenant: null });
      expect(back.json.data).toMatchObject({
        adminTokenRole: null,
        effectiveAdminTokenRole: 'Author',
        tenant: 'org-1',
      });
      await session.close().catch(() => undefined);
      await revokeAdminToken(app, token.id);
    }
  });
});

describe('sessions', () => {
  it('lists open sessions with their client, and ends one or all of a user', async () => {
    const jwt = await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1');
    const first = await connectLegacyClient(app, jwt);
    const second = await connectLegacyClient(app, jwt);
    try {
      expectOk(await first.callTool('whoami'));
      const { data } = (await superAdmin.get('/sessions')).json;
      const mine = data.sessions.filter((session: { email: string }) => session.email === 'publisher@example.com');
      expect(mine).toHaveLength(2);
      expect(mine.find((session: { id: string }) => session.id === first.sessionId)).toMatchObject({
        clientName: 'mcp-server-tests',
        clientVersion: '1.0.0',
        credential: 'jwt',
        calls: 1,
      });

      expect((await superAdmin.del(`/sessions/${first.sessionId}`)).json.data).toEqual({ ended: 1 });
      expect((await superAdmin.del(`/sessions/${first.sessionId}`)).status).toBe(404);
      const publisherId = await userId(app, 'publisher@example.com');
      expect((await superAdmin.del(`/users/${publisherId}/sessions`)).json.data).toEqual({ ended: 1 });
      const ended = await second.client.callTool({ name: 'whoami', arguments: {} }).catch((error: Error) => error);
      expect(ended).toBeInstanceOf(Error);
    } finally {
      await first.close().catch(() => undefined);
      await second.close().catch(() => undefined);
    }
  });
});

describe('audit log, export and usage', () => {
  beforeAll(async () => {
    const publisherId = await userId(app, 'publisher@example.com');
    const start = Date.now() - 60 * 60 * 1000;
    await app.strapi.db.query(AUDIT_LOG).createMany({
      data: Array.from({ length: 30 }, (_, index) => ({
        occurredAt: new Date(start + index * 1000),
        adminUserId: publisherId,
        adminUserEmail: 'publisher@example.com',
        credential: index % 3 === 0 ? 'admin-token:77' : 'jwt',
        tool: index % 2 === 0 ? 'find_documents' : 'get_document',
        contentType: ARTICLE,
        decision: index % 5 === 0 ? 'denied' : 'allowed',
        durationMs: index,
        reason: index === 1 ? '=HYPERLINK("http://evil.test")' : null,
        count: 1,
      })),
    });
  });

  it('filters, sorts and pages', async () => {
    const page = await publisher.get(
      '/audit?user=PUBLISHER@example.com&tool=find_documents&pageSize=5&page=2&sort=durationMs&order=asc',
    );
    expect(page.status).toBe(200);
    expect(page.json.data.pagination).toEqual({ page: 2, pageSize: 5, total: 15, pageCount: 3 });
    expect(page.json.data.results.map((row: { durationMs: number }) => row.durationMs)).toEqual([10, 12, 14, 16, 18]);
    const denied = await publisher.get('/audit?user=publisher@example.com&decision=denied');
    expect(denied.json.data.pagination.total).toBe(6);
    const detail = await publisher.get(`/audit/${denied.json.data.results[0].id}`);
    expect(detail.json.data).toMatchObject({ decision: 'denied', contentType: ARTICLE });
    const bad = await publisher.get('/audit?sort=password&pageSize=1000&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.errors.map((error: { path: string[] }) => error.path[0]).sort()).toEqual([
      'from',
      'pageSize',
      'sort',
    ]);
    expect((await publisher.get('/audit/999999')).status).toBe(404);
  });

  it('exports the filtered rows as CSV, formulas neutralised', async () => {
    const response = await publisher.get(
      '/audit/export?user=publisher@example.com&tool=get_document&sort=durationMs&order=asc',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="mcp-audit-.*\.csv"$/);
    expect(response.headers.get('x-mcp-export-truncated')).toBe('false');
    const lines = response.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'occurredAt,adminUserEmail,role,tenant,credential,tool,action,contentType,documentId,decision,durationMs,count,reason,sessionId,protocolVersion,ip',
    );
    expect(lines).toHaveLength(16);
    expect(lines[1]).toContain(`'=HYPERLINK(""http://evil.test"")`);
  });

  it('bounds the export at 10 000 rows and says so', async () => {
    const rows = Array.from({ length: 10_050 }, (_, index) => ({
      occurredAt: new Date(Date.now() - 2 * 24 * 60 * 60 * 1000 + index),
      adminUserEmail: 'bulk@example.com',
      tool: 'count_documents',
      decision: 'allowed' as const,
      count: 1,
    }));
    for (let index = 0; index < rows.length; index += 1000) {
      await app.strapi.db.query(AUDIT_LOG).createMany({ data: rows.slice(index, index + 1000) });
    }
    const response = await superAdmin.get('/audit/export?user=bulk@example.com');
    expect(response.headers.get('x-mcp-export-truncated')).toBe('true');
    expect(response.headers.get('x-mcp-export-limit')).toBe('10000');
    expect(response.text.trim().split('\r\n')).toHaveLength(10_001);
  });

  it('counts usage per user and per credential', async () => {
    // A refusal recorded before the admin user was resolved has the claimed email only: it counts for that user.
    await app.strapi.db.query(AUDIT_LOG).create({
      data: {
        occurredAt: new Date(),
        adminUserEmail: 'Publisher@example.com',
        decision: 'denied',
        action: 'authenticate',
        count: 3,
      },
    });
    const { data } = (await publisher.get('/usage?window=24h')).json;
    const publisherRows = data.users.filter(
      (row: { email: string }) => row.email.toLowerCase() === 'publisher@example.com',
    );
    expect(publisherRows).toHaveLength(1);
    const user = publisherRows[0];
    expect(user.denied).toBeGreaterThanOrEqual(6 + 3);
    expect(user).toMatchObject({ calls: expect.any(Number), denied: expect.any(Number) });
    expect(user.calls).toBeGreaterThanOrEqual(30);
    expect(user.topTools.map((row: { tool: string }) => row.tool)).toEqual(
      expect.arrayContaining(['find_documents', 'get_document']),
    );
    const adminToken = data.credentials.find((row: { credential: string }) => row.credential === 'admin-token:77');
    expect(adminToken).toMatchObject({ calls: 10, denied: 2, allowed: 8 });
    // Two days back: outside 24 h, inside 7 days.
    expect(data.users.find((row: { email: string }) => row.email === 'bulk@example.com')).toBeUndefined();
    const week = (await publisher.get('/usage?window=7d')).json.data;
    expect(week.users.find((row: { email: string }) => row.email === 'bulk@example.com').calls).toBe(10_050);
  });
});

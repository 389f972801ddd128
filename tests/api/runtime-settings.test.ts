/**
 * One owner of the configuration: a change made at runtime through the settings service (as the admin panel will)
 * reaches the policy, the token verifier, the origin policy and the tool list at the next request, without a restart;
 * an invalid change is refused whole, naming the key, and leaves the configuration as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, type ConnectedClient, openingRequest } from '../helpers/mcp-client';
import { expectOk, expectRefused } from '../helpers/results';
import { TEST_ISSUER } from '../helpers/identity-provider';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let reader: ConnectedClient;

const settings = () => app.strapi.plugin('mcp-server').service('settings');
const DEFAULT_ROLES = {
  Admin: ['*'],
  Publisher: ['create', 'read', 'update', 'publish'],
  Author: ['create', 'read', 'update-own'],
  Reader: ['read'],
};

beforeAll(async () => {
  app = await bootTestApp();
  reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
});
afterAll(async () => {
  await reader?.close();
  await app?.close();
});

describe('runtime settings', () => {
  it('applies a role change to the next call of an open session', async () => {
    expectOk(await reader.callTool('count_documents', { contentType: 'article' }));
    settings().update({ roles: { ...DEFAULT_ROLES, Reader: [] } });
    try {
      expectRefused(
        await reader.callTool('count_documents', { contentType: 'article' }),
        /^content type article is not available to role Reader/,
      );
    } finally {
      settings().update({ roles: DEFAULT_ROLES });
    }
    expectOk(await reader.callTool('count_documents', { contentType: 'article' }));
  });

  it('applies a new issuer to the next request: tokens of the old one are refused', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    settings().update({ jwt: { issuer: 'https://other-idp.test' } });
    try {
      const response = await openingRequest(app, credentials(app, token));
      expect(response.status).toBe(401);
      expect(response.json.error.data).toEqual({
        type: 'token',
        reason: 'issuer not accepted (expected https://other-idp.test)',
      });
    } finally {
      settings().update({ jwt: { issuer: TEST_ISSUER } });
    }
    const response = await openingRequest(app, credentials(app, token));
    expect(response.status).toBe(200);
  });

  it('applies a new allowed origin to the next request', async () => {
    const headers = { ...credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1')) };
    const fromApp = { ...headers, Origin: 'https://app.example.test' };
    expect((await openingRequest(app, fromApp)).status).toBe(403);
    settings().update({ allowedOrigins: ['https://app.example.test'] });
    try {
      expect((await openingRequest(app, fromApp)).status).toBe(200);
    } finally {
      settings().update({ allowedOrigins: [] });
    }
    expect((await openingRequest(app, fromApp)).status).toBe(403);
  });

  it('offers no mutation tool to sessions opened after read-only mode is switched on', async () => {
    const token = await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1');
    settings().update({ readOnly: true });
    try {
      const admin = await connectClient(app, token);
      const { tools } = await admin.client.listTools();
      expect(tools.map((tool) => tool.name)).not.toContain('create_document');
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      await admin.close();
    } finally {
      settings().update({ readOnly: false });
    }
  });

  it('refuses an invalid change whole, naming the key, and keeps the configuration in force', async () => {
    const version = settings().version();
    const invalid = () => settings().update({ limits: { maxPageSize: -1 }, sessions: { maxPerUser: 'many' } });
    expect(invalid).toThrow(/^invalid mcp-server configuration: /);
    expect(invalid).toThrow(/limits\.maxPageSize: /);
    expect(invalid).toThrow(/sessions\.maxPerUser: /);
    expect(settings().version()).toBe(version);
    expect(settings().get().limits.maxPageSize).toBe(100);
    expectOk(await reader.callTool('count_documents', { contentType: 'article' }));
  });

  it('refuses a change that names a field the content type does not have', async () => {
    const version = settings().version();
    expect(() =>
      settings().update({ contentTypes: { 'api::article.article': { fields: { nosuchfield: { read: ['Admin'] } } } } }),
    ).toThrow(/contentTypes\.api::article\.article\.fields\.nosuchfield: no such attribute/);
    expect(settings().version()).toBe(version);
  });

  it('refuses a change with an unknown key, naming the key it most likely meant, and keeps the configuration', async () => {
    const version = settings().version();
    const invalid = () => settings().update({ readonly: true, limits: { maxPagesize: 5 } });
    expect(invalid).toThrow(/limits\.maxPagesize: unknown key \(did you mean limits\.maxPageSize\?\);\n/);
    expect(invalid).toThrow(/readonly: unknown key \(did you mean readOnly\?\)$/);
    expect(settings().version()).toBe(version);
    expect(settings().get().readOnly).toBe(false);
  });
});

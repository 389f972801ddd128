/**
 * The schema tools exist only in a `strapi develop` process outside production: not registered, listed or callable
 * under `strapi start` (autoReload off), nor in production even with autoReload on and mutations enabled, whatever
 * the plugin config says. Their behaviour under `strapi develop` is in schema-tools.test.ts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { connectClient } from '../helpers/mcp-client';
import { expectRefused } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const SCHEMA_TOOLS = ['list_components', 'create_content_type', 'update_content_type', 'delete_content_type'];

describe.each([
  ['strapi start (autoReload off)', { develop: false, env: {} }],
  [
    'production, autoReload on, mutations enabled',
    { develop: true, env: { NODE_ENV: 'production', MCP_MUTATIONS: 'enabled' } },
  ],
])('schema tools under %s', (_label, options) => {
  let app: TestApp;
  afterAll(async () => {
    await app?.close();
  });

  it('are not registered, listed or callable, even for Admin with schemaTools enabled', async () => {
    app = await bootTestApp({ ...options, pluginConfig: { schemaTools: { enabled: true, roles: ['Admin'] } } });
    const registered = (app.strapi.plugin('mcp-server').service('tools') as any)
      .listTools()
      .map((tool: any) => tool.name);
    expect(registered.filter((name: string) => SCHEMA_TOOLS.includes(name))).toEqual([]);
    const admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    try {
      const listed = (await admin.client.listTools()).tools.map((tool) => tool.name);
      expect(listed).toContain('create_document');
      expect(listed.filter((name) => SCHEMA_TOOLS.includes(name))).toEqual([]);
      expectRefused(
        await admin.callTool('update_content_type', { uid: 'article', add: { subtitle: { type: 'string' } } }),
        /Tool update_content_type not found/,
      );
    } finally {
      await admin.close();
    }
  });
});

/** A bad configuration stops Strapi at boot, with a message naming the key. */
import { describe, expect, it } from 'vitest';
import { bootTestApp } from '../helpers/test-app';

describe('boot-time configuration checks', () => {
  it('refuses to start without an internal secret', async () => {
    await expect(bootTestApp({ env: { MCP_SECRET_KEY: undefined } })).rejects.toThrow(
      /mcp-server.*internalSecret: is required \(env MCP_SECRET_KEY\)/,
    );
  });

  it('refuses to expose an internal content type, whatever the config says', async () => {
    await expect(
      bootTestApp({ pluginConfig: { contentTypes: ['api::article.article', 'admin::user'] } }),
    ).rejects.toThrow(/contentTypes\.admin::user: internal types are never exposed/);
  });

  it('refuses a content type that does not exist', async () => {
    await expect(bootTestApp({ pluginConfig: { contentTypes: ['api::nope.nope'] } })).rejects.toThrow(
      /contentTypes\.api::nope\.nope: no such content type/,
    );
  });

  it.each([
    [
      { fields: { reviewNotez: { read: ['Admin'] } } },
      /contentTypes\.api::article\.article\.fields\.reviewNotez: no such attribute/,
    ],
    [
      { fields: { reviewNotes: { read: ['Editr'] } } },
      /fields\.reviewNotes: unknown role "Editr"; roles: Admin, Publisher, Author, Reader/,
    ],
    [
      { fields: { internalNotes: { read: ['Admin'] } } },
      /fields\.internalNotes: private and password attributes are never exposed/,
    ],
    [{ tenantField: 'tenant' }, /contentTypes\.api::article\.article\.tenantField: no attribute "tenant"/],
    [
      { conditions: [{ name: 'x', actions: ['create'], on: 'data', field: 'kind' }] },
      /conditions\.0: needs exactly one of equals, notEquals, in, notIn/,
    ],
  ])('refuses a policy entry that names something that does not exist (%#)', async (articlePolicy, message) => {
    await expect(
      bootTestApp({ pluginConfig: { contentTypes: { 'api::article.article': articlePolicy } } }),
    ).rejects.toThrow(message);
  });
});

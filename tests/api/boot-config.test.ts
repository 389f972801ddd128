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
});

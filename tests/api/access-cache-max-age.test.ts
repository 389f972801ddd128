/**
 * What the access cache is not told of: a change written to the database behind Strapi (raw SQL, as another Strapi
 * instance on the same database would) fires no lifecycle; it applies once the cached entries reach
 * `accessCache.maxAgeMs`. Its own Strapi, with a short maximum age (one Strapi per test file).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, expectOk, textOf } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const READ_ARTICLE = 'plugin::content-manager.explorer.read';
const MAX_AGE_MS = 1500;
let quick: TestApp;

const listArticles = (session: ConnectedClient) =>
  session.callTool('find_documents', { contentType: 'article', pageSize: 1 });

beforeAll(async () => {
  quick = await bootTestApp({ pluginConfig: { accessCache: { maxAgeMs: MAX_AGE_MS } } });
});
afterAll(async () => {
  await quick?.close();
});

describe('what this instance is not told of', () => {
  const MAX_AGE_MS = 1500;

  it('a permission changed behind Strapi (raw SQL, as another instance would) applies once the entries reach accessCache.maxAgeMs', async () => {
    const session = await connectClient(quick, await quick.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const permission = await quick.strapi.db
      .query('admin::permission')
      .findOne({ where: { action: READ_ARTICLE, subject: ARTICLE, role: { code: 'mcp-reader' } } });
    expect(permission).toBeTruthy();
    const rows = () => quick.strapi.db.connection('admin_permissions').where({ id: permission.id });
    try {
      // The ability is built and cached; the change below fires no lifecycle, so nothing forgets it.
      expectOk(await listArticles(session));
      await rows().update({ action: `${READ_ARTICLE}-moved-away` });
      await new Promise((resolve) => setTimeout(resolve, MAX_AGE_MS + 300));
      const refused = await listArticles(session);
      expect(refused.isError, textOf(refused)).toBe(true);
      expect(textOf(refused)).toMatch(/does not grant read/);
    } finally {
      await rows().update({ action: READ_ARTICLE });
      quick.strapi.plugin('mcp-server').service('access-cache').forgetAll();
    }
    expectOk(await listArticles(session));
    await session.close();
  });
});

/**
 * Audit rows record the policy role a call ran under, not the role claim: with roleSource 'strapi' a JWT claiming
 * Admin for a Reader is recorded as Reader, and an admin token's calls carry the role its owner's Strapi roles map to.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAdminToken, ownerPermissions } from '../helpers/admin-tokens';
import { connectClient } from '../helpers/mcp-client';
import { auditRows, expectOk } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { roleSource: 'strapi' } });
});
afterAll(async () => {
  await app?.close();
});

it('records the role that was applied, whatever the credential or the role claim says', async () => {
  const token = await createAdminToken(app, 'reader@example.com', await ownerPermissions(app, 'reader@example.com'));
  const viaToken = await connectClient(app, token.accessKey);
  try {
    expect(expectOk(await viaToken.callTool('whoami')).role).toBe('Reader');
    expectOk(await viaToken.callTool('find_documents', { contentType: 'article', pageSize: 1 }));
  } finally {
    await viaToken.close();
  }
  const viaJwt = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Admin', 'org-1'));
  try {
    expect(expectOk(await viaJwt.callTool('whoami')).role).toBe('Reader');
    expectOk(await viaJwt.callTool('find_documents', { contentType: 'article', pageSize: 1 }));
  } finally {
    await viaJwt.close();
  }
  const rows = (await auditRows(app, { tool: 'find_documents' })).map((row) => [row.credential, row.role]);
  expect(rows).toEqual([
    [`admin-token:${token.id}`, 'Reader'],
    ['jwt', 'Reader'],
  ]);
});

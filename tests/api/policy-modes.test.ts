import { afterAll, beforeAll, it } from 'vitest';
import { connectClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { roleSource: 'strapi' } });
});
afterAll(async () => {
  await app?.close();
});
const show = (label: string, value: any) => console.log(`### ${label}\n${JSON.stringify(value?.structuredContent ?? value, null, 1).slice(0, 1500)}`);
it('explore', async () => {
  const perm = await app.strapi.db.query('admin::permission').findOne({ where: { action: 'plugin::content-manager.explorer.create', subject: 'api::article.article', role: { code: 'mcp-author' } }, populate: ['role'] });
  show('perm', perm);
  const au = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Admin', 'org-1'));
  show('whoami', await au.callTool('whoami'));
  show('tools', (await au.client.listTools()).tools.map((t) => t.name));
  await app.strapi.db.query('admin::permission').delete({ where: { id: perm.id } });
  show('create after removal', await au.callTool('create_document', { contentType: 'article', data: { title: 'x' } }));
  const { id: _id, documentId: _d, createdAt: _c, updatedAt: _u, publishedAt: _p, locale: _l, role, ...rest } = perm;
  const re = await app.strapi.db.query('admin::permission').create({ data: { ...rest, role: role.id } });
  show('recreated', re);
  show('create after restore', await au.callTool('create_document', { contentType: 'article', data: { title: 'x' } }));
  const roleSvc = app.strapi.service('admin::role');
  const editor = await roleSvc.findOne({ code: 'strapi-editor' });
  const user = await app.strapi.service('admin::user').create({ email: 'editor@example.com', firstname: 'E', lastname: 'E', password: 'Playground123!', registrationToken: null, isActive: true, roles: [editor.id] });
  show('user', user.id);
  const ed = await connectClient(app, await app.idp.tokenFor('editor@example.com', 'Admin', 'org-1'));
  show('ed whoami', await ed.callTool('whoami'));
  show('ed tools', (await ed.client.listTools()).tools.map((t) => t.name));
  show('ed find', await ed.callTool('find_documents', { contentType: 'article' }));
});

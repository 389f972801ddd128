import { afterAll, beforeAll, describe, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let reader: ConnectedClient;
let publisher: ConnectedClient;
const A = 'api::article.article';
const show = (label: string, r: unknown) => console.log(label, JSON.stringify(r).slice(0, 1500));

beforeAll(async () => {
  app = await bootTestApp();
  reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
  publisher = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'));
});
afterAll(async () => {
  await reader?.close();
  await publisher?.close();
  await app?.close();
});

describe('explore', () => {
  it('explores', async () => {
    const C = 'api::category.category';
    const mk = (title: string, tenantId: string) =>
      app.strapi.documents(A).create({ data: { title, kind: 'news', tenantId }, status: 'published' } as never) as Promise<any>;
    const x1 = await mk('mmm own x', 'org-1');
    const y1 = await mk('mmm own y', 'org-1');
    const x2 = await mk('aaa foreign x', 'org-2');
    const y2 = await mk('zzz foreign y', 'org-2');
    await app.strapi.documents(C).create({ data: { name: 'SortX', articles: [x1.documentId, x2.documentId] } } as never);
    await app.strapi.documents(C).create({ data: { name: 'SortY', articles: [y1.documentId, y2.documentId] } } as never);
    const q = { contentType: 'category', filters: { name: { $in: ['SortX', 'SortY'] } }, fields: ['name'] };
    show('asc', await reader.callTool('find_documents', { ...q, sort: 'articles.title:asc' }));
    show('desc', await reader.callTool('find_documents', { ...q, sort: 'articles.title:desc' }));
    await app.strapi.documents(A).update({ documentId: x2.documentId, data: { title: 'zzz foreign x' } } as never);
    await app.strapi.documents(A).update({ documentId: y2.documentId, data: { title: 'aaa foreign y' } } as never);
    show('asc swapped', await reader.callTool('find_documents', { ...q, sort: 'articles.title:asc' }));
    show('popcat', await reader.callTool('find_documents', { ...q, populate: { articles: { fields: ['title'] } } }));
    show('popfilter', await reader.callTool('find_documents', { contentType: 'article', filters: { documentId: x1.documentId }, fields: ['title'], populate: { category: { fields: ['name'], filters: { articles: { tenantId: 'org-2' } } } } }));
  });
});

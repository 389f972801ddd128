/** Page sizes and the response budget: big answers are cut at whole documents and say so. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, documents, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const BUDGET = 6000;
let app: TestApp;
let admin: ConnectedClient;

beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { limits: { maxResponseBytes: BUDGET } } });
  admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
});
afterAll(async () => {
  await admin?.close();
  await app?.close();
});

type Page = { data: Array<Record<string, unknown>>; meta: Record<string, any> };

describe('response limits', () => {
  it('cuts a list over maxResponseBytes at whole documents, with meta.truncated and meta.returned', async () => {
    const result = await admin.callTool('find_documents', {
      contentType: 'article',
      pageSize: 20,
      populate: ['seo'],
      withCount: true,
    });
    const page = result.structuredContent as Page;
    expect(page.meta.truncated).toBe(true);
    expect(page.meta.returned).toBe(page.data.length);
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.length).toBeLessThan(20);
    expect(Buffer.byteLength(JSON.stringify(page.data))).toBeLessThanOrEqual(BUDGET);
    // Whole documents only: every one kept has all its fields.
    for (const document of page.data)
      expect(Object.keys(document)).toEqual(expect.arrayContaining(['documentId', 'title', 'body', 'seo']));
    // The pagination still tells the truth about what exists.
    expect(page.meta.pagination).toMatchObject({ page: 1, pageSize: 20, total: 20, hasMore: true });
  });

  it('continues a cut page with nextCursor from the last document returned: nothing is skipped', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let calls = 0; calls < 20; calls += 1) {
      const page = (
        await admin.callTool('find_documents', { contentType: 'article', pageSize: 20, ...(cursor ? { cursor } : {}) })
      ).structuredContent as Page;
      seen.push(...page.data.map((document) => document.documentId as string));
      cursor = page.meta.pagination.nextCursor;
      if (!page.meta.pagination.hasMore) break;
    }
    expect(cursor).toBeUndefined();
    const stored: Doc[] = await documents(app, ARTICLE).findMany({
      filters: { tenantId: 'org-1' },
      fields: ['documentId'],
      sort: 'id:asc',
    });
    expect(seen).toEqual(stored.map((document) => document.documentId));
  });

  it('leaves a small answer whole, without truncation flags', async () => {
    const page = (await admin.callTool('find_documents', { contentType: 'article', pageSize: 2, fields: ['title'] }))
      .structuredContent as Page;
    expect(page.data).toHaveLength(2);
    expect(page.meta).not.toHaveProperty('truncated');
  });

  it('defaults to 25 documents a page and refuses more than 100', async () => {
    const page = (await admin.callTool('find_documents', { contentType: 'category', fields: ['name'] }))
      .structuredContent as Page;
    expect(page.meta.pagination.pageSize).toBe(25);
    const refused = await admin.callTool('find_documents', { contentType: 'category', pageSize: 101 });
    expect(refused.isError).toBe(true);
    expect((refused.content[0] as { text: string }).text).toBe('pageSize must be between 1 and 100');
  });
});

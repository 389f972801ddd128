/**
 * Security review findings about isolation, one attack each, replayed over MCP against a real boot. Tests of
 * confirmed weaknesses assert the SECURE behaviour, so they fail until the weakness is fixed; the others pin down
 * defences the other suites do not cover yet. Attacks: `$not` around a filter through a tenant-scoped relation (it
 * inverts the injected scope), audit rows filed under someone else's session or grown without bound, and the
 * documented extension-API example offering a tool to a caller with no policy role. Permission findings are in
 * review-findings-permissions.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, initializeMessage, rawRequest, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, CATEGORY, documents, expectOk, textOf, unique, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

describe('default playground policy', () => {
  let app: TestApp;
  let reader: ConnectedClient;

  beforeAll(async () => {
    app = await bootTestApp();
    reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
  });
  afterAll(async () => {
    await reader?.close();
    await app?.close();
  });

  describe('tenant isolation through negated relation filters', () => {
    it('$not around a filter through category.articles does not tell which shared categories also hold another tenant’s articles', async () => {
      // Two shared categories, each holding one org-1 article; only "Mixed" also holds an org-2 article.
      const create = (title: string, tenantId: string) =>
        documents(app, ARTICLE).create({ data: { title, tenantId }, status: 'published' });
      const ownA = await create(unique('own'), 'org-1');
      const ownB = await create(unique('own'), 'org-1');
      const foreign = await create(unique('foreign'), 'org-2');
      const mixed = unique('Mixed');
      const ownOnly = unique('OwnOnly');
      await documents(app, CATEGORY).create({ data: { name: mixed, articles: [ownA.documentId, foreign.documentId] } });
      await documents(app, CATEGORY).create({ data: { name: ownOnly, articles: [ownB.documentId] } });

      // What the Reader is shown: both categories hold exactly one (own) article.
      const shown = expectOk(
        await reader.callTool('find_documents', {
          contentType: 'category',
          filters: { name: { $in: [mixed, ownOnly] } },
          fields: ['name'],
          sort: 'name:asc',
          populate: { articles: { fields: ['title'] } },
        }),
      );
      expect(shown.data.map((category: Doc) => category.articles.length)).toEqual([1, 1]);

      // "Categories without any article": false for both, as far as the Reader can see.
      const negated = await reader.callTool('find_documents', {
        contentType: 'category',
        filters: { name: { $in: [mixed, ownOnly] }, $not: { articles: { id: { $notNull: true } } } },
        fields: ['name'],
      });
      if (!negated.isError) expect(expectOk(negated).data.map((category: Doc) => category.name)).toEqual([]);

      // The same oracle from the article side: "own articles whose category holds no org-1 article" is none of them.
      const counted = await reader.callTool('count_documents', {
        contentType: 'article',
        filters: {
          documentId: { $in: [ownA.documentId, ownB.documentId] },
          $not: { category: { articles: { tenantId: 'org-1' } } },
        },
      });
      if (!counted.isError) expect(expectOk(counted).count).toBe(0);
    });
  });

  describe('audit trail integrity', () => {
    it("an unauthenticated request cannot file a denied row under another caller's session id", async () => {
      const audit = app.strapi.plugin('mcp-server').service('audit');
      // Sessions are 2025-11-25's: the reader holds one for this test.
      const holder = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'), {
        protocol: '2025-11-25',
      });
      expectOk(await holder.callTool('whoami'));
      // No secret, no token: only a session id taken from somewhere (a log, a proxy, a shared screen).
      const response = await rawRequest(app, {
        headers: { 'mcp-session-id': holder.sessionId },
        body: initializeMessage(),
      });
      expect(response.status).toBe(403);
      await audit.flush();
      const { results } = await audit.find({ filters: { sessionId: holder.sessionId, decision: 'denied' } });
      await holder.close();
      // The reader's own refused tool calls are rightly on record; no authentication refusal may be.
      expect(
        results.map((row: Doc) => row.reason).filter((reason: string) => /^(secret|token|admin-user):/.test(reason)),
      ).toEqual([]);
    });

    it('a filter with a 100 000-value $in list is refused up front, and its audit row stays bounded', async () => {
      const audit = app.strapi.plugin('mcp-server').service('audit');
      const ids = Array.from({ length: 100_000 }, (_, index) => index);
      const result = await reader.callTool('find_documents', {
        contentType: 'article',
        filters: { id: { $in: ids } },
        fields: ['title'],
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).not.toMatch(/internal error/);
      await audit.flush();
      const { results } = await audit.find({
        filters: { sessionId: reader.sessionId, tool: 'find_documents' },
        pageSize: 1,
      });
      expect(JSON.stringify(results[0].appliedFilters ?? null).length).toBeLessThan(64 * 1024);
    });
  });

  describe('extension API', () => {
    it('the documented example tool (isAvailableTo: caller.role !== null) is not offered to a caller with no policy role', async () => {
      const registry = app.strapi.plugin('mcp-server').service('tools');
      // As in docs/architecture.md.
      registry.registerTool({
        name: 'count_articles',
        description: 'Counts the articles the caller can read.',
        annotations: { readOnlyHint: true },
        isAvailableTo: (caller: { role: string | null }) => caller.role !== null,
        handler: async () => ({ content: [{ type: 'text', text: 'counted' }] }),
      });
      const session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Intern', 'org-1'));
      try {
        // A role claim the policy does not know: whoami-only, per docs/policy.md.
        expect(expectOk(await session.callTool('whoami')).role).toBeNull();
        const tools = (await session.client.listTools()).tools.map((tool) => tool.name);
        expect(tools).toEqual(['whoami']);
      } finally {
        await session.close();
        registry.unregisterTool('count_articles');
      }
    });
  });
});

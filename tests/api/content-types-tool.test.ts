/** list_content_types shows the configured types only, never internal types or private fields. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let session: ConnectedClient;

beforeAll(async () => {
  app = await bootTestApp();
  session = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader'));
});
afterAll(async () => {
  await session?.close();
  await app?.close();
});

describe('list_content_types', () => {
  it('lists exactly the configured types with kind, draft & publish and i18n', async () => {
    const result = await session.callTool('list_content_types');
    const types = (result.structuredContent as { contentTypes: Array<Record<string, unknown>> }).contentTypes;
    expect(types.map((type) => type.uid)).toEqual([
      'api::article.article',
      'api::category.category',
      'api::homepage.homepage',
    ]);
    expect(
      types.map(({ uid, kind, draftAndPublish, localized, displayName }) => ({
        uid,
        kind,
        draftAndPublish,
        localized,
        displayName,
      })),
    ).toEqual([
      {
        uid: 'api::article.article',
        kind: 'collectionType',
        draftAndPublish: true,
        localized: false,
        displayName: 'Article',
      },
      {
        uid: 'api::category.category',
        kind: 'collectionType',
        draftAndPublish: false,
        localized: false,
        displayName: 'Category',
      },
      {
        uid: 'api::homepage.homepage',
        kind: 'singleType',
        draftAndPublish: true,
        localized: true,
        displayName: 'Homepage',
      },
    ]);
    // The same data travels as text for clients that ignore structuredContent.
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(result.structuredContent);
  });

  it('describes attributes without private or password fields or admin relations', async () => {
    const result = await session.callTool('list_content_types');
    const [article] = (result.structuredContent as { contentTypes: Array<{ attributes: Record<string, any> }> })
      .contentTypes;
    expect(Object.keys(article.attributes)).toEqual(
      expect.arrayContaining([
        'title',
        'slug',
        'body',
        'kind',
        'featured',
        'locked',
        'reviewNotes',
        'tenantId',
        'category',
        'cover',
        'seo',
      ]),
    );
    for (const hidden of ['internalNotes', 'createdBy', 'updatedBy', 'localizations']) {
      expect(article.attributes).not.toHaveProperty(hidden);
    }
    expect(article.attributes.kind).toMatchObject({ type: 'enumeration', enum: ['news', 'blog', 'guide', 'press'] });
    expect(article.attributes.category).toMatchObject({
      type: 'relation',
      relation: 'manyToOne',
      target: 'api::category.category',
    });
    expect(JSON.stringify(result)).not.toMatch(/admin::|password|internalNotes/);
  });

  it('is advertised with an input schema, a description and read-only annotations', async () => {
    const { tools } = await session.client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'list_content_types')!;
    expect(tool.description).toMatch(/content types/);
    expect(tool.inputSchema.type).toBe('object');
    expect(tool.outputSchema?.type).toBe('object');
    expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, idempotentHint: true });
  });
});

describe('Strapi 5 native MCP endpoint', () => {
  it('runs beside the plugin: POST /mcp still answers, with its own admin-token authentication', async () => {
    const response = await fetch(`${app.baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(response.status).toBe(401);
    // And our endpoint is unaffected.
    const whoami = await session.callTool('whoami');
    expect(whoami.isError).toBeFalsy();
  });
});

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

  it('lists readable fields without private or password fields or admin relations', async () => {
    const result = await session.callTool('list_content_types');
    const [article] = (result.structuredContent as { contentTypes: Array<Record<string, string[]>> }).contentTypes;
    expect(article.readableFields).toEqual(
      expect.arrayContaining([
        'title',
        'slug',
        'body',
        'kind',
        'featured',
        'locked',
        'tenantId',
        'category',
        'cover',
        'seo',
      ]),
    );
    for (const hidden of ['internalNotes', 'createdBy', 'updatedBy', 'localizations', 'reviewNotes']) {
      expect(article.readableFields).not.toContain(hidden);
    }
    expect(article.actions).toEqual(['read']);
    expect(article.writableFields).toEqual([]);
    expect(JSON.stringify(result)).not.toMatch(/admin::|password|internalNotes/);
  });

  it('describes a type with its attributes, marked readable and writable, as the caller sees it', async () => {
    const result = await session.callTool('describe_content_type', { contentType: 'article' });
    const described = result.structuredContent as { fields: Record<string, any>; components: Record<string, any> };
    expect(described.fields.kind).toMatchObject({
      type: 'enumeration',
      enum: ['news', 'blog', 'guide', 'press'],
      readable: true,
      writable: false,
    });
    expect(described.fields.category).toMatchObject({
      type: 'relation',
      relation: 'manyToOne',
      target: 'api::category.category',
    });
    expect(described.components['shared.seo'].fields).toHaveProperty('metaTitle');
    for (const hidden of ['internalNotes', 'createdBy', 'updatedBy', 'reviewNotes'])
      expect(described.fields).not.toHaveProperty(hidden);
    const homepage = await session.callTool('describe_content_type', { contentType: 'api::homepage.homepage' });
    expect(homepage.structuredContent).toMatchObject({
      kind: 'singleType',
      localized: true,
      locales: [
        { code: 'en', default: true },
        { code: 'fr', default: false },
      ],
    });
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

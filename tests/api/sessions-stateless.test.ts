/**
 * `sessions.mode: 'stateless'`: 2025-era clients are answered request by request, without a session, so that any
 * replica can serve any request. Shown with the SDK 1.x client (2025-11-25) and raw requests: no Mcp-Session-Id, no
 * session kept, GET and DELETE refused with 405, progress on the call's own response stream, no subscriptions, one
 * audit row per call; 2026-07-28 requests are served as always.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { McpToolContext } from '../../server/src/extension/definitions';
import {
  connectLegacyClient,
  connectModernClient,
  credentials,
  initializeMessage,
  rawRequest,
} from '../helpers/mcp-client';
import { dataOf } from '../helpers/list-results';
import { ARTICLE, auditRows, expectOk } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const sessions = () => app.strapi.plugin('mcp-server').service('sessions');

beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { sessions: { mode: 'stateless' } } });
  app.strapi
    .plugin('mcp-server')
    .service('tools')
    .registerTool({
      name: 'count_to_three',
      description: 'Reports progress 1, 2 and 3 of 3 for the request progress token.',
      inputSchema: { label: z.string().optional() },
      handler: async (_args: unknown, context: McpToolContext) => {
        const progressToken = context.mcp.mcpReq._meta?.progressToken;
        for (const progress of [1, 2, 3]) {
          if (progressToken !== undefined) {
            await context.mcp.mcpReq.notify({
              method: 'notifications/progress',
              params: { progressToken, progress, total: 3 },
            });
          }
        }
        return { content: [{ type: 'text', text: 'counted' }] };
      },
    });
  app.strapi
    .plugin('mcp-server')
    .service('tools')
    .registerTool({
      name: 'ask_for_a_name_2026_way',
      description: 'Asks the client for a name the 2026-07-28 way (inputRequired).',
      handler: async () =>
        inputRequired({
          inputRequests: {
            name: inputRequired.elicit({
              message: 'Your name?',
              requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
            }),
          },
        }),
    });
  app.strapi
    .plugin('mcp-server')
    .service('tools')
    .registerTool({
      name: 'ask_for_a_name',
      description: 'Asks the client for a name the 2025-11-25 way (elicitation on the session).',
      handler: async (_args: unknown, context: McpToolContext) => {
        const answer = await context.extra.sendRequest({
          method: 'elicitation/create',
          params: { message: 'Your name?', requestedSchema: { type: 'object', properties: {} } },
        } as never);
        return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
      },
    });
});
afterAll(async () => {
  await app?.close();
});

const headersFor = async (email = 'author1@example.com', role = 'Author', tenant: string | null = 'org-1') =>
  credentials(app, await app.idp.tokenFor(email, role, tenant));

describe("sessions.mode: 'stateless' for 2025-era clients", () => {
  it('answers initialize without a session id and keeps no session', async () => {
    const response = await rawRequest(app, { headers: await headersFor(), body: initializeMessage() });
    expect(response.status).toBe(200);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(response.json.result.protocolVersion).toBe('2025-11-25');
    expect(sessions().list()).toHaveLength(0);
  });

  it('serves the SDK 1.x client: lists, reads, writes, with every request on its own', async () => {
    const client = await connectLegacyClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    expect(client.sessionId).toBeUndefined();
    const tools = await client.client.listTools();
    expect(tools.tools.map((tool) => tool.name)).toContain('find_documents');
    const whoami = await client.callTool('whoami');
    expect(whoami.structuredContent).toMatchObject({
      user: { email: 'author1@example.com' },
      tenant: 'org-1',
      sessionId: null,
    });
    const created = expectOk(
      await client.callTool('create_document', { contentType: ARTICLE, data: { title: 'Stateless draft' } }),
    );
    const found = await client.callTool('find_documents', {
      contentType: ARTICLE,
      filters: { title: { $eq: 'Stateless draft' } },
    });
    expect(dataOf(found).map((doc) => doc.documentId)).toEqual([(created.data as { documentId: string }).documentId]);
    expect(sessions().list()).toHaveLength(0);
    await client.close();
  });

  it('ignores a session id the client still sends (any replica answers)', async () => {
    const response = await rawRequest(app, {
      headers: {
        ...(await headersFor()),
        'mcp-session-id': 'a-session-of-another-replica',
        'mcp-protocol-version': '2025-11-25',
      },
      body: { jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} },
    });
    expect(response.status).toBe(200);
    expect(response.json.result.tools.length).toBeGreaterThan(0);
  });

  it('refuses GET (no standalone stream) and DELETE (nothing to end) with 405', async () => {
    const headers = { ...(await headersFor()), 'mcp-protocol-version': '2025-11-25' };
    const get = await rawRequest(app, { method: 'GET', headers: { ...headers, accept: 'text/event-stream' } });
    const del = await rawRequest(app, { method: 'DELETE', headers });
    expect(get.status).toBe(405);
    expect(del.status).toBe(405);
  });

  it('still authenticates every request: GET without a token is 401, not 405', async () => {
    const get = await rawRequest(app, {
      method: 'GET',
      headers: { 'x-mcp-internal-secret': app.secret, 'mcp-protocol-version': '2025-11-25' },
    });
    expect(get.status).toBe(401);
  });

  it('sends progress on the call’s own response stream', async () => {
    const client = await connectLegacyClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    const seen: number[] = [];
    const result = await client.client.callTool({ name: 'count_to_three', arguments: {} }, undefined, {
      onprogress: (progress) => seen.push(progress.progress),
    });
    expect(result.content).toEqual([{ type: 'text', text: 'counted' }]);
    expect(seen).toEqual([1, 2, 3]);
    await client.close();
  });

  it('fails, at once and saying why, a tool that asks the client for input: there is no session to ask on', async () => {
    const client = await connectLegacyClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'), {
      capabilities: { elicitation: {} },
    });
    const result = await client.callTool('ask_for_a_name');
    expect(result.isError).toBe(true);
    expect(result.content).toEqual([
      {
        type: 'text',
        text:
          'this tool asks the client for elicitation/create during the call, which needs a 2025-11-25 session; this ' +
          "server answers 2025-era requests without sessions (sessions.mode: 'stateless'): call it from a 2026-07-28 " +
          'client',
      },
    ]);
    const asked = await client.callTool('ask_for_a_name_2026_way');
    // The SDK's own answer for an inputRequired(...) result on a per-request 2025-era request.
    expect(asked.isError).toBe(true);
    expect((asked.content[0] as { text: string }).text).toMatch(
      /per-request legacy serving cannot receive server-to-client requests/,
    );
    await client.close();
  });

  it('offers no resource subscriptions: nothing could deliver an update', async () => {
    const response = await rawRequest(app, { headers: await headersFor(), body: initializeMessage() });
    expect(response.json.result.capabilities.resources?.subscribe).toBeUndefined();
    const subscribe = await rawRequest(app, {
      headers: { ...(await headersFor()), 'mcp-protocol-version': '2025-11-25' },
      body: { jsonrpc: '2.0', id: 3, method: 'resources/subscribe', params: { uri: 'strapi://content-types' } },
    });
    expect(subscribe.json.error.code).toBe(-32601);
  });

  it('records one audit row per call, with no session', async () => {
    const email = 'author2@example.com';
    const client = await connectLegacyClient(app, await app.idp.tokenFor(email, 'Author', 'org-1'));
    await client.callTool('whoami');
    await client.callTool('find_documents', { contentType: ARTICLE });
    await client.callTool('count_documents', { contentType: ARTICLE });
    await client.close();
    const rows = await auditRows(app, { adminUserEmail: email });
    expect(rows.map((row) => row.tool)).toEqual(['whoami', 'find_documents', 'count_documents']);
    expect(rows.every((row) => row.sessionId === null && row.decision === 'allowed')).toBe(true);
  });

  it('serves 2026-07-28 requests as in memory mode', async () => {
    const client = await connectModernClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    const whoami = await client.callTool('whoami');
    expect(whoami.structuredContent).toMatchObject({ user: { email: 'author1@example.com' } });
    await client.close();
  });
});

/**
 * The outside review of the 2026-07-28 surface: listen streams (one user holding every slot, streams outliving their
 * token), resource subscriptions to what the caller may not read, templates listed to callers not offered them,
 * request state replayed on other arguments or smuggled into 2025 sessions, refusals left off the record or filed
 * under someone else's session, deep bodies, and identity switching used to flood listeners.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputRequired } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { McpToolContext } from '../../server/src/extension/definitions';
import {
  connectLegacyClient,
  credentials,
  MODERN_PROTOCOL,
  modernEnvelope,
  modernRequest,
  openRawSession,
  rawRequest,
} from '../helpers/mcp-client';
import type { Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
const service = (name: string) => app.strapi.plugin('mcp-server').service(name);

beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { jwt: { clockToleranceSec: 0 } } });
  service('tools').registerResource({
    name: 'tenant_report',
    uriTemplate: 'watch://{tenant}/report',
    description: 'A report per tenant; only its own tenant may watch it.',
    subscribable: true,
    canSubscribe: (_uri: URL, variables: Record<string, string>, { caller }: { caller: { tenant: string | null } }) =>
      variables.tenant === caller.tenant,
    read: (uri: URL) => ({ contents: [{ uri: uri.href, text: 'report' }] }),
  });
  service('tools').registerResource({
    name: 'admin_digest',
    uriTemplate: 'admin://digest/{day}',
    description: 'Admins only.',
    isAvailableTo: (_caller: unknown, _strapi: unknown, policy: { role: string | null }) => policy.role === 'Admin',
    list: async () => [{ uri: 'admin://digest/board-meeting', name: 'Board digest' }],
    complete: { day: () => ['board-meeting'] },
    read: (uri: URL) => ({ contents: [{ uri: uri.href, text: 'digest' }] }),
  });
  service('tools').registerTool({
    name: 'approve_delete',
    description: 'Asks for approval of deleting one target, then reports what was approved.',
    inputSchema: { target: z.string() },
    handler: async ({ target }: { target: string }, context: McpToolContext) => {
      const approved = context.requestState.read<{ target: string }>();
      if (!approved) {
        return inputRequired({
          inputRequests: {
            ok: inputRequired.elicit({
              message: `Delete ${target}?`,
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
            }),
          },
          requestState: await context.requestState.seal({ target }),
        });
      }
      return { content: [{ type: 'text', text: `approved ${approved.target}, deleting ${target}` }] };
    },
  });
});

afterAll(async () => {
  await app?.close();
});

const tokenFor = (email: string, role: string, tenant: string | null, expiresIn?: string) =>
  app.idp.tokenFor(email, role, tenant, expiresIn ? { expiresIn } : {});

/** A raw 2026-07-28 listen stream: how it was answered, and when it ended. */
const openListen = async (headers: Record<string, string>, notifications: Record<string, unknown>) => {
  const abort = new AbortController();
  const started = Date.now();
  const response = await fetch(app.mcpUrl, {
    method: 'POST',
    signal: abort.signal,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': MODERN_PROTOCOL,
      'mcp-method': 'subscriptions/listen',
      ...headers,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 'listen',
      method: 'subscriptions/listen',
      params: { notifications, _meta: modernEnvelope() },
    }),
  });
  const isStream = (response.headers.get('content-type') ?? '').includes('text/event-stream');
  const json = isStream ? undefined : await response.json();
  const ended = (async () => {
    try {
      const reader = response.body!.getReader();
      while (!(await reader.read()).done);
    } catch {
      // aborted or cut: either way the stream is over
    }
    return Date.now() - started;
  })();
  return { response, isStream, json, ended, close: () => abort.abort() };
};

const rows = async (filters: Record<string, unknown>) => {
  await service('audit').flush();
  return (await service('audit').find({ filters, pageSize: 100 })).results as Doc[];
};

describe('listen streams', () => {
  it('holds at most sessions.maxListenStreamsPerUser streams per user, records the refusal, and frees a slot on close', async () => {
    const reader = credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1'));
    const streams = await Promise.all(Array.from({ length: 4 }, () => openListen(reader, { toolsListChanged: true })));
    expect(streams.every((stream) => stream.response.status === 200 && stream.isStream)).toBe(true);

    const fifth = await openListen(reader, { toolsListChanged: true });
    expect(fifth.response.status).toBe(429);
    expect(fifth.json).toMatchObject({ error: { data: { type: 'stream-limit' } } });
    const [refusal] = await rows({ adminUserEmail: 'reader@example.com', decision: 'denied' });
    expect(refusal).toMatchObject({ action: 'listen', protocolVersion: MODERN_PROTOCOL });

    // Another user is not affected.
    const admin = await openListen(credentials(app, await tokenFor('admin@example.com', 'Admin', 'org-1')), {
      toolsListChanged: true,
    });
    expect(admin.isStream).toBe(true);

    streams[0].close();
    await streams[0].ended;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await openListen(reader, { toolsListChanged: true });
    expect(again.isStream).toBe(true);
    [...streams.slice(1), admin, again].forEach((stream) => stream.close());
  });

  it('ends a listen stream when the token it was opened with expires', async () => {
    const stream = await openListen(credentials(app, await tokenFor('author1@example.com', 'Author', 'org-1', '2s')), {
      toolsListChanged: true,
    });
    expect(stream.isStream).toBe(true);
    expect(await stream.ended).toBeLessThan(5000);
  });

  it('ends a 2025-11-25 GET stream when its token expires too', async () => {
    const headers = credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1', '3s'));
    const { sessionId } = await openRawSession(app, headers);
    const started = Date.now();
    const response = await fetch(app.mcpUrl, {
      headers: {
        ...headers,
        accept: 'text/event-stream',
        'mcp-session-id': sessionId,
        'mcp-protocol-version': '2025-11-25',
      },
    });
    expect(response.status).toBe(200);
    await response.text().catch(() => undefined);
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

describe('resource subscriptions', () => {
  it('watches only resources the caller may watch, at 2026-07-28', async () => {
    const author2 = credentials(app, await tokenFor('author2@example.com', 'Author', 'org-2'));
    const foreign = await openListen(author2, { resourceSubscriptions: ['watch://org-1/report'] });
    expect(foreign.response.status).toBe(403);
    expect(foreign.json).toMatchObject({
      error: { code: -32602, data: { type: 'subscription' } },
    });
    const unknown = await openListen(author2, { resourceSubscriptions: ['strapi://instance'] });
    expect(unknown.response.status).toBe(403);
    const own = await openListen(author2, { resourceSubscriptions: ['watch://org-2/report'] });
    expect(own.isStream).toBe(true);
    own.close();
  });

  it('watches only resources the caller may watch, at 2025-11-25', async () => {
    const session = await connectLegacyClient(app, await tokenFor('author2@example.com', 'Author', 'org-2'));
    await expect(session.client.subscribeResource({ uri: 'watch://org-1/report' })).rejects.toThrow(
      /cannot be watched/,
    );
    await session.client.subscribeResource({ uri: 'watch://org-2/report' });
    expect(await service('sessions').notifyResourceUpdated('watch://org-1/report')).toBe(0);
    expect(await service('sessions').notifyResourceUpdated('watch://org-2/report')).toBe(1);
    await session.close();
  });

  it('shows a resource offered to others to no one else: not in lists, completions or errors', async () => {
    const headersFor = async (role: string) => credentials(app, await tokenFor('admin@example.com', role, 'org-1'));
    const uris = async (role: string) =>
      ((await modernRequest(app, await headersFor(role), 'resources/list')).json.result?.resources ?? []).map(
        (resource: Doc) => resource.uri,
      );
    expect(await uris('Admin')).toContain('admin://digest/board-meeting');
    expect(await uris('Reader')).not.toContain('admin://digest/board-meeting');
    expect(await uris('Nobody')).toEqual([]);

    const reader = await headersFor('Reader');
    const completion = await modernRequest(app, reader, 'completion/complete', {
      ref: { type: 'ref/resource', uri: 'admin://digest/{day}' },
      argument: { name: 'day', value: 'b' },
    });
    expect(JSON.stringify(completion.json)).not.toContain('board-meeting');
    const hidden = await modernRequest(app, reader, 'resources/read', { uri: 'admin://digest/today' });
    const unknown = await modernRequest(app, reader, 'resources/read', { uri: 'nothing://here' });
    expect(hidden.json.error.message.replace('admin://digest/today', 'URI')).toBe(
      unknown.json.error.message.replace('nothing://here', 'URI'),
    );
  });

  it('lists resource templates only to callers they are offered to', async () => {
    const listTemplates = async (role: string) => {
      const headers = credentials(app, await tokenFor('admin@example.com', role, 'org-1'));
      const response = await modernRequest(app, headers, 'resources/templates/list');
      return response.json.result.resourceTemplates.map((template: Doc) => template.uriTemplate);
    };
    expect(await listTemplates('Admin')).toContain('admin://digest/{day}');
    expect(await listTemplates('Reader')).not.toContain('admin://digest/{day}');
    expect(await listTemplates('Reader')).toContain('watch://{tenant}/report');
  });
});

describe('request state', () => {
  const elicitation = { capabilities: { elicitation: {} } };
  const callApprove = (headers: Record<string, string>, target: string, retry?: { requestState: string }) =>
    modernRequest(
      app,
      headers,
      'tools/call',
      {
        name: 'approve_delete',
        arguments: { target },
        ...(retry && {
          requestState: retry.requestState,
          inputResponses: { ok: { action: 'accept', content: { ok: true } } },
        }),
      },
      elicitation,
    );

  it('never approves another call with the state of an approved one', async () => {
    const headers = credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1'));
    const asked = await callApprove(headers, 'doc-A');
    const { requestState } = asked.json.result;
    expect((await callApprove(headers, 'doc-A', { requestState })).json.result.content[0].text).toBe(
      'approved doc-A, deleting doc-A',
    );
    // The same state on other arguments is not the approval of that call: the tool asks again.
    expect((await callApprove(headers, 'doc-B', { requestState })).json.result.resultType).toBe('input_required');
  });

  it('records a refused request state in the audit trail', async () => {
    const headers = credentials(app, await tokenFor('publisher@example.com', 'Publisher', 'org-1'));
    const asked = await callApprove(headers, 'doc-C');
    expect(asked.json).toMatchObject({ result: { resultType: 'input_required' } });
    const { requestState } = asked.json.result;
    const tampered = await callApprove(headers, 'doc-C', { requestState: `${requestState.slice(0, -4)}AAAA` });
    expect(tampered.json.error).toMatchObject({ code: -32602 });
    const [row] = await rows({ adminUserEmail: 'publisher@example.com', decision: 'denied' });
    expect(row).toMatchObject({ action: 'tools/call', protocolVersion: MODERN_PROTOCOL });
    expect(row.reason).toMatch(/^request-state: /);
  });

  it('refuses requestState and inputResponses on a 2025-11-25 session, which the server asks itself', async () => {
    const headers = credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1'));
    const { sessionId } = await openRawSession(app, headers);
    const response = await rawRequest(app, {
      headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: {
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: {
          name: 'approve_delete',
          arguments: { target: 'doc-Z' },
          requestState: 'anything',
          inputResponses: { ok: { action: 'accept', content: { ok: true } } },
        },
      },
    });
    expect(response.status).toBe(400);
    expect(response.json.error.data).toMatchObject({ type: 'request', reason: expect.stringMatching(/requestState/) });
  });
});

describe('the audit trail and the request itself', () => {
  it('refuses a POST body Strapi did not parse as JSON, so that nothing reaches the SDK unchecked', async () => {
    const headers = credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1'));
    for (const contentType of ['application/json; charset', 'application/json;;', 'text/plain']) {
      const stream = await openListen({ ...headers, 'content-type': contentType }, { toolsListChanged: true });
      expect(stream.response.status).toBe(415);
      expect(stream.json).toMatchObject({ error: { data: { type: 'content-type' } } });
    }
  });

  it("answers a body Strapi's parser refused (not JSON, too large) with a JSON-RPC error, not Strapi's REST error", async () => {
    const headers = {
      ...credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1')),
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    };
    const post = (body: string) => fetch(app.mcpUrl, { method: 'POST', headers, body });
    const malformed = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list"');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      jsonrpc: '2.0',
      id: null,
      error: {
        code: -32700,
        message: 'Parse error: the request body is not valid JSON',
        data: { type: 'parse', reason: 'the request body is not valid JSON' },
      },
    });
    // Past strapi::body's jsonLimit (8 MB in the playground).
    const huge = await post(
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(9e6) } }),
    );
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({
      jsonrpc: '2.0',
      id: null,
      error: { code: -32600, data: { type: 'body-size' } },
    });
    // Other paths keep Strapi's own answer.
    const elsewhere = await fetch(`${app.baseUrl}/api/articles`, { method: 'POST', headers, body: '{"data":' });
    expect(elsewhere.status).toBe(400);
    expect(await elsewhere.json()).not.toHaveProperty('jsonrpc');
  });

  it('files a refusal under the session id only when the session is the caller’s, and no made-up revision', async () => {
    const admin = await connectLegacyClient(app, await tokenFor('admin@example.com', 'Admin', 'org-1'));
    const author2 = credentials(app, await tokenFor('author2@example.com', 'Author', 'org-2'));
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {} },
    });
    const response = await rawRequest(app, {
      headers: { ...author2, 'mcp-session-id': admin.sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: [call(1), call(2)],
    });
    expect(response.status).toBe(400);
    const [row] = (await rows({ adminUserEmail: 'author2@example.com', decision: 'denied' })).filter(
      (candidate) => candidate.action === 'call-tools',
    );
    expect(row).toMatchObject({ sessionId: null, protocolVersion: '2025-11-25' });
    await admin.close();

    // A 2026-07-28 claim with a made-up header, refused before the SDK could check it.
    const junk = await rawRequest(app, {
      headers: {
        'mcp-protocol-version': '2026-07-28<script>',
        'mcp-method': 'tools/list',
        'user-agent': 'junk-version',
      },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernEnvelope() } },
    });
    expect(junk.status).toBe(403);
    const [junkRow] = (await rows({ decision: 'denied' })).filter(
      (candidate) => candidate.userAgent === 'junk-version',
    );
    expect(junkRow).toMatchObject({ protocolVersion: 'other' });
  });

  it('refuses a body nested deeper than 256 levels before anything parses it', async () => {
    let nested: unknown = 'leaf';
    for (let depth = 0; depth < 300; depth += 1) nested = { a: nested };
    const headers = credentials(app, await tokenFor('reader@example.com', 'Reader', 'org-1'));
    const response = await modernRequest(app, headers, 'tools/call', { name: 'whoami', arguments: { nested } });
    expect(response.status).toBe(400);
    expect(response.json.error.data.reason).toMatch(/nested deeper than 256/);
  });

  it('announces one person switching tokens back and forth once per interval, not once per request', async () => {
    let notices = 0;
    const stop = service('sessions').onChange((change: { type: string }) => {
      if (change.type === 'lists') notices += 1;
    });
    const tokens = [
      await tokenFor('author2@example.com', 'Author', 'org-2'),
      await tokenFor('author2@example.com', 'Author', 'org-1'),
    ];
    for (let index = 0; index < 10; index += 1) {
      await modernRequest(app, credentials(app, tokens[index % 2]), 'tools/list');
    }
    expect(notices).toBeLessThanOrEqual(1);
    // The switch held back is announced when the interval ends, not dropped.
    const deadline = Date.now() + 12_000;
    while (notices < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    stop();
    expect(notices).toBe(2);
  }, 20_000);
});

/**
 * Session rules: ids issued on initialize, reuse, binding to the identity that opened the session,
 * DELETE then 404, caps per user and per server, idle and lifetime expiry that really closes the transport.
 * Sessions are 2025-11-25's (2026-07-28 has none): this file speaks that revision whatever MCP_TEST_PROTOCOL says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacyClient, credentials, initializeMessage, openRawSession, rawRequest } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const sessionsService = (app: TestApp) => app.strapi.plugin('mcp-server').service('sessions');
const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('session lifecycle and identity binding', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { sessions: { maxPerUser: 3, max: 6 } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const headersFor = async (email: string, role = 'Author', tenant: string | null = 'org-1') =>
    credentials(app, await app.idp.tokenFor(email, role, tenant));

  it('returns a cryptographically random, visible-ASCII Mcp-Session-Id on initialize', async () => {
    const headers = await headersFor('author1@example.com');
    const first = await openRawSession(app, headers);
    const second = await openRawSession(app, headers);
    expect(first.status).toBe(200);
    expect(first.sessionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(first.sessionId).not.toBe(second.sessionId);
    for (const id of [first.sessionId, second.sessionId]) {
      await rawRequest(app, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': id } });
    }
  });

  it('serves several requests on one session, re-authenticating each', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const session = await connectLegacyClient(app, token);
    const first = await session.client.listTools();
    const second = await session.callTool('whoami');
    expect(first.tools.map((tool) => tool.name)).toContain('whoami');
    expect(second.structuredContent).toMatchObject({ sessionId: session.sessionId });
    await session.close();
  });

  it('accepts a fresh token for the same identity on an open session (token refresh)', async () => {
    const headers = await headersFor('author1@example.com');
    const { sessionId } = await openRawSession(app, headers);
    const refreshed = await headersFor('author1@example.com');
    expect(refreshed.Authorization).not.toBe(headers.Authorization);
    const response = await rawRequest(app, { headers: { ...refreshed, 'mcp-session-id': sessionId }, body: listTools });
    expect(response.status).toBe(200);
    expect(response.json.result.tools.length).toBeGreaterThan(0);
    await rawRequest(app, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': sessionId } });
  });

  it.each([
    ['another user', 'author2@example.com', 'Author', 'org-1'],
    ['the same user with another role claim', 'author1@example.com', 'Admin', 'org-1'],
    ['the same user with another tenant claim', 'author1@example.com', 'Author', 'org-2'],
  ])('refuses a request from %s on an existing session', async (_label, email, role, tenant) => {
    const owner = await headersFor('author1@example.com', 'Author', 'org-1');
    const { sessionId } = await openRawSession(app, owner);
    const intruder = await headersFor(email, role, tenant);
    const response = await rawRequest(app, { headers: { ...intruder, 'mcp-session-id': sessionId }, body: listTools });
    expect(response.status).toBe(403);
    expect(response.json.error.data).toEqual({
      type: 'session-identity',
      reason: 'this session belongs to another identity',
    });
    // Nor can the intruder end it.
    const deletion = await rawRequest(app, { method: 'DELETE', headers: { ...intruder, 'mcp-session-id': sessionId } });
    expect(deletion.status).toBe(403);
    const stillThere = await rawRequest(app, { headers: { ...owner, 'mcp-session-id': sessionId }, body: listTools });
    expect(stillThere.status).toBe(200);
    await rawRequest(app, { method: 'DELETE', headers: { ...owner, 'mcp-session-id': sessionId } });
  });

  it('ends a session on DELETE; the id then answers 404', async () => {
    const headers = await headersFor('author1@example.com');
    const { sessionId } = await openRawSession(app, headers);
    const openBefore = sessionsService(app).stats().open;
    const deletion = await rawRequest(app, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': sessionId } });
    expect(deletion.status).toBe(200);
    expect(sessionsService(app).stats().open).toBe(openBefore - 1);
    const after = await rawRequest(app, { headers: { ...headers, 'mcp-session-id': sessionId }, body: listTools });
    expect(after.status).toBe(404);
    expect(after.json.error.data.type).toBe('session');
  });

  it('answers 404 for an unknown session id and 400 for a non-initialize request without one', async () => {
    const headers = await headersFor('author1@example.com');
    const unknown = await rawRequest(app, {
      headers: { ...headers, 'mcp-session-id': 'no-such-session' },
      body: listTools,
    });
    expect(unknown.status).toBe(404);
    const missing = await rawRequest(app, { headers, body: listTools });
    expect(missing.status).toBe(400);
    expect(missing.json.error.data.type).toBe('request');
    const get = await rawRequest(app, { method: 'GET', headers });
    expect(get.status).toBe(400);
  });

  it('at the per-user cap, closes that user’s least recently used idle session instead of refusing', async () => {
    const headers = await headersFor('author1@example.com');
    const opened = [];
    for (let i = 0; i < 3; i += 1) opened.push(await openRawSession(app, headers));
    expect(opened.every((session) => session.status === 200)).toBe(true);
    // The second one is used again: the first is now the least recently used.
    await rawRequest(app, { headers: { ...headers, 'mcp-session-id': opened[1].sessionId }, body: listTools });

    const fourth = await openRawSession(app, headers);
    expect(fourth.status).toBe(200);
    const status = async (sessionId: string) =>
      (await rawRequest(app, { headers: { ...headers, 'mcp-session-id': sessionId }, body: listTools })).status;
    expect(await status(opened[0].sessionId)).toBe(404);
    for (const { sessionId } of [opened[1], opened[2], fourth]) expect(await status(sessionId)).toBe(200);

    // Other users' sessions are never closed for this one.
    const other = await openRawSession(app, await headersFor('author2@example.com'));
    expect(other.status).toBe(200);
    for (const { sessionId } of [opened[1], opened[2], fourth]) {
      await rawRequest(app, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': sessionId } });
    }
    await rawRequest(app, {
      method: 'DELETE',
      headers: { ...(await headersFor('author2@example.com')), 'mcp-session-id': other.sessionId },
    });
  });

  it('refuses with 429 and Retry-After only when every session of the user is busy', async () => {
    const headers = await headersFor('author1@example.com');
    const streams: AbortController[] = [];
    const opened = [];
    for (let i = 0; i < 3; i += 1) {
      const session = await openRawSession(app, headers);
      opened.push(session);
      const abort = new AbortController();
      const response = await fetch(app.mcpUrl, {
        headers: { ...headers, accept: 'text/event-stream', 'mcp-session-id': session.sessionId },
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      streams.push(abort);
    }
    const refused = await rawRequest(app, { headers, body: initializeMessage() });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.json).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32000, data: { type: 'session-limit', reason: expect.stringContaining('all 3 sessions') } },
    });
    expect(refused.headers.get('mcp-session-id')).toBeNull();

    // A stream ends: its session is idle again, and makes room.
    streams[0].abort();
    await sleep(200);
    expect((await openRawSession(app, headers)).status).toBe(200);
    streams.slice(1).forEach((abort) => abort.abort());
    await sleep(100);
    for (const { sessionId } of opened) {
      await rawRequest(app, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': sessionId } });
    }
  });

  it('caps the total number of sessions on the server; a user without sessions of their own to close is refused', async () => {
    const users = ['admin@example.com', 'publisher@example.com', 'author1@example.com', 'author2@example.com'];
    const opened: Array<{ headers: Record<string, string>; sessionId: string }> = [];
    const existing = sessionsService(app).stats().open;
    for (let i = existing; i < 6; i += 1) {
      const headers = await headersFor(users[i % users.length]);
      const session = await openRawSession(app, headers);
      expect(session.status).toBe(200);
      opened.push({ headers, sessionId: session.sessionId });
    }
    const refused = await rawRequest(app, {
      headers: await headersFor('reader@example.com', 'Reader'),
      body: initializeMessage(),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.json.error.data.reason).toMatch(/maximum of 6 sessions/);
    for (const { headers, sessionId } of opened) {
      await rawRequest(app, { method: 'DELETE', headers: { ...headers, 'mcp-session-id': sessionId } });
    }
  });

  it('serves clients that never end their sessions (MCP Inspector CLI, mcp-remote) 30 times in a row', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    for (let run = 0; run < 30; run += 1) {
      // initialize, initialized, one call, and walk away without DELETE (the process exits: its streams close).
      const session = await connectLegacyClient(app, token);
      expect((await session.callTool('whoami')).isError).toBeFalsy();
      await session.client.close();
    }
    expect(sessionsService(app).stats().open).toBeLessThanOrEqual(6);
  });

  it('lets other plugins add tools through the extension API; new sessions see them', async () => {
    const registry = app.strapi.plugin('mcp-server').service('tools');
    registry.registerTool({
      name: 'echo_caller',
      description: 'Echoes the email of the calling admin user.',
      handler: (_args: unknown, { caller }: { caller: { email: string } }) => ({
        content: [{ type: 'text', text: caller.email }],
      }),
    });
    try {
      const session = await connectLegacyClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher'));
      const tools = await session.client.listTools();
      expect(tools.tools.find((tool) => tool.name === 'echo_caller')).toMatchObject({
        inputSchema: { type: 'object' },
      });
      const result = await session.callTool('echo_caller');
      expect(result.content).toEqual([{ type: 'text', text: 'publisher@example.com' }]);
      await session.close();
      expect(() =>
        registry.registerTool({ name: 'echo_caller', description: 'again', handler: () => ({ content: [] }) }),
      ).toThrow(/already registered/);
    } finally {
      registry.unregisterTool('echo_caller');
    }
  });

  it('turns an unexpected tool failure into a tool error with a reference, never a stack trace', async () => {
    const registry = app.strapi.plugin('mcp-server').service('tools');
    registry.registerTool({
      name: 'explodes',
      description: 'Always fails.',
      handler: () => {
        throw new Error('database password is hunter2');
      },
    });
    try {
      const session = await connectLegacyClient(app, await app.idp.tokenFor('admin@example.com', 'Admin'));
      const result = await session.callTool('explodes');
      expect(result.isError).toBe(true);
      const text = JSON.stringify(result);
      expect(text).toMatch(/internal error \(reference [0-9a-f]{8}\)/);
      expect(text).not.toContain('hunter2');
      expect(text).not.toMatch(/\n\s+at /);
      await session.close();
    } finally {
      registry.unregisterTool('explodes');
    }
  });
});

describe('session expiry', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: { sessions: { idleTimeoutMs: 600, maxLifetimeMs: 2500, sweepIntervalMs: 100 } },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  const openStream = async (headers: Record<string, string>, sessionId: string) => {
    const abort = new AbortController();
    const response = await fetch(app.mcpUrl, {
      method: 'GET',
      headers: { ...headers, accept: 'text/event-stream', 'mcp-session-id': sessionId },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    // Resolves when the server ends the stream.
    const ended = (async () => {
      for (;;) if ((await reader.read()).done) return true;
    })().catch(() => true);
    return { abort: () => abort.abort(), ended };
  };

  it('closes a session idle past idleTimeoutMs; its id then answers 404', async () => {
    const headers = credentials(app, await app.idp.tokenFor('author1@example.com', 'Author'));
    const { sessionId } = await openRawSession(app, headers);
    expect(sessionsService(app).stats().open).toBe(1);
    await sleep(1000);
    expect(sessionsService(app).stats().open).toBe(0);
    const after = await rawRequest(app, { headers: { ...headers, 'mcp-session-id': sessionId }, body: listTools });
    expect(after.status).toBe(404);
  });

  it('counts an open SSE stream as activity, and idles the session once the stream ends', async () => {
    const headers = credentials(app, await app.idp.tokenFor('author1@example.com', 'Author'));
    const { sessionId } = await openRawSession(app, headers);
    const stream = await openStream(headers, sessionId);
    await sleep(1000);
    expect(sessionsService(app).stats().open).toBe(1);
    stream.abort();
    await sleep(1000);
    expect(sessionsService(app).stats().open).toBe(0);
  });

  it('ends a session at its hard lifetime even while in use, closing the transport and its open stream', async () => {
    const headers = credentials(app, await app.idp.tokenFor('author1@example.com', 'Author'));
    const { sessionId } = await openRawSession(app, headers);
    const stream = await openStream(headers, sessionId);
    const started = Date.now();
    while (Date.now() - started < 1800) {
      const response = await rawRequest(app, { headers: { ...headers, 'mcp-session-id': sessionId }, body: listTools });
      expect(response.status).toBe(200);
      await sleep(300);
    }
    // The transport's close() ends the stream from the server side.
    await expect(Promise.race([stream.ended, sleep(3000).then(() => false)])).resolves.toBe(true);
    const after = await rawRequest(app, { headers: { ...headers, 'mcp-session-id': sessionId }, body: listTools });
    expect(after.status).toBe(404);
  });

  it('closes every session when Strapi shuts down', async () => {
    const headers = credentials(app, await app.idp.tokenFor('author1@example.com', 'Author'));
    await openRawSession(app, headers);
    await openRawSession(app, headers);
    const sessions = sessionsService(app);
    expect(sessions.stats().open).toBe(2);
    await app.close();
    expect(sessions.stats().open).toBe(0);
  });
});

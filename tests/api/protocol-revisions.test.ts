/**
 * One endpoint, two MCP revisions: 2026-07-28 requests (stateless, the SDK v2 client) and 2025-11-25 sessions (the
 * SDK 1.x client) reach the same identity pipeline, policy and audit trail. Also what only 2026-07-28 has: its
 * headers and errors, server/discover, cacheable lists that are announced when they change, and input-required
 * results with sealed request state.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { ElicitRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { acceptedContent, inputRequired } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { McpToolContext } from '../../server/src/extension/definitions';
import { createSigningKey } from '../helpers/identity-provider';
import {
  connectClient,
  connectLegacyClient,
  connectModernClient,
  credentials,
  MODERN_PROTOCOL,
  modernEnvelope,
  modernRequest,
  openingRequest,
  rawRequest,
  type TestProtocol,
} from '../helpers/mcp-client';
import { expectOk, type Doc } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const PROTOCOLS: TestProtocol[] = [MODERN_PROTOCOL, '2025-11-25'];

let app: TestApp;
const settings = () => app.strapi.plugin('mcp-server').service('settings');
const audit = () => app.strapi.plugin('mcp-server').service('audit');
const registry = () => app.strapi.plugin('mcp-server').service('tools');

beforeAll(async () => {
  app = await bootTestApp();
});

afterAll(async () => {
  await app?.close();
});

const rowsFor = async (filters: Record<string, unknown>) => {
  await audit().flush();
  return (await audit().find({ filters, pageSize: 100 })).results as Doc[];
};

/** Resolves with the next call of the returned callback, or rejects after `ms`. */
const nextCall = <T>(ms = 5000) => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    setTimeout(() => rej(new Error(`not called within ${ms} ms`)), ms).unref();
  });
  return { promise, callback: (value: T) => resolve(value) };
};

describe('one endpoint, two revisions', () => {
  it('serves a 2026-07-28 client and a 2025-11-25 client side by side, as the same admin user, each call on record with its revision', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const modern = await connectModernClient(app, token, { headers: { 'User-Agent': 'revisions-test/modern' } });
    const legacy = await connectLegacyClient(app, token, { headers: { 'User-Agent': 'revisions-test/legacy' } });
    const [modernWho, legacyWho] = [await modern.callTool('whoami'), await legacy.callTool('whoami')].map(
      (result) => expectOk(result) as Doc,
    );
    expect(modernWho).toMatchObject({
      sessionId: null,
      protocolVersion: '2026-07-28',
      role: 'Author',
      tenant: 'org-1',
    });
    expect(legacyWho).toMatchObject({ sessionId: legacy.sessionId, protocolVersion: '2025-11-25', role: 'Author' });
    expect(modernWho.user).toEqual(legacyWho.user);
    expect(modernWho.permissions).toEqual(legacyWho.permissions);

    const rows = await rowsFor({ tool: 'whoami', adminUserEmail: 'author1@example.com' });
    const modernRow = rows.find((row) => row.userAgent === 'revisions-test/modern')!;
    const legacyRow = rows.find((row) => row.userAgent === 'revisions-test/legacy')!;
    expect(modernRow).toMatchObject({ decision: 'allowed', protocolVersion: '2026-07-28', sessionId: null });
    expect(legacyRow).toMatchObject({ decision: 'allowed', protocolVersion: '2025-11-25' });
    expect(modernRow.adminUserId).toBe(legacyRow.adminUserId);
    await Promise.all([modern.close(), legacy.close()]);
  });

  it('answers server/discover with the revision it serves statelessly, its capabilities and a private cache hint', async () => {
    const headers = credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const response = await modernRequest(app, headers, 'server/discover');
    expect(response.status).toBe(200);
    expect(response.json.result).toMatchObject({
      supportedVersions: ['2026-07-28'],
      capabilities: { tools: { listChanged: true } },
      cacheScope: 'private',
      resultType: 'complete',
      _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'strapi-mcp-server' } },
    });
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });

  it.each(PROTOCOLS)(
    'refuses a %s request without the secret, without a token or with a forged one',
    async (protocol) => {
      const token = await app.idp.tokenFor('admin@example.com', 'Admin');
      const stranger = await createSigningKey(app.idp.signingKey.kid);
      const forged = await app.idp.sign({ key: stranger, claims: { email: 'admin@example.com', role: 'Admin' } });
      const cases: Array<[Record<string, string>, number, string]> = [
        [{ Authorization: `Bearer ${token}` }, 403, 'secret'],
        [{ 'X-MCP-Internal-Secret': app.secret }, 401, 'token'],
        [credentials(app, forged), 401, 'token'],
        [credentials(app, token, 'not-the-secret-but-long-enough-to-compare'), 403, 'secret'],
      ];
      for (const [headers, status, type] of cases) {
        const response = await openingRequest(app, { ...headers, 'User-Agent': `refused/${protocol}` }, protocol);
        expect(response.status).toBe(status);
        expect(response.json.error.data.type).toBe(type);
        expect(response.headers.get('mcp-session-id')).toBeNull();
      }
      const rows = (await rowsFor({ decision: 'denied' })).filter((row) => row.userAgent === `refused/${protocol}`);
      expect(rows.length).toBeGreaterThan(0);
      if (protocol === MODERN_PROTOCOL) expect(rows.every((row) => row.protocolVersion === MODERN_PROTOCOL)).toBe(true);
    },
  );

  it('checks the 2026-07-28 headers and envelope of an authenticated request, with that revision’s error codes', async () => {
    const headers = credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const withoutMethod = await rawRequest(app, {
      headers: { ...headers, 'mcp-protocol-version': MODERN_PROTOCOL },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: modernEnvelope() } },
    });
    expect(withoutMethod.status).toBe(400);
    expect(withoutMethod.json.error.code).toBe(-32020);

    const withoutName = await modernRequest(app, { ...headers, 'mcp-name': '' }, 'tools/call', { name: 'whoami' });
    expect(withoutName.status).toBe(400);
    expect(withoutName.json.error.code).toBe(-32020);

    const unknownVersion = await rawRequest(app, {
      headers: { ...headers, 'mcp-protocol-version': '2099-01-01', 'mcp-method': 'tools/list' },
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { _meta: { ...modernEnvelope(), 'io.modelcontextprotocol/protocolVersion': '2099-01-01' } },
      },
    });
    expect(unknownVersion.status).toBe(400);
    expect(unknownVersion.json.error).toMatchObject({
      code: -32022,
      data: { supported: ['2026-07-28'], requested: '2099-01-01' },
    });

    const withoutCapabilities = await rawRequest(app, {
      headers: { ...headers, 'mcp-protocol-version': MODERN_PROTOCOL, 'mcp-method': 'tools/list' },
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL } },
      },
    });
    expect(withoutCapabilities.status).toBe(400);
    expect(withoutCapabilities.json.error.code).toBe(-32602);

    // A 2025-era header on a 2025 request is still checked by the session leg.
    const unsupportedLegacy = await rawRequest(app, {
      headers: { ...headers, 'mcp-protocol-version': '1999-01-01' },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
    });
    expect(unsupportedLegacy.status).toBe(400);
    expect(unsupportedLegacy.json.error.data.reason).toMatch(/supported: 2026-07-28 .*2025-11-25/);
  });

  it('answers GET and DELETE at 2026-07-28 with 405, and methods the revision removed with 404', async () => {
    const headers = {
      ...credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1')),
      'mcp-protocol-version': MODERN_PROTOCOL,
    };
    for (const method of ['GET', 'DELETE']) {
      const response = await rawRequest(app, { method, headers });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
    for (const method of ['ping', 'initialize', 'logging/setLevel']) {
      const response = await modernRequest(app, headers, method);
      expect(response.status).toBe(404);
      expect(response.json.error.code).toBe(-32601);
    }
  });

  it('keeps the tool-call budget of one HTTP request under 2026-07-28', async () => {
    const headers = credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const call = (id: number) => ({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: 'whoami', arguments: {}, _meta: modernEnvelope() },
    });
    const response = await rawRequest(app, {
      headers: {
        ...headers,
        'mcp-protocol-version': MODERN_PROTOCOL,
        'mcp-method': 'tools/call',
        'mcp-name': 'whoami',
      },
      body: [call(1), call(2)],
    });
    expect(response.status).toBe(400);
    expect(response.json.error.data.type).toBe('batch-limit');
  });
});

describe('cacheable lists', () => {
  it('marks tools/list private, kept no longer than limits.listCacheTtlMs nor the token lives', async () => {
    const longLived = credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const list = await modernRequest(app, longLived, 'tools/list');
    expect(list.json.result).toMatchObject({ cacheScope: 'private', ttlMs: 60_000 });

    const shortLived = credentials(
      app,
      await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1', { expiresIn: '20s' }),
    );
    const { ttlMs } = (await modernRequest(app, shortLived, 'tools/list')).json.result;
    expect(ttlMs).toBeGreaterThan(10_000);
    expect(ttlMs).toBeLessThanOrEqual(20_000);

    settings().update({ limits: { listCacheTtlMs: 0 } });
    try {
      expect((await modernRequest(app, longLived, 'tools/list')).json.result.ttlMs).toBe(0);
    } finally {
      settings().update({ limits: { listCacheTtlMs: 60_000 } });
    }
  });

  /** A 2026-07-28 client that keeps its tool list and listens for changes, as the SDK does. */
  const listeningClient = async (token: string) => {
    let changes = 0;
    let waiting: { until: (names: string[]) => boolean; resolve: () => void } | undefined;
    const client = new ModernClient(
      { name: 'listening-client', version: '1.0.0' },
      {
        versionNegotiation: { mode: { pin: MODERN_PROTOCOL } },
        listChanged: {
          tools: {
            onChanged: (_error, tools) => {
              changes += 1;
              const names = (tools ?? []).map((tool) => tool.name);
              if (waiting?.until(names)) waiting.resolve();
            },
          },
        },
      },
    );
    await client.connect(
      new ModernTransport(new URL(app.mcpUrl), { requestInit: { headers: credentials(app, token) } }),
    );
    const names = async () => (await client.listTools()).tools.map((tool) => tool.name);
    /** Resolves once a change announced from now on brings a list that passes `until`. */
    const changeWhere = (until: (names: string[]) => boolean = () => true) => {
      const next = nextCall<void>();
      waiting = { until, resolve: () => next.callback() };
      return next.promise;
    };
    // The SDK opens its listen stream in the background: wait until a change would reach it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { client, names, changeWhere, changes: () => changes };
  };

  it('tells a listening 2026-07-28 client when the policy changes, and its next list shows the change', async () => {
    const admin = await listeningClient(await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    expect(await admin.names()).toContain('create_document');
    const readOnly = admin.changeWhere((names) => !names.includes('create_document'));
    settings().update({ readOnly: true });
    try {
      await readOnly;
      expect(await admin.names()).not.toContain('create_document');
    } finally {
      const restored = admin.changeWhere((names) => names.includes('create_document'));
      settings().update({ readOnly: false });
      await restored;
    }
    expect(await admin.names()).toContain('create_document');
    await admin.client.close();
  });

  it('tells it when Strapi’s roles or permissions change, and when the same person calls with another role', async () => {
    const author = await listeningClient(await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    await author.names();

    const afterPermission = author.changeWhere();
    const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'strapi-author' } });
    await app.strapi.db.query('admin::role').update({ where: { id: role.id }, data: { description: 'changed' } });
    await afterPermission;

    const afterRole = author.changeWhere();
    const sameTokenHolder = await connectModernClient(
      app,
      await app.idp.tokenFor('author1@example.com', 'Reader', 'org-1'),
    );
    await afterRole;
    await Promise.all([sameTokenHolder.close(), author.client.close()]);
  });

  it('recomputes what a 2025-11-25 session offers when the policy changes, and tells its client', async () => {
    const session = await connectLegacyClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    const names = async () => (await session.client.listTools()).tools.map((tool) => tool.name);
    expect(await names()).toContain('create_document');
    const changed = nextCall<void>();
    session.client.setNotificationHandler(ToolListChangedNotificationSchema, async () => changed.callback());
    settings().update({ readOnly: true });
    try {
      await changed.promise;
      expect(await names()).not.toContain('create_document');
      const refused = await session.callTool('create_document', { contentType: 'category', data: { name: 'x' } });
      expect(refused.isError).toBe(true);
    } finally {
      settings().update({ readOnly: false });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await names()).toContain('create_document');
    await session.close();
  });
});

describe('asking the client for input', () => {
  const CONFIRM = z.object({ ok: z.boolean() });

  beforeAll(() => {
    registry().registerTool({
      name: 'confirm_choice',
      description: 'Asks the user to confirm, then reports the answer and the state it carried.',
      inputSchema: { choice: z.string() },
      handler: async ({ choice }: { choice: string }, context: McpToolContext) => {
        const state = context.requestState.read<{ choice: string }>();
        if (!state) {
          return inputRequired({
            inputRequests: {
              confirm: inputRequired.elicit({
                message: `Confirm ${choice}?`,
                requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
              }),
            },
            requestState: await context.requestState.seal({ choice }),
          });
        }
        const answer = acceptedContent(context.mcp.mcpReq.inputResponses, 'confirm', CONFIRM);
        const result = {
          choice: state.choice,
          confirmed: answer?.ok === true,
          protocolVersion: context.protocolVersion,
        };
        return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result };
      },
    });
    registry().registerTool({
      name: 'legacy_sampling',
      description: 'Written against the 1.x SDK: asks the client for a sampling through extra.sendRequest.',
      handler: async (_args: unknown, context: McpToolContext) => {
        await context.extra.sendRequest({
          method: 'sampling/createMessage',
          params: { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 5 },
        });
        return { content: [{ type: 'text', text: 'sampled' }] };
      },
    });
  });

  afterAll(() => {
    registry().unregisterTool('confirm_choice');
    registry().unregisterTool('legacy_sampling');
  });

  it.each(PROTOCOLS)('completes an input-required call at %s, with the state the tool sealed', async (protocol) => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    const session = await connectClient(app, token, { protocol, capabilities: { elicitation: {} } });
    const asked: string[] = [];
    const answer = async (request: { params: { message?: string } }) => {
      asked.push(String(request.params.message));
      return { action: 'accept' as const, content: { ok: true } };
    };
    if (protocol === MODERN_PROTOCOL) {
      (session.client as unknown as ModernClient).setRequestHandler('elicitation/create', answer as never);
    } else {
      session.client.setRequestHandler(ElicitRequestSchema, answer as never);
    }
    const result = await session.callTool('confirm_choice', { choice: 'blue' });
    expect(expectOk(result)).toEqual({ choice: 'blue', confirmed: true, protocolVersion: protocol });
    expect(asked).toEqual(['Confirm blue?']);
    // One row per round: the question, then the answer.
    const rows = await rowsFor({ tool: 'confirm_choice', protocolVersion: protocol });
    expect(rows.map((row) => [row.decision, row.reason]).reverse()).toEqual([
      ['allowed', 'input required: confirm'],
      ['allowed', null],
    ]);
    await session.close();
  });

  it('refuses a tampered request state, and one sealed for another caller', async () => {
    const readerHeaders = credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    const elicitation = { capabilities: { elicitation: {} } };
    const first = await modernRequest(
      app,
      readerHeaders,
      'tools/call',
      { name: 'confirm_choice', arguments: { choice: 'red' } },
      elicitation,
    );
    expect(first.json.result.resultType).toBe('input_required');
    const { requestState } = first.json.result;
    expect(typeof requestState).toBe('string');
    const retry = (headers: Record<string, string>, state: string) =>
      modernRequest(
        app,
        headers,
        'tools/call',
        {
          name: 'confirm_choice',
          arguments: { choice: 'red' },
          requestState: state,
          inputResponses: { confirm: { action: 'accept', content: { ok: true } } },
        },
        { ...elicitation, id: 2 },
      );

    const accepted = await retry(readerHeaders, requestState);
    expect(accepted.json.result.structuredContent).toMatchObject({ choice: 'red', confirmed: true });

    const tampered = await retry(readerHeaders, `${requestState.slice(0, -4)}AAAA`);
    expect(tampered.json.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState' });

    const adminHeaders = credentials(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
    const replayed = await retry(adminHeaders, requestState);
    expect(replayed.json.error).toMatchObject({ code: -32602 });
  });

  it('still runs a 1.x-style tool that asks through extra.sendRequest at 2025-11-25, and refuses it cleanly at 2026-07-28', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1');
    const legacy = await connectLegacyClient(app, token, { capabilities: { sampling: {} } });
    legacy.client.setRequestHandler(
      (await import('@modelcontextprotocol/sdk/types.js')).CreateMessageRequestSchema,
      async () => ({ role: 'assistant', content: { type: 'text', text: 'ok' }, model: 'test' }),
    );
    expect((await legacy.callTool('legacy_sampling')).content).toEqual([{ type: 'text', text: 'sampled' }]);
    await legacy.close();

    const modern = await connectModernClient(app, token, { capabilities: { sampling: {} } });
    const refused = await modern.callTool('legacy_sampling');
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused)).toMatch(/sampling\/createMessage the 2025-11-25 way.*inputRequired/);
    const [row] = await rowsFor({ tool: 'legacy_sampling', protocolVersion: MODERN_PROTOCOL });
    expect(row.decision).toBe('error');
    await modern.close();
  });
});

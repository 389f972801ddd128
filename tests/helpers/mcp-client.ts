/**
 * The official SDK clients over real HTTP, plus a raw JSON-RPC poster for the refusal paths. `connectClient` speaks
 * the revision `MCP_TEST_PROTOCOL` names (default 2026-07-28, with the SDK v2 client; 2025-11-25 with the SDK 1.x
 * client, as clients of that revision are built), so the whole suite runs through both request paths.
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TestApp } from './test-app';

export const MODERN_PROTOCOL = '2026-07-28';
export type TestProtocol = typeof MODERN_PROTOCOL | '2025-11-25';

/** The revision the suite speaks in this run. */
export const testProtocol = (): TestProtocol =>
  process.env.MCP_TEST_PROTOCOL === '2025-11-25' ? '2025-11-25' : MODERN_PROTOCOL;
export const isModernRun = () => testProtocol() === MODERN_PROTOCOL;

export interface ConnectedClient {
  /** The SDK 1.x `Client` (2025-11-25) or the SDK v2 `Client` (2026-07-28): the same methods for what tests use. */
  client: Client;
  protocol: TestProtocol;
  /** The session id under 2025-11-25; empty under 2026-07-28, which has no sessions. */
  sessionId: string;
  callTool(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export const credentials = (app: TestApp, token: string, secret: string = app.secret): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  'X-MCP-Internal-Secret': secret,
});

export interface ConnectOptions {
  headers?: Record<string, string>;
  capabilities?: Record<string, unknown>;
  /** Overrides `MCP_TEST_PROTOCOL` for tests about one revision. */
  protocol?: TestProtocol;
}

export const connectClient = (app: TestApp, token: string, options: ConnectOptions = {}): Promise<ConnectedClient> =>
  (options.protocol ?? testProtocol()) === MODERN_PROTOCOL
    ? connectModernClient(app, token, options)
    : connectLegacyClient(app, token, options);

/** The SDK v2 client pinned to 2026-07-28: no initialize, no session; every request carries its credentials. */
export const connectModernClient = async (
  app: TestApp,
  token: string,
  options: ConnectOptions = {},
): Promise<ConnectedClient> => {
  const transport = new ModernTransport(new URL(app.mcpUrl), {
    requestInit: { headers: { ...credentials(app, token), ...options.headers } },
  });
  const client = new ModernClient(
    { name: 'mcp-server-tests', version: '1.0.0' },
    { capabilities: options.capabilities ?? {}, versionNegotiation: { mode: { pin: MODERN_PROTOCOL } } },
  );
  await client.connect(transport);
  return {
    client: client as unknown as Client,
    protocol: MODERN_PROTOCOL,
    sessionId: '',
    callTool: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
};

export const connectLegacyClient = async (
  app: TestApp,
  token: string,
  options: ConnectOptions = {},
): Promise<ConnectedClient> => {
  const transport = new StreamableHTTPClientTransport(new URL(app.mcpUrl), {
    requestInit: { headers: { ...credentials(app, token), ...options.headers } },
  });
  const client = new Client(
    { name: 'mcp-server-tests', version: '1.0.0' },
    { capabilities: options.capabilities ?? {} },
  );
  await client.connect(transport);
  return {
    client,
    protocol: '2025-11-25',
    sessionId: transport.sessionId!,
    callTool: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
};

export const initializeMessage = (id: number | string = 1) => ({
  jsonrpc: '2.0' as const,
  id,
  method: 'initialize',
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'raw-test-client', version: '1.0.0' },
  },
});

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** One raw HTTP request to the MCP endpoint; the body is read whole (JSON, or the SSE text). */
export const rawRequest = async (
  app: TestApp,
  { method = 'POST', headers = {}, body }: { method?: string; headers?: Record<string, string>; body?: unknown },
): Promise<RawResponse> => {
  const response = await fetch(app.mcpUrl, {
    method,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    // The first event of a resumable stream is a priming event with empty data: skip it.
    const data = text.split('\n').find((line) => line.startsWith('data: ') && line.length > 'data: '.length);
    json = data ? JSON.parse(data.slice(6)) : undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
};

/** Opens a session with raw requests (initialize + initialized) and returns its id. */
export const openRawSession = async (
  app: TestApp,
  headers: Record<string, string>,
): Promise<RawResponse & { sessionId: string }> => {
  const response = await rawRequest(app, { headers, body: initializeMessage() });
  const sessionId = response.headers.get('mcp-session-id') ?? '';
  if (sessionId) {
    await rawRequest(app, {
      headers: { ...headers, 'mcp-session-id': sessionId },
      body: { jsonrpc: '2.0', method: 'notifications/initialized' },
    });
  }
  return { ...response, sessionId };
};

/** The `_meta` envelope every 2026-07-28 request carries. */
export const modernEnvelope = (capabilities: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': MODERN_PROTOCOL,
  'io.modelcontextprotocol/clientCapabilities': capabilities,
  'io.modelcontextprotocol/clientInfo': { name: 'raw-test-client', version: '1.0.0' },
});

/** One raw 2026-07-28 request, with the headers the revision requires (`Mcp-Name` for named methods). */
export const modernRequest = (
  app: TestApp,
  headers: Record<string, string>,
  method: string,
  params: Record<string, unknown> = {},
  { id = 1, capabilities = {} }: { id?: number | string; capabilities?: Record<string, unknown> } = {},
) => {
  const name = (params.name ?? params.uri) as string | undefined;
  return rawRequest(app, {
    headers: {
      'mcp-protocol-version': MODERN_PROTOCOL,
      'mcp-method': method,
      ...(name === undefined ? {} : { 'mcp-name': name }),
      ...headers,
    },
    body: { jsonrpc: '2.0', id, method, params: { ...params, _meta: modernEnvelope(capabilities) } },
  });
};

/**
 * The first request a client of this run's revision sends: `initialize` (2025-11-25) or `server/discover`
 * (2026-07-28). Refusal tests send it to see the HTTP pipeline answer either path.
 */
export const openingRequest = (
  app: TestApp,
  headers: Record<string, string>,
  protocol: TestProtocol = testProtocol(),
) =>
  protocol === MODERN_PROTOCOL
    ? modernRequest(app, headers, 'server/discover')
    : rawRequest(app, { headers, body: initializeMessage() });

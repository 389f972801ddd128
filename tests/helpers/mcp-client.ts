/** The official SDK client over real HTTP, plus a raw JSON-RPC poster for the refusal paths. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { LATEST_PROTOCOL_VERSION, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TestApp } from './test-app';

export interface ConnectedClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  sessionId: string;
  callTool(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export const credentials = (app: TestApp, token: string, secret: string = app.secret): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  'X-MCP-Internal-Secret': secret,
});

export const connectClient = async (
  app: TestApp,
  token: string,
  options: { headers?: Record<string, string>; capabilities?: Record<string, unknown> } = {},
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
    transport,
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
    const data = text.split('\n').find((line) => line.startsWith('data: '));
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

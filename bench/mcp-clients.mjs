/**
 * The clients the load generator speaks through: the SDK 1.x client on a 2025-11-25 session, the SDK v2 client
 * pinned to 2026-07-28 (no session: every call authenticated and served on its own), and bare JSON-RPC over fetch for
 * sessions that are opened and then left idle (no SDK client state, no standalone GET stream: only the server's
 * per-session state is measured).
 */
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export const LEGACY_PROTOCOL = '2025-11-25';
export const MODERN_PROTOCOL = '2026-07-28';
const CLIENT_INFO = { name: 'bench', version: '1.0.0' };

/** A fetch that records the size of each POST response body (the tools/call answers), for bytes per response. */
export const createCountingFetch = () => {
  const counter = { lastBytes: 0 };
  const countingFetch = async (url, init) => {
    const response = await fetch(url, init);
    if ((init?.method ?? 'GET') !== 'POST') return response;
    const bytes = new Uint8Array(await response.arrayBuffer());
    counter.lastBytes = bytes.byteLength;
    return new globalThis.Response(bytes, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return { fetch: countingFetch, counter };
};

/** A 2025-11-25 session; `close` ends it on the server too (DELETE), as a well-behaved client does. */
export const connectLegacy = async (url, headers, customFetch) => {
  const client = new LegacyClient(CLIENT_INFO);
  const transport = new LegacyTransport(new URL(url), {
    requestInit: { headers },
    ...(customFetch ? { fetch: customFetch } : {}),
  });
  await client.connect(transport);
  return {
    callTool: (params) => client.callTool(params),
    close: async () => {
      await transport.terminateSession().catch(() => undefined);
      await client.close();
    },
  };
};

export const connectModern = async (url, headers, customFetch) => {
  const client = new ModernClient(CLIENT_INFO, { versionNegotiation: { mode: { pin: MODERN_PROTOCOL } } });
  await client.connect(
    new ModernTransport(new URL(url), { requestInit: { headers }, ...(customFetch ? { fetch: customFetch } : {}) }),
  );
  return { callTool: (params) => client.callTool(params), close: () => client.close() };
};

const postJson = (url, headers, message, sessionId) =>
  fetch(url, {
    method: 'POST',
    headers: {
      ...headers,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(sessionId ? { 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY_PROTOCOL } : {}),
    },
    body: JSON.stringify(message),
  });

/** initialize + notifications/initialized, as a 2025-11-25 client does; returns the session id. */
export const openIdleSession = async (url, headers) => {
  const initialize = await postJson(url, headers, {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: LEGACY_PROTOCOL,
      capabilities: {},
      clientInfo: { name: 'bench-idle', version: '1.0.0' },
    },
  });
  const text = await initialize.text();
  const sessionId = initialize.headers.get('mcp-session-id');
  if (!initialize.ok || !sessionId)
    throw new Error(`initialize at ${url}: HTTP ${initialize.status} ${text.slice(0, 300)}`);
  const initialized = await postJson(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
  await initialized.arrayBuffer();
  if (!initialized.ok) throw new Error(`notifications/initialized at ${url}: HTTP ${initialized.status}`);
  return sessionId;
};

export const closeIdleSession = async (url, headers, sessionId) => {
  const response = await fetch(url, {
    method: 'DELETE',
    headers: { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': LEGACY_PROTOCOL },
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`DELETE session at ${url}: HTTP ${response.status}`);
};

import type { IncomingMessage, ServerResponse } from 'node:http';
import { NodeStreamableHTTPServerTransport } from '@modelcontextprotocol/node';
import { isInitializeRequest } from '@modelcontextprotocol/server';
import { accept, refuse, type Outcome } from '../outcome';
import { boundText } from '../services/audit/redact';
import type { McpCaller } from '../services/identity';
import type { McpSession, SessionConnection } from '../services/sessions';
import { createCallerServer, type CallerServerOptions } from './caller-server';
import { createSessionEventStore } from './event-store';

/** How long a client whose SSE stream was closed waits before it reconnects (the SSE `retry` field). */
const SSE_RETRY_MS = 1000;

export type SessionServerOptions = Omit<CallerServerOptions, 'caller' | 'era' | 'session' | 'offerByRbac'>;

const isInitializeBody = (body: unknown) =>
  Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);

const shortText = (value: unknown) => (typeof value === 'string' ? boundText(value, 100) : null);

/** What the client says it is, for the admin panel's Sessions page: bounded text, nothing else of the body. */
const readClientInfo = (body: unknown) => {
  const initialize = (Array.isArray(body) ? body : [body]).find((message) => isInitializeRequest(message));
  const params = isInitializeRequest(initialize) ? initialize.params : undefined;
  return {
    name: shortText(params?.clientInfo?.name),
    version: shortText(params?.clientInfo?.version),
    protocolVersion: shortText(params?.protocolVersion),
  };
};

/** Builds the session's MCP server and SDK transport; the transport issues the id the store drew. */
const connectSession = async (
  options: SessionServerOptions,
  session: McpSession,
  caller: McpCaller,
): Promise<SessionConnection> => {
  const { sessions } = options;
  const transport = new NodeStreamableHTTPServerTransport({
    sessionIdGenerator: () => session.id,
    onsessionclosed: (id) => void sessions.close(id, 'deleted'),
    // Resumable streams (SEP-1699): a priming event and `retry` on each POST stream, replay on GET + Last-Event-ID.
    eventStore: createSessionEventStore(),
    retryInterval: SSE_RETRY_MS,
  });
  transport.onclose = () => void sessions.close(session.id, 'transport-closed');
  const server = await createCallerServer({ ...options, caller, era: 'legacy', session, offerByRbac: true });
  await server.connect(transport);
  return {
    handle: (req: IncomingMessage, res: ServerResponse, body: unknown) => transport.handleRequest(req, res, body),
    get initialized() {
      return transport.sessionId !== undefined;
    },
    notifyResourceUpdated: (uri) => server.server.sendResourceUpdated({ uri }),
    // The session's offer is recomputed; the SDK sends list_changed for each list that changed.
    notifyListChanged: async () => server.refreshOffer(),
    close: () => server.close(),
  };
};

/**
 * The 2025-11-25 leg: the request's session (its owner checked against this caller), or a new one for an
 * `initialize` POST. Sessions keep their caps, idle expiry and identity binding in the sessions service.
 */
export const findOrOpenSession = async (
  options: SessionServerOptions,
  request: { method: string; sessionId: string; body: unknown },
  caller: McpCaller,
): Promise<Outcome<{ session: McpSession; opened: boolean }>> => {
  const { sessions } = options;
  if (request.sessionId) {
    const session = sessions.get(request.sessionId);
    if (!session?.connection) return refuse('session', 'session not found or expired; initialize a new session');
    if (session.identityKey !== caller.identityKey) {
      return refuse('session-identity', 'this session belongs to another identity');
    }
    return accept({ session, opened: false });
  }
  if (request.method !== 'POST' || !isInitializeBody(request.body)) {
    return refuse(
      'request',
      'Mcp-Session-Id header required; start with an initialize request (2025-11-25), or send MCP-Protocol-Version ' +
        '2026-07-28 with the request _meta (2026-07-28 has no sessions)',
    );
  }
  const opened = await sessions.open(caller);
  if (!opened.ok) return opened;
  opened.value.client = readClientInfo(request.body);
  try {
    opened.value.connection = await connectSession(options, opened.value, caller);
  } catch (error) {
    await sessions.close(opened.value.id, 'failed-initialize');
    throw error;
  }
  return accept({ session: opened.value, opened: true });
};

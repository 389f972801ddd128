/**
 * Raw calls for the rate-limit tests, in the revision this run speaks: a 2026-07-28 request on its own, or a request
 * on a 2025-11-25 session opened once per credential (its initialize is a handshake, never charged).
 */
import {
  initializeMessage,
  isModernRun,
  MODERN_PROTOCOL,
  modernEnvelope,
  openRawSession,
  rawRequest,
  type RawResponse,
} from './mcp-client';
import type { TestApp } from './test-app';

const sessions = new WeakMap<TestApp, Map<string, string>>();

const sessionOf = async (app: TestApp, headers: Record<string, string>) => {
  const known = sessions.get(app) ?? new Map<string, string>();
  sessions.set(app, known);
  let sessionId = known.get(headers.Authorization);
  if (!sessionId) {
    const opened = await openRawSession(app, headers);
    if (!opened.sessionId) throw new Error(`could not open a session: ${opened.status} ${opened.text}`);
    sessionId = opened.sessionId;
    known.set(headers.Authorization, sessionId);
  }
  return sessionId;
};

/** `count` tools/list requests in one POST (a JSON-RPC batch when more than one). */
export const listTools = async (app: TestApp, headers: Record<string, string>, count = 1): Promise<RawResponse> => {
  const message = (id: number) => ({
    jsonrpc: '2.0',
    id,
    method: 'tools/list',
    params: isModernRun() ? { _meta: modernEnvelope() } : {},
  });
  const body = count === 1 ? message(1) : Array.from({ length: count }, (_, index) => message(index + 1));
  if (isModernRun()) {
    return rawRequest(app, {
      headers: { ...headers, 'mcp-protocol-version': MODERN_PROTOCOL, 'mcp-method': 'tools/list' },
      body,
    });
  }
  return rawRequest(app, { headers: { ...headers, 'mcp-session-id': await sessionOf(app, headers) }, body });
};

/** The handshake of this run's revision: `initialize` (2025-11-25) or `server/discover` (2026-07-28). */
export const handshakeMessage = () =>
  isModernRun()
    ? { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: modernEnvelope() } }
    : initializeMessage();

export const handshakeHeaders = (): Record<string, string> =>
  isModernRun() ? { 'mcp-protocol-version': MODERN_PROTOCOL, 'mcp-method': 'server/discover' } : {};

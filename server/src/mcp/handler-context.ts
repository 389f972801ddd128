import type { Core } from '@strapi/strapi';
import type { AuthInfo, ServerContext } from '@modelcontextprotocol/server';
import { echo, McpToolError } from '../errors';
import type { LegacyRequestExtra, McpHandlerContext, McpRequestMeta, ProtocolEra } from '../extension/definitions';
import type { McpCaller } from '../services/identity';
import type { CallPolicy } from '../services/policy';

/** What the HTTP pipeline learned about one request, carried to the handlers in the SDK's `authInfo.extra`. */
export interface RequestFacts {
  caller: McpCaller;
  request: McpRequestMeta;
  era: ProtocolEra;
  /** The revision the request speaks: its `MCP-Protocol-Version` (2026-07-28 requests always send it). */
  protocolVersion: string;
  /** Whether the request asks for a list or completions, which then follow Strapi's RBAC too. */
  asksForList: boolean;
}

/**
 * The caller travels from the HTTP pipeline to the handlers through the SDK's `authInfo` (set as `req.auth`), so every
 * request carries the identity it was authenticated with, in both revisions.
 */
export const toAuthInfo = (facts: RequestFacts, token: string): AuthInfo => ({
  token,
  clientId: facts.caller.subject ?? facts.caller.email,
  scopes: [],
  expiresAt: typeof facts.caller.claims.exp === 'number' ? facts.caller.claims.exp : undefined,
  extra: { facts },
});

export const readFacts = (authInfo: AuthInfo | undefined): RequestFacts => {
  const facts = authInfo?.extra?.facts as RequestFacts | undefined;
  // Unreachable through the HTTP pipeline; fail closed if a handler is ever invoked another way.
  if (!facts?.caller) throw new Error('mcp-server: request reached a handler without an authenticated caller');
  return facts;
};

/**
 * The 1.x SDK's request extras, kept for tools written against them: `sendNotification` (progress, logging) and
 * `sendRequest` (sampling, elicitation; 2025-11-25 requests only, since 2026-07-28 has no server-to-client requests).
 */
const toLegacyExtra = (ctx: ServerContext, era: ProtocolEra): LegacyRequestExtra => ({
  signal: ctx.mcpReq.signal,
  sessionId: ctx.sessionId,
  requestId: ctx.mcpReq.id,
  _meta: ctx.mcpReq._meta,
  authInfo: ctx.http?.authInfo,
  sendNotification: (notification) => ctx.mcpReq.notify(notification),
  sendRequest: async (request) => {
    if (era === 'modern') {
      throw new McpToolError(
        `this tool asks the client for ${echo(request.method, 60)} the 2025-11-25 way, which 2026-07-28 does not ` +
          'have; call it from a 2025-11-25 session, or ask its author to return inputRequired(...)',
        undefined,
        'failed',
      );
    }
    // Without a session (sessions.mode: 'stateless') the client's answer would reach another request, or another
    // replica, and the call would wait for it forever.
    if (!ctx.sessionId) {
      throw new McpToolError(
        `this tool asks the client for ${echo(request.method, 60)} during the call, which needs a 2025-11-25 ` +
          "session; this server answers 2025-era requests without sessions (sessions.mode: 'stateless'): call it " +
          'from a 2026-07-28 client',
        undefined,
        'failed',
      );
    }
    return ctx.mcpReq.send(request as never);
  },
});

/** The context of one request: its caller, and the caller's policy built once for it. */
export const createHandlerContext = (
  strapi: Core.Strapi,
  ctx: ServerContext,
  policyFor: (caller: McpCaller) => CallPolicy,
  requestState: McpHandlerContext['requestState'],
): McpHandlerContext => {
  const facts = readFacts(ctx.http?.authInfo);
  return {
    strapi,
    caller: facts.caller,
    policy: policyFor(facts.caller),
    sessionId: ctx.sessionId ?? '',
    era: facts.era,
    protocolVersion: facts.protocolVersion,
    request: facts.request,
    signal: ctx.mcpReq.signal,
    mcp: ctx,
    extra: toLegacyExtra(ctx, facts.era),
    requestState,
  };
};

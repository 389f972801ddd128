import type { Core } from '@strapi/strapi';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { McpHandlerContext, McpRequestMeta } from '../extension/definitions';
import type { McpCaller } from '../services/identity';
import type { CallPolicy } from '../services/policy';

type Extra = McpHandlerContext['extra'];

/**
 * The caller travels from the HTTP pipeline to the handlers through the SDK's `authInfo`
 * (set as `req.auth`), so every request carries the identity it was authenticated with.
 */
export const toAuthInfo = (caller: McpCaller, token: string, request: McpRequestMeta): AuthInfo => ({
  token,
  clientId: caller.subject ?? caller.email,
  scopes: [],
  expiresAt: typeof caller.claims.exp === 'number' ? caller.claims.exp : undefined,
  extra: { caller, request },
});

export const readCaller = (extra: Pick<Extra, 'authInfo'>): McpCaller => {
  const caller = extra.authInfo?.extra?.caller as McpCaller | undefined;
  // Unreachable through the HTTP pipeline; fail closed if a handler is ever invoked another way.
  if (!caller) throw new Error('mcp-server: request reached a handler without an authenticated caller');
  return caller;
};

/** The context of one request: its caller, and the caller's policy built once for it. */
export const createHandlerContext = (
  strapi: Core.Strapi,
  extra: Extra,
  policyFor: (caller: McpCaller) => CallPolicy,
): McpHandlerContext => {
  const caller = readCaller(extra);
  return {
    strapi,
    caller,
    policy: policyFor(caller),
    sessionId: extra.sessionId ?? '',
    request: (extra.authInfo?.extra?.request as McpRequestMeta | undefined) ?? { ip: null, userAgent: null },
    signal: extra.signal,
    extra,
  };
};

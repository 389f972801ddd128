import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { readPluginConfig } from '../config/read-plugin-config';
import type { IdentityService, McpCaller } from '../services/identity';
import type { McpSession, SessionConnection, SessionsService } from '../services/sessions';
import type { ToolsService } from '../services/tools';
import { createSessionServer } from './create-session-server';
import { toAuthInfo } from './handler-context';
import { accept, refuse, toRefusalResponse, type Outcome, type Refusal } from './refusals';
import { checkOrigin, checkProtocolVersion, createOriginPolicy } from './request-guards';

export interface McpCollaborators {
  strapi: Core.Strapi;
  identity: IdentityService;
  sessions: SessionsService;
  registry: ToolsService;
}

const writeRefusal = (ctx: Context, refusal: Refusal) => {
  const response = toRefusalResponse(refusal);
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
};

const isInitializeBody = (body: unknown) =>
  Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);

/** Builds the session's MCP server and SDK transport; the transport issues the id the store drew. */
const connectSession = async (
  { strapi, sessions, registry }: McpCollaborators,
  session: McpSession,
  caller: McpCaller,
): Promise<SessionConnection> => {
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => session.id,
    onsessionclosed: (id) => void sessions.close(id, 'deleted'),
  });
  transport.onclose = () => void sessions.close(session.id, 'transport-closed');
  const server = createSessionServer({ strapi, caller, session, registry });
  await server.connect(transport);
  return {
    handle: (req, res, body) => transport.handleRequest(req, res, body),
    get initialized() {
      return transport.sessionId !== undefined;
    },
    close: () => server.close(),
  };
};

/**
 * The HTTP pipeline of POST/GET/DELETE /api/mcp-server/mcp, in order:
 * origin → protocol version → internal secret → JWT → admin user → session (open one, or find it and check
 * its owner) → the SDK transport, which writes the response itself (`ctx.respond = false`).
 */
export const createMcpRequestHandler = (collaborators: McpCollaborators) => {
  const { strapi, identity, sessions } = collaborators;
  const config = readPluginConfig(strapi);
  const originPolicy = createOriginPolicy(
    config.allowedOrigins,
    config.allowLoopbackOrigins ?? strapi.config.get('environment') === 'development',
  );

  const findOrOpenSession = async (
    ctx: Context,
    caller: McpCaller,
    body: unknown,
  ): Promise<Outcome<{ session: McpSession; opened: boolean }>> => {
    const sessionId = ctx.get('mcp-session-id');
    if (sessionId) {
      const session = sessions.get(sessionId);
      if (!session?.connection) return refuse('session', 'session not found or expired; initialize a new session');
      if (session.identityKey !== caller.identityKey) {
        return refuse('session-identity', 'this session belongs to another identity');
      }
      return accept({ session, opened: false });
    }
    if (ctx.method !== 'POST' || !isInitializeBody(body)) {
      return refuse('request', 'Mcp-Session-Id header required; start with an initialize request');
    }
    const opened = sessions.open(caller);
    if (!opened.ok) return opened;
    try {
      opened.value.connection = await connectSession(collaborators, opened.value, caller);
    } catch (error) {
      await sessions.close(opened.value.id, 'failed-initialize');
      throw error;
    }
    return accept({ session: opened.value, opened: true });
  };

  return async (ctx: Context) => {
    try {
      const guard =
        checkOrigin(ctx.get('origin') || undefined, originPolicy) ??
        checkProtocolVersion(ctx.get('mcp-protocol-version') || undefined);
      if (guard) return writeRefusal(ctx, guard);

      const authorization = ctx.get('authorization') || undefined;
      const authenticated = await identity.authenticate({
        internalSecret: ctx.get('x-mcp-internal-secret') || undefined,
        authorization,
      });
      if (!authenticated.ok) return writeRefusal(ctx, authenticated.refusal);
      const caller = authenticated.value;

      const body = ctx.method === 'POST' ? ctx.request.body : undefined;
      const found = await findOrOpenSession(ctx, caller, body);
      if (!found.ok) return writeRefusal(ctx, found.refusal);
      const { session, opened } = found.value;
      const connection = session.connection!;

      ctx.respond = false;
      ctx.res.once('close', sessions.track(session));
      const req = ctx.req as IncomingMessage & { auth?: AuthInfo };
      req.auth = toAuthInfo(caller, authorization!.replace(/^Bearer\s+/i, ''));
      await connection.handle(req, ctx.res, body);

      // An initialize the SDK rejected (malformed, unsupported) leaves no session behind.
      if (opened && !connection.initialized) await sessions.close(session.id, 'failed-initialize');
    } catch (error) {
      strapi.log.error(`[mcp-server] request failed: ${(error as Error)?.stack ?? String(error)}`);
      if (!ctx.res.headersSent) {
        ctx.respond = true;
        writeRefusal(ctx, { type: 'internal', reason: 'internal error' });
      }
    }
  };
};

import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest, isJSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpRequestMeta } from '../extension/definitions';
import { accept, refuse, type Outcome, type Refusal, type RefusalType } from '../outcome';
import type { AuditService } from '../services/audit';
import type { IdentityService, McpCaller } from '../services/identity';
import type { PolicyService } from '../services/policy';
import type { McpSession, SessionConnection, SessionsService } from '../services/sessions';
import type { SettingsService } from '../services/settings';
import type { ToolsService } from '../services/tools';
import { createSessionServer } from './create-session-server';
import { toAuthInfo } from './handler-context';
import { toRefusalResponse } from './refusals';
import { checkOrigin, checkProtocolVersion, createOriginPolicy } from './request-guards';

export interface McpCollaborators {
  strapi: Core.Strapi;
  identity: IdentityService;
  sessions: SessionsService;
  registry: ToolsService;
  audit: AuditService;
  policies: PolicyService;
  settings: SettingsService;
}

const writeRefusal = (ctx: Context, refusal: Refusal) => {
  const response = toRefusalResponse(refusal);
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
};

/**
 * Refusals that are about who is calling, recorded in the audit trail; protocol noise (404, 400) is not. They are
 * counted, one row per address, refusal and minute: whoever can reach the endpoint can send them by the thousand.
 */
const AUDITED_REFUSALS: Partial<Record<RefusalType, string>> = {
  origin: 'authenticate',
  secret: 'authenticate',
  token: 'authenticate',
  'admin-user': 'authenticate',
  'identity-provider': 'authenticate',
  'session-identity': 'use-session',
  'session-limit': 'open-session',
  'batch-limit': 'call-tools',
};

const readRequestMeta = (ctx: Context): McpRequestMeta => ({
  ip: ctx.request.ip || null,
  userAgent: ctx.get('user-agent').slice(0, 500) || null,
});

const isInitializeBody = (body: unknown) =>
  Array.isArray(body) ? body.some((message) => isInitializeRequest(message)) : isInitializeRequest(body);

/** Tool calls in one POST: a JSON-RPC batch may not multiply a call's budget. */
const countToolCalls = (body: unknown) =>
  (Array.isArray(body) ? body : [body]).filter(
    (message) => isJSONRPCRequest(message) && (message as { method: string }).method === 'tools/call',
  ).length;

/** Builds the session's MCP server and SDK transport; the transport issues the id the store drew. */
const connectSession = async (
  collaborators: McpCollaborators,
  session: McpSession,
  caller: McpCaller,
): Promise<SessionConnection> => {
  const { sessions } = collaborators;
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: () => session.id,
    onsessionclosed: (id) => void sessions.close(id, 'deleted'),
  });
  transport.onclose = () => void sessions.close(session.id, 'transport-closed');
  const server = createSessionServer({ ...collaborators, caller, session });
  await server.connect(transport);
  return {
    handle: (req, res, body) => transport.handleRequest(req, res, body),
    get initialized() {
      return transport.sessionId !== undefined;
    },
    notifyResourceUpdated: (uri) => server.server.sendResourceUpdated({ uri }),
    close: () => server.close(),
  };
};

/**
 * The HTTP pipeline of POST/GET/DELETE /api/mcp-server/mcp, in order:
 * origin → protocol version → internal secret → JWT → admin user → session (open one, or find it and check
 * its owner) → the SDK transport, which writes the response itself (`ctx.respond = false`).
 */
export const createMcpRequestHandler = (collaborators: McpCollaborators) => {
  const { strapi, identity, sessions, audit, settings } = collaborators;
  const originPolicy = settings.derived((config) =>
    createOriginPolicy(
      config.allowedOrigins,
      config.allowLoopbackOrigins ?? strapi.config.get('environment') === 'development',
    ),
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

  const refuseAndRecord = (
    ctx: Context,
    meta: McpRequestMeta,
    outcome: { refusal: Refusal; claimedEmail?: string; subject?: string },
    caller?: McpCaller,
  ) => {
    const action = AUDITED_REFUSALS[outcome.refusal.type];
    if (action) {
      audit.recordRefusal({
        decision: 'denied',
        action,
        reason: `${outcome.refusal.type}: ${outcome.refusal.reason}`,
        adminUserId: caller?.adminUser.id ?? null,
        adminUserEmail: caller?.email ?? outcome.claimedEmail ?? null,
        role: caller?.role ?? null,
        tenant: caller?.tenant ?? null,
        subject: caller?.subject ?? outcome.subject ?? null,
        // Only an authenticated caller's own claim to a session is worth recording; anyone can send a header.
        sessionId: caller ? ctx.get('mcp-session-id').slice(0, 100) || null : null,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    writeRefusal(ctx, outcome.refusal);
  };

  return async (ctx: Context) => {
    try {
      const meta = readRequestMeta(ctx);
      const guard =
        checkOrigin(ctx.get('origin') || undefined, originPolicy()) ??
        checkProtocolVersion(ctx.get('mcp-protocol-version') || undefined);
      if (guard) return refuseAndRecord(ctx, meta, { refusal: guard });

      const authorization = ctx.get('authorization') || undefined;
      const authenticated = await identity.authenticate({
        internalSecret: ctx.get('x-mcp-internal-secret') || undefined,
        authorization,
      });
      if (!authenticated.ok) return refuseAndRecord(ctx, meta, authenticated);
      const caller = authenticated.value;

      const body = ctx.method === 'POST' ? ctx.request.body : undefined;
      const { maxToolCallsPerRequest } = settings.get().limits;
      if (countToolCalls(body) > maxToolCallsPerRequest) {
        return refuseAndRecord(
          ctx,
          meta,
          refuse(
            'batch-limit',
            `at most ${maxToolCallsPerRequest} tool call(s) per request; send the others separately`,
          ),
          caller,
        );
      }
      const found = await findOrOpenSession(ctx, caller, body);
      if (!found.ok) return refuseAndRecord(ctx, meta, found, caller);
      const { session, opened } = found.value;
      const connection = session.connection!;

      ctx.respond = false;
      ctx.res.once('close', sessions.track(session));
      const req = ctx.req as IncomingMessage & { auth?: AuthInfo };
      req.auth = toAuthInfo(caller, authorization!.replace(/^Bearer\s+/i, ''), meta);
      await connection.handle(req, ctx.res, body);

      // An initialize the SDK rejected (malformed, unsupported) leaves no session behind.
      if (opened && !connection.initialized) await sessions.close(session.id, 'failed-initialize');
    } catch (error) {
      strapi.log.error(`[mcp-server] request failed: ${((error as Error)?.stack ?? String(error)).slice(0, 4000)}`);
      if (!ctx.res.headersSent) {
        ctx.respond = true;
        writeRefusal(ctx, { type: 'internal', reason: 'internal error' });
      }
    }
  };
};

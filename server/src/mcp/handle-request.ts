import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { isInitializeRequest, isJSONRPCRequest, isLegacyRequest, type AuthInfo } from '@modelcontextprotocol/server';
import type { McpRequestMeta, ProtocolEra } from '../extension/definitions';
import { refuse, type Refusal, type RefusalType } from '../outcome';
import type { AuditService } from '../services/audit';
import type { IdentityService, McpCaller } from '../services/identity';
import type { PolicyService } from '../services/policy';
import type { SessionsService } from '../services/sessions';
import type { SettingsService } from '../services/settings';
import type { ToolsService } from '../services/tools';
import { toAuthInfo, type RequestFacts } from './handler-context';
import { findOrOpenSession } from './legacy-sessions';
import { createModernEndpoint, MODERN_PROTOCOL_VERSIONS } from './modern-endpoint';
import { toRefusalResponse } from './refusals';
import { createRequestStateSealer } from './request-state';
import { checkOrigin, checkProtocolVersion, createOriginPolicy, LEGACY_PROTOCOL_VERSIONS } from './request-guards';

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

/** Tool calls in one POST: a JSON-RPC batch may not multiply a call's budget. */
const countToolCalls = (body: unknown) =>
  (Array.isArray(body) ? body : [body]).filter(
    (message) => isJSONRPCRequest(message) && (message as { method: string }).method === 'tools/call',
  ).length;

/**
 * Which revision a request speaks, by the SDK's own rule: a request carrying the 2026-07-28 `_meta` envelope (or a
 * malformed claim to it) is modern, anything else 2025-era. A GET or DELETE naming a modern revision in its header is
 * answered by the modern leg (405: 2026-07-28 has no sessions).
 */
const classifyEra = async (ctx: Context, body: unknown): Promise<ProtocolEra> => {
  if (ctx.method !== 'POST') {
    return MODERN_PROTOCOL_VERSIONS.includes(ctx.get('mcp-protocol-version')) ? 'modern' : 'legacy';
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (typeof value === 'string') headers.set(name, value);
  }
  const request = new Request(`http://localhost${ctx.url}`, { method: 'POST', headers });
  return (await isLegacyRequest(request, body ?? {})) ? 'legacy' : 'modern';
};

/** The revision of a 2025-era request: its header, else the one its initialize asks for, else the spec's default. */
const legacyProtocolVersion = (ctx: Context, body: unknown): string => {
  const header = ctx.get('mcp-protocol-version');
  if (header) return header;
  const requested = isInitializeRequest(body) ? body.params.protocolVersion : undefined;
  return requested && LEGACY_PROTOCOL_VERSIONS.includes(requested) ? requested : '2025-03-26';
};

/**
 * The HTTP pipeline of POST/GET/DELETE /api/mcp-server/mcp, in order:
 * origin → revision (2026-07-28 or 2025-era) → internal secret → JWT → admin user → tool-call budget →
 * 2026-07-28: the SDK's stateless handler, with this request's caller; 2025-era: the session (open one, or find it
 * and check its owner) and its SDK transport. The SDK writes the response itself (`ctx.respond = false`).
 */
export const createMcpRequestHandler = (collaborators: McpCollaborators) => {
  const { strapi, identity, sessions, audit, settings } = collaborators;
  const originPolicy = settings.derived((config) =>
    createOriginPolicy(
      config.allowedOrigins,
      config.allowLoopbackOrigins ?? strapi.config.get('environment') === 'development',
    ),
  );
  const serverOptions = {
    ...collaborators,
    requestState: createRequestStateSealer(strapi, () => settings.get().limits.listCacheTtlMs),
  };
  const modern = createModernEndpoint(serverOptions);

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
        protocolVersion: ctx.get('mcp-protocol-version').slice(0, 40) || null,
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    writeRefusal(ctx, outcome.refusal);
  };

  const handle = async (ctx: Context) => {
    try {
      const meta = readRequestMeta(ctx);
      const originRefusal = checkOrigin(ctx.get('origin') || undefined, originPolicy());
      if (originRefusal) return refuseAndRecord(ctx, meta, { refusal: originRefusal });

      const body = ctx.method === 'POST' ? ctx.request.body : undefined;
      const era = await classifyEra(ctx, body);
      // 2026-07-28 requests are checked by the SDK (version, envelope, headers), with that revision's error codes.
      const versionRefusal = era === 'legacy' ? checkProtocolVersion(ctx.get('mcp-protocol-version')) : undefined;
      if (versionRefusal) return refuseAndRecord(ctx, meta, { refusal: versionRefusal });

      const authorization = ctx.get('authorization') || undefined;
      const authenticated = await identity.authenticate({
        internalSecret: ctx.get('x-mcp-internal-secret') || undefined,
        authorization,
      });
      if (!authenticated.ok) return refuseAndRecord(ctx, meta, authenticated);
      const caller = authenticated.value;
      sessions.noticeIdentity(caller);

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

      const facts: RequestFacts = {
        caller,
        request: meta,
        era,
        protocolVersion: era === 'modern' ? ctx.get('mcp-protocol-version') : legacyProtocolVersion(ctx, body),
      };
      const req = ctx.req as IncomingMessage & { auth?: AuthInfo };
      req.auth = toAuthInfo(facts, authorization!.replace(/^Bearer\s+/i, ''));

      if (era === 'modern') {
        ctx.respond = false;
        await modern.handle(req, ctx.res, body);
        return;
      }

      const found = await findOrOpenSession(
        serverOptions,
        { method: ctx.method, sessionId: ctx.get('mcp-session-id'), body },
        caller,
      );
      if (!found.ok) return refuseAndRecord(ctx, meta, found, caller);
      const { session, opened } = found.value;
      const connection = session.connection!;

      ctx.respond = false;
      ctx.res.once('close', sessions.track(session));
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

  return Object.assign(handle, { close: () => modern.close() });
};

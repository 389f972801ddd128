import type { IncomingMessage } from 'node:http';
import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import {
  classifyInboundRequest,
  isInitializeRequest,
  isJSONRPCRequest,
  type AuthInfo,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { McpRequestMeta, ProtocolEra } from '../extension/definitions';
import { echo } from '../errors';
import { accept, refuse, type Refusal, type RefusalType } from '../outcome';
import type { AuditService } from '../services/audit';
import type { IdentityService, McpCaller } from '../services/identity';
import { describeCredential } from '../services/identity/caller';
import type { OAuthService } from '../services/oauth';
import type { PolicyService } from '../services/policy';
import type { RateLimitsService } from '../services/rate-limits';
import type { SessionsService } from '../services/sessions';
import type { SettingsService } from '../services/settings';
import type { ToolsService } from '../services/tools';
import { mayWatchResource } from './caller-server';
import { readFacts, toAuthInfo, type RequestFacts } from './handler-context';
import { findOrOpenSession } from './legacy-sessions';
import { closeStreamAfter, readListenFilter, streamDeadlineMs } from './listen-streams';
import { createModernEndpoint, MODERN_PROTOCOL_VERSIONS } from './modern-endpoint';
import { createRefusalLog } from './refusal-log';
import { toRefusalResponse, type BearerChallenge } from './refusals';
import { createRequestStateSealer } from './request-state';
import { checkOrigin, checkProtocolVersion, createOriginPolicy, LEGACY_PROTOCOL_VERSIONS } from './request-guards';

export interface McpCollaborators {
  strapi: Core.Strapi;
  identity: IdentityService;
  oauth: OAuthService;
  sessions: SessionsService;
  registry: ToolsService;
  audit: AuditService;
  policies: PolicyService;
  settings: SettingsService;
  rateLimits: RateLimitsService;
}

const writeRefusal = (ctx: Context, refusal: Refusal, challenge?: BearerChallenge) => {
  const response = toRefusalResponse(refusal, challenge);
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
  access: 'authenticate',
  'identity-provider': 'authenticate',
  'session-identity': 'use-session',
  'session-limit': 'open-session',
  'stream-limit': 'listen',
  subscription: 'subscribe',
  'batch-limit': 'call-tools',
  'rate-limit': 'request',
};

const readRequestMeta = (ctx: Context): McpRequestMeta => ({
  ip: ctx.request.ip || null,
  userAgent: ctx.get('user-agent').slice(0, 500) || null,
});

/**
 * The SDK transport writes the response itself. The status is set first so that Strapi's `errors` middleware, which
 * builds a 404 for any response without an explicit status, does no work on MCP requests.
 */
const handOverResponse = (ctx: Context) => {
  ctx.status = 200;
  ctx.respond = false;
};

/** JSON nesting a request may have: deeper bodies exhaust the SDK's recursive validators. */
const MAX_BODY_DEPTH = 256;

const exceedsDepth = (body: unknown, max = MAX_BODY_DEPTH): boolean => {
  const stack: Array<[unknown, number]> = [[body, 0]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (!value || typeof value !== 'object') continue;
    if (depth >= max) return true;
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
  return false;
};

const messagesOf = (body: unknown): Array<{ method?: unknown; params?: Record<string, unknown> }> =>
  (Array.isArray(body) ? body : [body]).filter(
    (message): message is { method?: unknown; params?: Record<string, unknown> } =>
      !!message && typeof message === 'object',
  );

/**
 * 2025-era requests never carry the retry fields of 2026-07-28: there the server asks the client itself, on the
 * session. A client that sends them would answer a question it was never asked.
 */
const carriesRetryFields = (body: unknown) =>
  messagesOf(body).some(
    (message) => message.params && ('requestState' in message.params || 'inputResponses' in message.params),
  );

/** Tool calls in one POST: a JSON-RPC batch may not multiply a call's budget. */
const countToolCalls = (body: unknown) =>
  messagesOf(body).filter((message) => isJSONRPCRequest(message) && message.method === 'tools/call').length;

/** Requests for what the caller is offered: under 2026-07-28 their server also follows Strapi's RBAC. */
const LIST_METHODS = new Set<unknown>([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'completion/complete',
]);
const asksForList = (body: unknown) =>
  messagesOf(body).some((message) => isJSONRPCRequest(message) && LIST_METHODS.has(message.method));

/** Requests that open a conversation rather than ask for work: no call budget is charged for them. */
const HANDSHAKES = new Set<unknown>(['initialize', 'server/discover']);

/** Calls in one POST, as the rate limit counts them: its JSON-RPC requests but the handshake (a batch of N costs N). */
const countCalls = (body: unknown) =>
  messagesOf(body).filter((message) => isJSONRPCRequest(message) && !HANDSHAKES.has(message.method)).length;

/**
 * Which revision a request speaks, by the SDK's own rule (`classifyInboundRequest`, the step behind its
 * `isLegacyRequest`, given the body Strapi parsed and the headers it reads): a request carrying the 2026-07-28 `_meta`
 * envelope (or a malformed claim to it) is modern, anything else 2025-era. A GET or DELETE naming a modern revision in
 * its header is answered by the modern leg (405: 2026-07-28 has no sessions).
 */
const classifyEra = (ctx: Context, body: unknown): ProtocolEra => {
  if (ctx.method !== 'POST') {
    return MODERN_PROTOCOL_VERSIONS.includes(ctx.get('mcp-protocol-version')) ? 'modern' : 'legacy';
  }
  const header = (name: string) => {
    const value = ctx.req.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const outcome = classifyInboundRequest({
    httpMethod: 'POST',
    protocolVersionHeader: header('mcp-protocol-version'),
    mcpMethodHeader: header('mcp-method'),
    mcpNameHeader: header('mcp-name'),
    body,
  });
  return outcome.kind === 'legacy' ? 'legacy' : 'modern';
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
 * origin → a JSON body Strapi parsed → body depth → revision (2026-07-28 or 2025-era) → the address's
 * failed-authentication budget → the credential (internal secret as that credential requires it; a JWT and its admin
 * user, or a Strapi admin token and its owner) → tool calls per request → call budget →
 * 2026-07-28, and 2025-era in `sessions.mode: 'stateless'`: the SDK's stateless handler, with this request's caller;
 * 2025-era in `memory` mode: the session (open one, or find it and check its owner) and its SDK transport. The SDK
 * writes the response itself (`ctx.respond = false`).
 */
export const createMcpRequestHandler = (collaborators: McpCollaborators) => {
  const { strapi, identity, sessions, audit, settings, rateLimits } = collaborators;
  const originPolicy = settings.derived((config) =>
    createOriginPolicy(
      config.allowedOrigins,
      config.allowLoopbackOrigins ?? strapi.config.get('environment') === 'development',
    ),
  );
  const serverOptions = {
    ...collaborators,
    requestState: createRequestStateSealer(strapi, (ctx) => recordStateRefusal(ctx)),
  };
  const modern = createModernEndpoint(serverOptions);
  const logRefusal = createRefusalLog(strapi, settings);

  /**
   * A listen stream holds a slot until it closes: counted per user, ended when the token expires, and watching only
   * resources the caller may watch.
   */
  const openListenStream = (ctx: Context, caller: McpCaller, filter: { resourceSubscriptions?: unknown }) => {
    const uris = Array.isArray(filter.resourceSubscriptions) ? filter.resourceSubscriptions : [];
    const listing = { caller, strapi, policy: collaborators.policies.forCaller(caller) };
    const refused = uris.find(
      (uri) => typeof uri !== 'string' || !mayWatchResource(collaborators.registry, listing, uri),
    );
    if (refused !== undefined) {
      return refuse('subscription', `resource ${echo(String(refused), 200)} cannot be watched`);
    }
    const started = sessions.startListening(caller.adminUser.id, () => ctx.res.destroy());
    if (!started.ok) return started;
    ctx.res.once('close', started.value);
    closeStreamAfter(ctx.res, streamDeadlineMs(caller, settings.get().sessions.maxLifetimeMs));
    return accept(undefined);
  };

  /** A retried 2026-07-28 call whose requestState fails verification: refused by the SDK, recorded here. */
  const recordStateRefusal = (ctx: ServerContext) => {
    const { caller, request, protocolVersion } = readFacts(ctx.http?.authInfo);
    audit.recordRefusal({
      decision: 'denied',
      action: ctx.mcpReq.method,
      reason: 'request-state: invalid or expired requestState (tampered, expired, or sealed for another call)',
      adminUserId: caller.adminUser.id,
      adminUserEmail: caller.email,
      role: collaborators.policies.roleOf(caller),
      tenant: caller.tenant,
      subject: caller.subject,
      credential: describeCredential(caller.credential),
      protocolVersion,
      ip: request.ip,
      userAgent: request.userAgent,
    });
  };

  /** Only a session of this caller, and only a revision this endpoint speaks, are worth a column. */
  const recordedSession = (ctx: Context, caller?: McpCaller) => {
    const id = ctx.get('mcp-session-id').slice(0, 100);
    return caller && id && sessions.get(id)?.identityKey === caller.identityKey ? id : null;
  };
  const recordedProtocol = (ctx: Context) => {
    const version = ctx.get('mcp-protocol-version');
    if (!version) return null;
    return MODERN_PROTOCOL_VERSIONS.includes(version) || LEGACY_PROTOCOL_VERSIONS.includes(version) ? version : 'other';
  };

  const refuseAndRecord = (
    ctx: Context,
    meta: McpRequestMeta,
    outcome: { refusal: Refusal; claimedEmail?: string; subject?: string; credential?: string },
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
        role: caller ? collaborators.policies.roleOf(caller) : null,
        tenant: caller?.tenant ?? null,
        subject: caller?.subject ?? outcome.subject ?? null,
        credential: caller ? describeCredential(caller.credential) : (outcome.credential ?? null),
        sessionId: recordedSession(ctx, caller),
        protocolVersion: recordedProtocol(ctx),
        ip: meta.ip,
        userAgent: meta.userAgent,
      });
    }
    logRefusal({ refusal: outcome.refusal, ip: meta.ip, email: caller?.email ?? outcome.claimedEmail ?? null });
    writeRefusal(ctx, outcome.refusal, { resourceMetadata: collaborators.oauth.metadataUrl(ctx) });
    collaborators.oauth.noteRefusal(meta.ip, outcome.refusal, ctx.status);
  };

  const handle = async (ctx: Context) => {
    try {
      const meta = readRequestMeta(ctx);
      if (!settings.get().enabled) {
        return writeRefusal(ctx, {
          type: 'disabled',
          reason: 'the MCP server is switched off by an administrator (Settings → MCP Server)',
        });
      }
      const originRefusal = checkOrigin(ctx.get('origin') || undefined, originPolicy());
      if (originRefusal) return refuseAndRecord(ctx, meta, { refusal: originRefusal });

      const body = ctx.method === 'POST' ? ctx.request.body : undefined;
      // Every check below reads the body Strapi parsed: a POST it did not parse as JSON never reaches the SDK, which
      // would read the raw body itself, past them.
      if (ctx.method === 'POST' && (!ctx.is('application/json') || typeof body !== 'object' || body === null)) {
        return refuseAndRecord(
          ctx,
          meta,
          refuse('content-type', 'the request body must be JSON, sent as Content-Type: application/json'),
        );
      }
      if (exceedsDepth(body)) {
        return refuseAndRecord(
          ctx,
          meta,
          refuse('request', `the request is nested deeper than ${MAX_BODY_DEPTH} levels`),
        );
      }
      const era = classifyEra(ctx, body);
      // 2026-07-28 requests are checked by the SDK (version, envelope, headers), with that revision's error codes.
      const versionRefusal = era === 'legacy' ? checkProtocolVersion(ctx.get('mcp-protocol-version')) : undefined;
      if (versionRefusal) return refuseAndRecord(ctx, meta, { refusal: versionRefusal });

      // Not recorded: a brute force must neither pass nor write the audit trail.
      const address = await rateLimits.checkAddress(meta.ip);
      if (!address.ok) return writeRefusal(ctx, address.refusal);

      const authorization = ctx.get('authorization') || undefined;
      const authenticated = await identity.authenticate({
        internalSecret: ctx.get('x-mcp-internal-secret') || undefined,
        authorization,
      });
      if (!authenticated.ok) {
        await rateLimits.recordAuthenticationRefusal(meta.ip, authenticated.refusal);
        return refuseAndRecord(ctx, meta, authenticated);
      }
      const caller = authenticated.value;
      sessions.noticeIdentity(caller);

      const { maxToolCallsPerRequest } = settings.get().limits;
      const toolCalls = countToolCalls(body);
      if (toolCalls > maxToolCallsPerRequest) {
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

      if (era === 'legacy' && carriesRetryFields(body)) {
        return refuseAndRecord(
          ctx,
          meta,
          refuse(
            'request',
            'requestState and inputResponses belong to 2026-07-28 requests; a 2025 session is asked by the server',
          ),
          caller,
        );
      }

      const charged = await rateLimits.chargeCalls(caller, countCalls(body));
      if (!charged.ok) return refuseAndRecord(ctx, meta, charged, caller);

      const facts: RequestFacts = {
        caller,
        request: meta,
        era,
        protocolVersion: era === 'modern' ? ctx.get('mcp-protocol-version') : legacyProtocolVersion(ctx, body),
        asksForList: asksForList(body),
      };
      const req = ctx.req as IncomingMessage & { auth?: AuthInfo };
      req.auth = toAuthInfo(facts, authorization!.replace(/^Bearer\s+/i, ''));

      if (era === 'modern' || settings.get().sessions.mode === 'stateless') {
        const listen = era === 'modern' ? readListenFilter(body) : undefined;
        if (listen) {
          const opened = openListenStream(ctx, caller, listen);
          if (!opened.ok) return refuseAndRecord(ctx, meta, opened, caller);
        }
        handOverResponse(ctx);
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
      session.calls += toolCalls;

      handOverResponse(ctx);
      ctx.res.once('close', sessions.track(session));
      if (ctx.method === 'GET')
        closeStreamAfter(ctx.res, streamDeadlineMs(caller, settings.get().sessions.maxLifetimeMs));
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

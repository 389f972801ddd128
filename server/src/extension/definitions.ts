import type { Core } from '@strapi/strapi';
import type {
  AuthInfo,
  CallToolResult,
  GetPromptResult,
  InputRequiredResult,
  Notification,
  ReadResourceResult,
  Request,
  RequestId,
  RequestMeta,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
} from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { CallTrail } from '../services/audit/call-trail';
import type { McpCaller } from '../services/identity';
import type { CallPolicy } from '../services/policy';

/** A zod object shape, e.g. `{ contentType: z.string() }`. */
export type ArgsShape = Record<string, z.ZodType>;
export type ArgsOf<Shape extends ArgsShape> = z.output<z.ZodObject<Shape>>;
/**
 * A tool's whole input schema, for what a zod shape cannot say: a zod object (e.g. `z.object({...}).strict()`), or a
 * JSON Schema kept as it is with `fromJsonSchema(...)` from `@modelcontextprotocol/server` (2020-12 `$defs`, `$anchor`,
 * `allOf`/`anyOf`, `if`/`then`/`else`, `additionalProperties: false`). Arguments are validated against it.
 */
export type FullInputSchema = StandardSchemaWithJSON<Record<string, unknown>, Record<string, unknown>>;

/** Facts about the HTTP request a handler runs for. */
export interface McpRequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** `legacy`: 2025-11-25 and older (sessions); `modern`: 2026-07-28 (stateless, one request at a time). */
export type ProtocolEra = 'legacy' | 'modern';

/**
 * The request extras of the 1.x SDK, still given to handlers written against them. `sendRequest` (sampling,
 * elicitation) works on 2025-11-25 requests only; under 2026-07-28 return `inputRequired(...)` from
 * `@modelcontextprotocol/server` instead, which serves both revisions.
 */
export interface LegacyRequestExtra {
  signal: AbortSignal;
  sessionId?: string;
  requestId: RequestId;
  _meta?: RequestMeta;
  authInfo?: AuthInfo;
  sendNotification(notification: Notification): Promise<void>;
  sendRequest(request: Request, resultSchema?: unknown): Promise<unknown>;
}

/** What every handler receives besides its arguments. */
export interface McpHandlerContext {
  strapi: Core.Strapi;
  /** The identity of this request, re-verified for every HTTP request. */
  caller: McpCaller;
  /** The policy as it applies to this caller, built once for this request. */
  policy: CallPolicy;
  /** The 2025-11-25 session id; empty under 2026-07-28, which has no sessions. */
  sessionId: string;
  era: ProtocolEra;
  /** The MCP revision of this request, e.g. `2026-07-28` or `2025-11-25`. */
  protocolVersion: string;
  request: McpRequestMeta;
  /** Aborted when the client cancels the request or the session ends. */
  signal: AbortSignal;
  /**
   * The SDK v2 handler context (`mcpReq.notify`, `mcpReq.log`, `mcpReq.inputResponses`, `mcpReq.requestState()`,
   * `mcpReq._meta.progressToken`).
   */
  mcp: ServerContext;
  /** The same request as the 1.x SDK's extras, for handlers written against them. */
  extra: LegacyRequestExtra;
  /**
   * State a handler carries across the rounds of an `inputRequired(...)` flow: `seal(state)` gives the
   * `requestState` to return (signed, bound to this caller and this handler, valid ten minutes), `read()` the state
   * the client sent back, or undefined. A tampered or expired state is refused before the handler runs.
   */
  requestState: { seal(state: unknown): Promise<string>; read<T>(): T | undefined };
}

/** Completion values for a partial input, computed for the session's caller. */
export type CompleteCallback = (
  value: string,
  context: { strapi: Core.Strapi; caller: McpCaller; policy: CallPolicy },
) => string[] | Promise<string[]>;

/**
 * Whether a definition is offered to this caller (listed, and callable). `policy` is the caller's policy; a caller
 * without a known policy role is offered `whoami` and nothing else, whatever this says.
 */
export type AvailabilityCheck = (caller: McpCaller, strapi: Core.Strapi, policy: CallPolicy) => boolean;

export interface McpToolDefinition<Shape extends ArgsShape = ArgsShape> {
  name: string;
  title?: string;
  description: string;
  /** The arguments: a zod object shape (the usual way), or a full schema (FullInputSchema). */
  inputSchema?: Shape | FullInputSchema;
  outputSchema?: ArgsShape;
  annotations?: ToolAnnotations;
  /**
   * Whether `tools/list` shows the tool to this caller, and whether the caller may call it. Default: everyone. In
   * read-only mode only tools annotated `readOnlyHint: true` are offered.
   */
  isAvailableTo?: AvailabilityCheck;
  /**
   * Returns the tool's result, or `inputRequired(...)` to ask the client for input first (elicitation, sampling,
   * roots): the call then comes back with `context.mcp.mcpReq.inputResponses` under 2026-07-28, and the SDK asks the
   * client itself under 2025-11-25.
   */
  handler: (
    args: ArgsOf<Shape>,
    context: McpToolContext,
  ) => Promise<CallToolResult | InputRequiredResult> | CallToolResult | InputRequiredResult;
}

/** Tools also get the audit row of their call, to record what they resolved. */
export interface McpToolContext extends McpHandlerContext {
  audit: CallTrail;
}

export interface McpResourceDefinition {
  name: string;
  /** A fixed URI, or an RFC 6570 template such as `strapi://content-types/{uid}`. Exactly one of the two. */
  uri?: string;
  uriTemplate?: string;
  title?: string;
  description?: string;
  mimeType?: string;
  /**
   * Clients may subscribe to it (`resources/subscribe` under 2025-11-25, `subscriptions/listen` under 2026-07-28);
   * announce changes with the sessions service's `notifyResourceUpdated`.
   */
  subscribable?: boolean;
  /**
   * Whether this caller may watch this concrete URI (for templates: one whose variables name what the caller may
   * read, e.g. their own tenant). Default: any URI of the resource, for callers it is offered to.
   */
  canSubscribe?: (
    uri: URL,
    variables: Record<string, string | string[]>,
    context: { strapi: Core.Strapi; caller: McpCaller; policy: CallPolicy },
  ) => boolean;
  /** For templates: the concrete resources `resources/list` shows to this caller. */
  list?: (
    context: Omit<McpHandlerContext, 'signal' | 'extra' | 'mcp'>,
  ) => Promise<Array<{ uri: string; name: string; title?: string; mimeType?: string }>>;
  /** For templates: completion values for a template variable, for this session's caller. */
  complete?: Record<string, CompleteCallback>;
  isAvailableTo?: AvailabilityCheck;
  read: (
    uri: URL,
    variables: Record<string, string | string[]>,
    context: McpHandlerContext,
  ) => Promise<ReadResourceResult | InputRequiredResult> | ReadResourceResult | InputRequiredResult;
}

export interface McpPromptDefinition<Shape extends ArgsShape = ArgsShape> {
  name: string;
  title?: string;
  description: string;
  /** Prompt arguments; the MCP spec allows only string arguments. */
  argsSchema?: Shape;
  /** Completion values per argument, for `completion/complete`. */
  complete?: Partial<Record<keyof Shape & string, CompleteCallback>>;
  isAvailableTo?: AvailabilityCheck;
  handler: (
    args: ArgsOf<Shape>,
    context: McpHandlerContext,
  ) => Promise<GetPromptResult | InputRequiredResult> | GetPromptResult | InputRequiredResult;
}

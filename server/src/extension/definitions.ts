import type { Core } from '@strapi/strapi';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  GetPromptResult,
  ReadResourceResult,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { CallTrail } from '../services/audit/call-trail';
import type { McpCaller } from '../services/identity';
import type { CallPolicy } from '../services/policy';

/** A zod object shape, e.g. `{ contentType: z.string() }`. */
export type ArgsShape = Record<string, z.ZodType>;
export type ArgsOf<Shape extends ArgsShape> = z.output<z.ZodObject<Shape>>;

/** Facts about the HTTP request a handler runs for. */
export interface McpRequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** What every handler receives besides its arguments. */
export interface McpHandlerContext {
  strapi: Core.Strapi;
  /** The identity of this request, re-verified for every HTTP request. */
  caller: McpCaller;
  /** The policy as it applies to this caller, built once for this request. */
  policy: CallPolicy;
  sessionId: string;
  request: McpRequestMeta;
  /** Aborted when the client cancels the request or the session ends. */
  signal: AbortSignal;
  /** The SDK's request extras: `sendNotification` (progress, logging) and `sendRequest` (sampling, elicitation). */
  extra: RequestHandlerExtra<ServerRequest, ServerNotification>;
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
  inputSchema?: Shape;
  outputSchema?: ArgsShape;
  annotations?: ToolAnnotations;
  /**
   * Whether `tools/list` shows the tool to this caller, and whether the caller may call it. Default: everyone. In
   * read-only mode only tools annotated `readOnlyHint: true` are offered.
   */
  isAvailableTo?: AvailabilityCheck;
  handler: (args: ArgsOf<Shape>, context: McpToolContext) => Promise<CallToolResult> | CallToolResult;
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
  /** Clients may `resources/subscribe` to it; announce changes with the sessions service's `notifyResourceUpdated`. */
  subscribable?: boolean;
  /** For templates: the concrete resources `resources/list` shows to this caller. */
  list?: (
    context: Omit<McpHandlerContext, 'signal' | 'extra'>,
  ) => Promise<Array<{ uri: string; name: string; title?: string; mimeType?: string }>>;
  /** For templates: completion values for a template variable, for this session's caller. */
  complete?: Record<string, CompleteCallback>;
  isAvailableTo?: AvailabilityCheck;
  read: (
    uri: URL,
    variables: Record<string, string | string[]>,
    context: McpHandlerContext,
  ) => Promise<ReadResourceResult> | ReadResourceResult;
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
  handler: (args: ArgsOf<Shape>, context: McpHandlerContext) => Promise<GetPromptResult> | GetPromptResult;
}

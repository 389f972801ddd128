import type { Core } from '@strapi/strapi';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  McpError,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import pkg from '../../../package.json';
import { echo } from '../errors';
import type {
  ArgsShape,
  CompleteCallback,
  McpHandlerContext,
  McpPromptDefinition,
  McpResourceDefinition,
  McpToolDefinition,
} from '../extension/definitions';
import { toolErrorResult } from '../extension/tool-results';
import type { AuditService } from '../services/audit';
import { createCallTrail } from '../services/audit/call-trail';
import type { McpCaller } from '../services/identity';
import type { CallPolicy, PolicyService } from '../services/policy';
import type { McpSession, SessionsService } from '../services/sessions';
import type { SettingsService } from '../services/settings';
import type { ToolsService } from '../services/tools';
import { createHandlerContext } from './handler-context';
import { runRequestSafely, runTool } from './run-safely';

const INSTRUCTIONS =
  'This server reaches Strapi CMS content as the signed-in person: every call runs under their Strapi admin account, ' +
  'role and tenant, and is recorded. Call whoami to see who you act as and what you may do.';

interface SessionServerOptions {
  strapi: Core.Strapi;
  caller: McpCaller;
  session: McpSession;
  sessions: SessionsService;
  registry: ToolsService;
  audit: AuditService;
  policies: PolicyService;
  settings: SettingsService;
}

type Extra = McpHandlerContext['extra'];

const isAvailable = (
  definition: { isAvailableTo?: McpToolDefinition['isAvailableTo'] },
  context: { caller: McpCaller; strapi: Core.Strapi; policy: CallPolicy },
) => definition.isAvailableTo?.(context.caller, context.strapi, context.policy) ?? true;

const bindCompletions = (
  callbacks: Partial<Record<string, CompleteCallback>> | undefined,
  context: { strapi: Core.Strapi; caller: McpCaller; policy: CallPolicy },
) =>
  callbacks &&
  Object.fromEntries(
    Object.entries(callbacks).map(([name, complete]) => [name, (value: string) => complete!(value ?? '', context)]),
  );

/** The zod message of an invalid argument list, clipped: it may quote the caller's keys. */
const describeInvalidArguments = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((issue) => `${echo(issue.path.join('.') || '(arguments)', 60)}: ${echo(issue.message, 200)}`)
    .join('; ');

/**
 * One MCP server per session, holding only what this caller may use: `tools/list`, `resources/list`
 * and `prompts/list` never show anything the caller's identity cannot call. Every `tools/call` goes through one
 * dispatch that opens the call's audit row first, so an unknown tool or invalid arguments are recorded too.
 */
export const createSessionServer = (options: SessionServerOptions): McpServer => {
  const { strapi, caller, session, sessions, registry, audit, policies, settings } = options;
  const config = settings.get();
  const server = new McpServer(
    { name: 'strapi-mcp-server', title: 'Strapi MCP Server', version: pkg.version },
    { capabilities: { logging: {}, completions: {} }, instructions: INSTRUCTIONS },
  );
  const contextOf = (extra: Extra) =>
    createHandlerContext(strapi, extra, (requestCaller) => policies.forCaller(requestCaller));
  const sessionPolicy = policies.forCaller(caller);
  const listing = { caller, strapi, policy: sessionPolicy };
  // A caller without a known policy role may call whoami and nothing else, whatever other plugins register.
  const hasRole = sessionPolicy.role !== null;
  const offered = <T extends { name: string; isAvailableTo?: McpToolDefinition['isAvailableTo'] }>(
    definitions: T[],
    allowedWithoutRole: (definition: T) => boolean,
  ) =>
    definitions.filter((definition) => (hasRole || allowedWithoutRole(definition)) && isAvailable(definition, listing));

  // Read-only mode offers only the tools that say they only read.
  const tools = offered(registry.listTools(), (tool) => tool.name === 'whoami').filter(
    (tool) => !config.readOnly || tool.annotations?.readOnlyHint === true,
  );
  const argumentSchemas = new Map(tools.map((tool) => [tool.name, z.object(tool.inputSchema ?? {})]));
  const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));

  const callTool = async (name: string, args: unknown, extra: Extra): Promise<CallToolResult> => {
    const context = contextOf(extra);
    const trail = createCallTrail(
      audit,
      {
        decision: 'allowed',
        tool: name,
        arguments: args,
        sessionId: context.sessionId,
        adminUserId: context.caller.adminUser.id,
        adminUserEmail: context.caller.email,
        role: context.caller.role,
        tenant: context.caller.tenant,
        subject: context.caller.subject,
        ip: context.request.ip,
        userAgent: context.request.userAgent,
      },
      settings.get().audit.redactKeys,
    );
    const tool = toolsByName.get(name);
    // Availability is checked again: it may depend on more than the identity the session was opened with.
    // Refusals read as the SDK's own ("MCP error -32602: Tool x not found"), so clients see what they expect.
    if (!tool || !isAvailable(tool, context)) {
      const refusal = new McpError(ErrorCode.InvalidParams, `Tool ${echo(name, 64)} not found`);
      trail.finish('denied', `${refusal.message} among the tools offered to this caller`);
      return toolErrorResult(refusal.message);
    }
    const parsed = argumentSchemas.get(name)!.safeParse(args ?? {});
    if (!parsed.success) {
      const refusal = new McpError(
        ErrorCode.InvalidParams,
        `Input validation error: Invalid arguments for tool ${name}: ${describeInvalidArguments(parsed.error)}`,
      );
      trail.finish('denied', refusal.message);
      return toolErrorResult(refusal.message);
    }
    const started = sessions.startCall(context.caller.adminUser.id, context.caller.tenant);
    if (!started.ok) {
      trail.finish('denied', started.reason);
      return toolErrorResult(started.reason);
    }
    try {
      return await runTool(strapi, tool, parsed.data, { ...context, audit: trail });
    } finally {
      started.finish();
    }
  };

  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema ?? {},
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      (args: Record<string, unknown>, extra) => callTool(tool.name, args, extra),
    );
  }
  // The SDK answers unknown tools and invalid arguments before any handler runs: dispatch every call here instead.
  if (tools.length > 0) {
    server.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      callTool(request.params.name, request.params.arguments, extra),
    );
  }

  const resources = offered(registry.listResources(), () => false);
  resources.forEach((resource) => addResource(server, strapi, listing, contextOf, resource));
  if (resources.some((resource) => resource.subscribable)) enableSubscriptions(server, session);

  offered(registry.listPrompts(), () => false).forEach((prompt) =>
    addPrompt(server, strapi, listing, contextOf, prompt),
  );

  return server;
};

type ContextOf = (extra: Extra) => McpHandlerContext;
type Listing = { strapi: Core.Strapi; caller: McpCaller; policy: CallPolicy };

const addResource = (
  server: McpServer,
  strapi: Core.Strapi,
  listing: Listing,
  contextOf: ContextOf,
  resource: McpResourceDefinition,
) => {
  const metadata = { title: resource.title, description: resource.description, mimeType: resource.mimeType };
  const what = `resource ${resource.name}`;
  if (resource.uri) {
    server.registerResource(resource.name, resource.uri, metadata, (uri, extra) =>
      runRequestSafely(strapi, what, () => resource.read(uri, {}, contextOf(extra))),
    );
    return;
  }
  const template = new ResourceTemplate(resource.uriTemplate!, {
    list: resource.list
      ? async (extra) => {
          const { signal: _signal, extra: _extra, ...context } = contextOf(extra);
          return { resources: await runRequestSafely(strapi, what, () => resource.list!(context)) };
        }
      : undefined,
    complete: bindCompletions(resource.complete, listing),
  });
  server.registerResource(resource.name, template, metadata, (uri, variables, extra) =>
    runRequestSafely(strapi, what, () => resource.read(uri, variables, contextOf(extra))),
  );
};

const withCompletions = (prompt: McpPromptDefinition, listing: Listing): ArgsShape | undefined => {
  if (!prompt.argsSchema || !prompt.complete) return prompt.argsSchema;
  const callbacks = bindCompletions(prompt.complete, listing)!;
  return Object.fromEntries(
    Object.entries(prompt.argsSchema).map(([name, schema]) => {
      const complete = callbacks[name];
      // completable() marks the schema it is given, permanently: mark a per-session clone, never the registry's schema.
      return [name, complete ? completable((schema as z.ZodString).clone(), (value) => complete(value ?? '')) : schema];
    }),
  ) as ArgsShape;
};

const addPrompt = (
  server: McpServer,
  strapi: Core.Strapi,
  listing: Listing,
  contextOf: ContextOf,
  prompt: McpPromptDefinition,
) => {
  // Like tools: without an args schema the SDK calls the callback with (extra) alone, so always give it one.
  const argsSchema = withCompletions(prompt, listing) ?? {};
  const what = `prompt ${prompt.name}`;
  const config = { title: prompt.title, description: prompt.description, argsSchema };
  server.registerPrompt(
    prompt.name,
    config as { description: string; argsSchema: ArgsShape },
    ((args: Record<string, unknown>, extra: Extra) =>
      runRequestSafely(strapi, what, () => prompt.handler(args as never, contextOf(extra)))) as never,
  );
};

/** Resource subscriptions are per session; `notifyResourceUpdated` in the sessions service fans updates out. */
const enableSubscriptions = (server: McpServer, session: McpSession) => {
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    session.subscriptions.add(request.params.uri);
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    session.subscriptions.delete(request.params.uri);
    return {};
  });
};

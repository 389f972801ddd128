import type { Core } from '@strapi/strapi';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import pkg from '../../../package.json';
import type { McpCaller } from '../services/identity';
import type { McpSession } from '../services/sessions';
import type { ToolsService } from '../services/tools';
import type {
  ArgsShape,
  CompleteCallback,
  McpPromptDefinition,
  McpResourceDefinition,
  McpToolDefinition,
} from './definitions';
import { createHandlerContext } from './handler-context';
import { readPluginConfig } from '../config/read-plugin-config';
import { getService } from '../services/get-service';
import type { AuditService } from '../services/audit';
import { createCallTrail } from '../services/audit/call-trail';
import { runRequestSafely, runTool } from './run-safely';
import { toolErrorResult } from './tool-results';

const INSTRUCTIONS =
  'This server reaches Strapi CMS content as the signed-in person: every call runs under their Strapi admin account, ' +
  'role and tenant, and is recorded. Call whoami to see who you act as and what you may do.';

interface SessionServerOptions {
  strapi: Core.Strapi;
  caller: McpCaller;
  session: McpSession;
  registry: ToolsService;
  audit: AuditService;
}

const isAvailable = (
  definition: { isAvailableTo?: (caller: McpCaller, strapi: Core.Strapi) => boolean },
  caller: McpCaller,
  strapi: Core.Strapi,
) => definition.isAvailableTo?.(caller, strapi) ?? true;

const addTool = (server: McpServer, strapi: Core.Strapi, audit: AuditService, tool: McpToolDefinition) => {
  const { redactKeys } = readPluginConfig(strapi).audit;
  server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      inputSchema: tool.inputSchema ?? {},
      outputSchema: tool.outputSchema,
      annotations: tool.annotations,
    },
    async (args: Record<string, unknown>, extra) => {
      const base = createHandlerContext(strapi, extra);
      const { caller, request, sessionId } = base;
      const trail = createCallTrail(
        audit,
        {
          decision: 'allowed',
          tool: tool.name,
          arguments: args,
          sessionId,
          adminUserId: caller.adminUser.id,
          adminUserEmail: caller.email,
          role: caller.role,
          tenant: caller.tenant,
          subject: caller.subject,
          ip: request.ip,
          userAgent: request.userAgent,
        },
        redactKeys,
      );
      const context = { ...base, audit: trail };
      // The session is bound to one identity, so this only fails if availability depends on more than identity.
      if (!isAvailable(tool, caller, strapi)) {
        const message = `The tool ${tool.name} is not available to your role.`;
        trail.finish('denied', message);
        return toolErrorResult(message);
      }
      return runTool(strapi, tool, args, context);
    },
  );
};

const bindCompletions = (
  callbacks: Partial<Record<string, CompleteCallback>> | undefined,
  strapi: Core.Strapi,
  caller: McpCaller,
) =>
  callbacks &&
  Object.fromEntries(
    Object.entries(callbacks).map(([name, complete]) => [
      name,
      (value: string) => complete!(value ?? '', { strapi, caller }),
    ]),
  );

const addResource = (server: McpServer, strapi: Core.Strapi, caller: McpCaller, resource: McpResourceDefinition) => {
  const metadata = { title: resource.title, description: resource.description, mimeType: resource.mimeType };
  const what = `resource ${resource.name}`;
  if (resource.uri) {
    server.registerResource(resource.name, resource.uri, metadata, (uri, extra) =>
      runRequestSafely(strapi, what, () => resource.read(uri, {}, createHandlerContext(strapi, extra))),
    );
    return;
  }
  const template = new ResourceTemplate(resource.uriTemplate!, {
    list: resource.list
      ? async (extra) => {
          const { signal: _signal, extra: _extra, ...context } = createHandlerContext(strapi, extra);
          return { resources: await runRequestSafely(strapi, what, () => resource.list!(context)) };
        }
      : undefined,
    complete: bindCompletions(resource.complete, strapi, caller),
  });
  server.registerResource(resource.name, template, metadata, (uri, variables, extra) =>
    runRequestSafely(strapi, what, () => resource.read(uri, variables, createHandlerContext(strapi, extra))),
  );
};

const withCompletions = (
  prompt: McpPromptDefinition,
  strapi: Core.Strapi,
  caller: McpCaller,
): ArgsShape | undefined => {
  if (!prompt.argsSchema || !prompt.complete) return prompt.argsSchema;
  const callbacks = bindCompletions(prompt.complete, strapi, caller)!;
  return Object.fromEntries(
    Object.entries(prompt.argsSchema).map(([name, schema]) => {
      const complete = callbacks[name];
      // completable() marks the schema it is given, permanently: mark a per-session clone, never the registry's schema.
      return [name, complete ? completable((schema as z.ZodString).clone(), (value) => complete(value ?? '')) : schema];
    }),
  ) as ArgsShape;
};

const addPrompt = (server: McpServer, strapi: Core.Strapi, caller: McpCaller, prompt: McpPromptDefinition) => {
  // Like tools: without an args schema the SDK calls the callback with (extra) alone, so always give it one.
  const argsSchema = withCompletions(prompt, strapi, caller) ?? {};
  const what = `prompt ${prompt.name}`;
  const config = { title: prompt.title, description: prompt.description, argsSchema };
  server.registerPrompt(
    prompt.name,
    config as { description: string; argsSchema: ArgsShape },
    ((args: Record<string, unknown>, extra: Parameters<typeof createHandlerContext>[1]) =>
      runRequestSafely(strapi, what, () =>
        prompt.handler(args as never, createHandlerContext(strapi, extra)),
      )) as never,
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

/**
 * One MCP server per session, holding only what this caller may use: `tools/list`, `resources/list`
 * and `prompts/list` never show anything the caller's identity cannot call.
 */
export const createSessionServer = ({ strapi, caller, session, registry, audit }: SessionServerOptions): McpServer => {
  const server = new McpServer(
    { name: 'strapi-mcp-server', title: 'Strapi MCP Server', version: pkg.version },
    { capabilities: { logging: {}, completions: {} }, instructions: INSTRUCTIONS },
  );
  // A caller without a known policy role may call whoami and nothing else, whatever other plugins register.
  const hasRole = getService(strapi, 'policy').forCaller(caller).role !== null;
  const offered = <T extends { name: string; isAvailableTo?: McpToolDefinition['isAvailableTo'] }>(
    definitions: T[],
    allowedWithoutRole: (definition: T) => boolean,
  ) =>
    definitions.filter(
      (definition) => (hasRole || allowedWithoutRole(definition)) && isAvailable(definition, caller, strapi),
    );

  offered(registry.listTools(), (tool) => tool.name === 'whoami').forEach((tool) =>
    addTool(server, strapi, audit, tool),
  );

  const resources = offered(registry.listResources(), () => false);
  resources.forEach((resource) => addResource(server, strapi, caller, resource));
  if (resources.some((resource) => resource.subscribable)) enableSubscriptions(server, session);

  offered(registry.listPrompts(), () => false).forEach((prompt) => addPrompt(server, strapi, caller, prompt));

  return server;
};

import type { Core } from '@strapi/strapi';
import {
  completable,
  McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceTemplate,
  UriTemplate,
  type CallToolResult,
  type InputRequiredResult,
  type ServerContext,
  type StandardSchemaV1,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import pkg from '../../../package.json';
import { canonicalJson } from '../canonical-json';
import { mutationModeOf } from '../config/mutation-mode';
import { echo } from '../errors';
import type {
  ArgsShape,
  CompleteCallback,
  McpHandlerContext,
  McpPromptDefinition,
  McpResourceDefinition,
  McpToolDefinition,
  ProtocolEra,
} from '../extension/definitions';
import { toolErrorResult } from '../extension/tool-results';
import type { AuditService } from '../services/audit';
import { createCallTrail } from '../services/audit/call-trail';
import type { McpCaller } from '../services/identity';
import { describeCredential } from '../services/identity/caller';
import type { CallPolicy, PolicyService } from '../services/policy';
import type { McpSession, SessionsService } from '../services/sessions';
import type { SettingsService } from '../services/settings';
import type { ToolsService } from '../services/tools';
import { mutationOffer } from '../tools/mutation-offer';
import { perTypeToolsFor } from '../tools/per-type';
import { createHandlerContext } from './handler-context';
import { listCacheHints } from './list-cache';
import { listedToolOf, promptArgumentsOf, schemasOf } from './shared-schemas';
import { runRequestSafely, runTool } from './run-safely';
import type { RequestStateSealer } from './request-state';

const INSTRUCTIONS =
  'This server reaches Strapi CMS content as the signed-in person: every call runs under their Strapi admin account, ' +
  'role and tenant, and is recorded. Call whoami to see who you act as and what you may do.';

export interface CallerServerOptions {
  strapi: Core.Strapi;
  caller: McpCaller;
  era: ProtocolEra;
  /** The 2025-11-25 session the server belongs to; none under 2026-07-28, where a server lives for one request. */
  session?: McpSession;
  sessions: SessionsService;
  registry: ToolsService;
  audit: AuditService;
  policies: PolicyService;
  settings: SettingsService;
  requestState: RequestStateSealer;
  /**
   * Whether what is offered also follows Strapi's RBAC (model level), which costs building the caller's ability:
   * a 2025 session's server (built once) always; a 2026-07-28 request's when it asks for a list.
   */
  offerByRbac: boolean;
}

const isAvailable = (
  definition: { isAvailableTo?: McpToolDefinition['isAvailableTo'] },
  context: { caller: McpCaller; strapi: Core.Strapi; policy: CallPolicy },
) => definition.isAvailableTo?.(context.caller, context.strapi, context.policy) ?? true;

/**
 * Completion callbacks bound to the caller's listing as it is when a completion is asked for (the policy and Strapi's
 * RBAC in force then); a session keeps no listing between requests.
 */
const bindCompletions = (
  callbacks: Partial<Record<string, CompleteCallback>> | undefined,
  currentListing: ListingNow,
) =>
  callbacks &&
  Object.fromEntries(
    Object.entries(callbacks).map(([name, complete]) => [
      name,
      async (value: string) => complete!(value ?? '', await currentListing()),
    ]),
  );

/** The validation message of an invalid argument list, clipped: it may quote the caller's keys. */
const describeInvalidArguments = (issues: readonly StandardSchemaV1.Issue[]) =>
  issues
    .slice(0, 5)
    .map((issue) => {
      const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment));
      return `${echo(path.join('.') || '(arguments)', 60)}: ${echo(issue.message, 200)}`;
    })
    .join('; ');

/**
 * One MCP server for one caller, holding only what this caller may use: `tools/list`, `resources/list` and
 * `prompts/list` never show anything the caller's identity cannot call. Under 2025-11-25 it lives as long as the
 * session; under 2026-07-28 it is built for one request. Every `tools/call` goes through one dispatch that opens the
 * call's audit row first, so an unknown tool or invalid arguments are recorded too.
 */
export const createCallerServer = async (options: CallerServerOptions) => {
  const { strapi, caller, session, sessions, registry, audit, policies, settings, offerByRbac } = options;
  const server = new McpServer(
    { name: 'strapi-mcp-server', title: 'Strapi MCP Server', version: pkg.version },
    {
      capabilities: { logging: {}, completions: {} },
      instructions: INSTRUCTIONS,
      // 2026-07-28 lists are private to the caller; how long a client may keep one is the policy's to say.
      cacheHints: listCacheHints(caller, settings.get().limits.listCacheTtlMs),
      requestState: { verify: options.requestState.verify },
    },
  );
  const contextOf = (name: string, args: unknown, ctx: ServerContext) =>
    createHandlerContext(
      strapi,
      ctx,
      (requestCaller) => policies.forCaller(requestCaller),
      options.requestState.forHandler(name, args, ctx),
    );
  // What the caller is offered is computed from the policy in force: at once, and again on `refreshOffer` (a
  // 2025 session, when the policy, the caller's role or Strapi's permissions change; the SDK then tells the client).
  const policyListing = (): Listing => ({ caller, strapi, policy: policies.forCaller(caller) });
  const listingNow = async (): Promise<Listing> => {
    const listing = policyListing();
    if (offerByRbac) await listing.policy.loadRbacGrants();
    return listing;
  };
  const isOffered = (definition: Offerable, listing: Listing, allowedWithoutRole: boolean) =>
    // A caller without a known policy role may call whoami and nothing else, whatever other plugins register.
    (listing.policy.role !== null || allowedWithoutRole) && isAvailable(definition, listing);
  // Read-only mode offers only the tools that say they only read; the mutation mode may fence off more.
  const mutationsNow = () => mutationOffer(mutationModeOf(strapi, settings.get()));
  const isToolOffered = (tool: McpToolDefinition, listing: Listing) =>
    isOffered(tool, listing, tool.name === 'whoami') &&
    (!settings.get().readOnly || tool.annotations?.readOnlyHint === true) &&
    mutationsNow().callable(tool);
  const isToolListed = (tool: McpToolDefinition, listing: Listing) =>
    isToolOffered(tool, listing) && mutationsNow().listed(tool);

  const registered = registry.listTools();
  const registeredByName = new Map(registered.map((tool) => [tool.name, tool]));
  const registeredNames: ReadonlySet<string> = new Set(registeredByName.keys());
  // With `tools.perType`, the typed tools of the caller's role (`list_article`...) follow the registered ones; their
  // names stay clear of the registered ones, their schemas follow the role (server/src/tools/per-type).
  const perTypeTools = (policy: CallPolicy) =>
    settings.get().tools.perType ? perTypeToolsFor(policy, registeredNames) : null;
  const toolsFor = (policy: CallPolicy) => {
    const typed = perTypeTools(policy);
    return typed ? [...registered, ...typed.list] : registered;
  };
  const findTool = (name: string, policy: CallPolicy) =>
    registeredByName.get(name) ?? perTypeTools(policy)?.byName.get(name);

  const callTool = async (
    name: string,
    args: unknown,
    ctx: ServerContext,
  ): Promise<CallToolResult | InputRequiredResult> => {
    const context = contextOf(name, args, ctx);
    const trail = createCallTrail(
      audit,
      {
        decision: 'allowed',
        tool: name,
        arguments: args,
        sessionId: context.sessionId || null,
        protocolVersion: context.protocolVersion,
        adminUserId: context.caller.adminUser.id,
        adminUserEmail: context.caller.email,
        role: policies.roleOf(context.caller),
        tenant: context.caller.tenant,
        subject: context.caller.subject,
        credential: describeCredential(context.caller.credential),
        ip: context.request.ip,
        userAgent: context.request.userAgent,
      },
      settings.get().audit.redactKeys,
    );
    const tool = findTool(name, context.policy);
    // A typed tool's name stands for its content type: a refusal before the pipeline still says which.
    const typedType = perTypeTools(context.policy)?.contentTypeOf(name);
    if (typedType) trail.note({ contentType: typedType });
    // Whether the tool is offered is decided again for this request, with the policy in force now and Strapi's RBAC
    // as the lists show it (the ability is the one the call then checks with).
    await context.policy.loadRbacGrants();
    // Refusals read as the SDK's own ("MCP error -32602: Tool x not found"), so clients see what they expect.
    if (!tool || !isToolOffered(tool, context)) {
      const message = `MCP error ${ProtocolErrorCode.InvalidParams}: Tool ${echo(name, 64)} not found`;
      trail.finish('denied', `${message} among the tools offered to this caller`);
      return toolErrorResult(message);
    }
    const parsed = await schemasOf(tool).input['~standard'].validate(args ?? {});
    if (parsed.issues) {
      const message =
        `MCP error ${ProtocolErrorCode.InvalidParams}: Input validation error: Invalid arguments for tool ${name}: ` +
        describeInvalidArguments(parsed.issues);
      trail.finish('denied', message);
      return toolErrorResult(message);
    }
    const started = sessions.startCall(context.caller.adminUser.id, context.caller.tenant);
    if (!started.ok) {
      trail.finish('denied', started.reason);
      return toolErrorResult(started.reason);
    }
    try {
      return await runTool(strapi, tool, parsed.value as Record<string, unknown>, { ...context, audit: trail });
    } finally {
      started.finish();
    }
  };

  // Only what is offered is registered: what is not does not exist for this caller, in lists, completions or
  // errors alike ("not found", never "disabled"). One exception: a built-in mutation tool that the mutation mode
  // leaves unlisted is still dispatched, so that its pipeline refuses it with the reason (a server-wide setting).
  const listing = await listingNow();
  const resources = registry.listResources();
  // Tools are not registered with the SDK one by one (15 registrations per session or per request): this server
  // keeps the definitions it lists, lists their shared renderings (`listedToolOf`), and dispatches every call itself
  // (the SDK's own dispatch would answer unknown tools and invalid arguments before any audit row).
  let listedTools: McpToolDefinition[] = [];
  let listedByName = new Map<string, McpToolDefinition>();
  server.server.registerCapabilities({ tools: { listChanged: true } });
  server.server.setRequestHandler('tools/list', () => ({ tools: listedTools.map(listedToolOf) }));
  server.server.setRequestHandler('tools/call', (request, ctx) =>
    callTool(request.params.name, request.params.arguments, ctx as ServerContext),
  );
  // The SDK's HTTP entry checks SEP-2243 `Mcp-Param-*` headers against the offered tool's listed input schema, which
  // it looks up here (for its own registrations, by default).
  Object.assign(server, {
    toolInputSchemaJson: (name: string) => {
      const tool = listedByName.get(name);
      return tool ? listedToolOf(tool).inputSchema : undefined;
    },
  });
  const offers: Offer[] = [
    ...resources.map((resource) => ({
      key: `resource:${resource.name}`,
      isOffered: (current: Listing) => isOffered(resource, current, false),
      register: () => addResource(server, strapi, listingNow, contextOf, resource),
    })),
    ...registry.listPrompts().map((prompt) => ({
      key: `prompt:${prompt.name}`,
      isOffered: (current: Listing) => isOffered(prompt, current, false),
      register: () => addPrompt(server, strapi, listingNow, contextOf, prompt),
    })),
  ];
  if (resources.some((resource) => resource.subscribable)) {
    // Reading the resource checks Strapi's RBAC; whether it may be watched follows the policy.
    enableSubscriptions(server, options.era, session, (uri) => mayWatchResource(registry, policyListing(), uri));
  }

  const handles = new Map<string, { remove(): void }>();
  /**
   * Registers what the policy now offers and removes what it no longer does; the SDK announces each list that changed
   * to a connected client.
   */
  const apply = (current: Listing) => {
    const nextTools = toolsFor(current.policy).filter((tool) => isToolListed(tool, current));
    // A new policy builds new typed definitions: only a changed rendering (name, schema) is a change for the client.
    const toolsChanged =
      nextTools.length !== listedTools.length ||
      nextTools.some((tool, index) => !sameListing(tool, listedTools[index]));
    if (toolsChanged) {
      listedTools = nextTools;
      listedByName = new Map(nextTools.map((tool) => [tool.name, tool]));
      server.sendToolListChanged();
    }
    for (const offer of offers) {
      const show = offer.isOffered(current);
      const handle = handles.get(offer.key);
      if (show && !handle) {
        handles.set(offer.key, offer.register());
      } else if (!show && handle) {
        handle.remove();
        handles.delete(offer.key);
      }
    }
  };
  apply(listing);
  const refreshOffer = async () => apply(await listingNow());

  return Object.assign(server, { refreshOffer });
};

/**
 * Whether this caller may watch a resource URI (2025 `resources/subscribe`, 2026-07-28 `resourceSubscriptions`): a
 * subscribable resource offered to the caller has that URI, or a template matching it, and agrees to this URI.
 */
export const mayWatchResource = (registry: ToolsService, listing: Listing, uri: string): boolean => {
  if (listing.policy.role === null) return false;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return registry.listResources().some((resource) => {
    if (!resource.subscribable || !isAvailable(resource, listing)) return false;
    const variables = resource.uri
      ? resource.uri === uri
        ? {}
        : null
      : new UriTemplate(resource.uriTemplate!).match(uri);
    return variables !== null && (resource.canSubscribe?.(url, variables, listing) ?? true);
  });
};

const sameListing = (a: McpToolDefinition, b: McpToolDefinition) =>
  a === b || canonicalJson(listedToolOf(a)) === canonicalJson(listedToolOf(b));

type Offerable = { name: string; isAvailableTo?: McpToolDefinition['isAvailableTo'] };
type Offer = { key: string; isOffered: (listing: Listing) => boolean; register: () => { remove(): void } };
export type CallerServer = Awaited<ReturnType<typeof createCallerServer>>;

type ContextOf = (name: string, args: unknown, ctx: ServerContext) => McpHandlerContext;
type Listing = { strapi: Core.Strapi; caller: McpCaller; policy: CallPolicy };
type ListingNow = () => Promise<Listing>;

const addResource = (
  server: McpServer,
  strapi: Core.Strapi,
  currentListing: ListingNow,
  contextOf: ContextOf,
  resource: McpResourceDefinition,
) => {
  const metadata = { title: resource.title, description: resource.description, mimeType: resource.mimeType };
  const what = `resource ${resource.name}`;
  const read = (uri: URL, variables: Record<string, string | string[]>, ctx: ServerContext) =>
    runRequestSafely(strapi, what, () => resource.read(uri, variables, contextOf(resource.name, uri.href, ctx)));
  if (resource.uri) {
    return server.registerResource(resource.name, resource.uri, metadata, ((uri: URL, ctx: ServerContext) =>
      read(uri, {}, ctx)) as never);
  }
  const template = new ResourceTemplate(resource.uriTemplate!, {
    list: resource.list
      ? async (ctx) => {
          const {
            signal: _signal,
            extra: _extra,
            mcp: _mcp,
            ...context
          } = contextOf(resource.name, {}, ctx as ServerContext);
          return {
            resources: await runRequestSafely(strapi, what, async () => {
              await context.policy.loadRbacGrants();
              return resource.list!(context);
            }),
          };
        }
      : undefined,
    complete: bindCompletions(resource.complete, currentListing),
  });
  return server.registerResource(resource.name, template, metadata, ((
    uri: URL,
    variables: Record<string, string | string[]>,
    ctx: ServerContext,
  ) => read(uri, variables, ctx)) as never);
};

const withCompletions = (prompt: McpPromptDefinition, currentListing: ListingNow): ArgsShape | undefined => {
  if (!prompt.argsSchema || !prompt.complete) return prompt.argsSchema;
  const callbacks = bindCompletions(prompt.complete, currentListing)!;
  return Object.fromEntries(
    Object.entries(prompt.argsSchema).map(([name, schema]) => {
      const complete = callbacks[name];
      // completable() marks the schema it is given, permanently: mark a per-server clone, never the registry's schema.
      return [name, complete ? completable((schema as z.ZodString).clone(), (value) => complete(value ?? '')) : schema];
    }),
  ) as ArgsShape;
};

const addPrompt = (
  server: McpServer,
  strapi: Core.Strapi,
  currentListing: ListingNow,
  contextOf: ContextOf,
  prompt: McpPromptDefinition,
) => {
  // Like tools: without an args schema the SDK calls the callback with (ctx) alone, so always give it one. Without
  // completions it is the shared one; completions bind a per-server copy to this caller.
  const argsSchema = prompt.complete
    ? z.object(withCompletions(prompt, currentListing) ?? {})
    : promptArgumentsOf(prompt);
  const what = `prompt ${prompt.name}`;
  return server.registerPrompt(prompt.name, { title: prompt.title, description: prompt.description, argsSchema }, ((
    args: Record<string, unknown>,
    ctx: ServerContext,
  ) =>
    runRequestSafely(strapi, what, () => prompt.handler(args as never, contextOf(prompt.name, args, ctx)))) as never);
};

/**
 * Resource subscriptions. Under 2025-11-25 they belong to the session (`resources/subscribe`), and the sessions
 * service's `notifyResourceUpdated` fans updates out; under 2026-07-28 the SDK serves `subscriptions/listen` itself. A
 * 2025-era request answered without a session (`sessions.mode: 'stateless'`) has nowhere to be told of a change: no
 * subscriptions are offered to it.
 */
const enableSubscriptions = (
  server: McpServer,
  era: ProtocolEra,
  session: McpSession | undefined,
  mayWatch: (uri: string) => boolean,
) => {
  if (era === 'legacy' && !session) return;
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  if (!session) return;
  server.server.setRequestHandler('resources/subscribe', async (request) => {
    const { uri } = request.params;
    if (!mayWatch(uri)) {
      throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Resource ${echo(uri, 200)} cannot be watched`);
    }
    session.subscriptions.add(uri);
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    session.subscriptions.delete(request.params.uri);
    return {};
  });
};

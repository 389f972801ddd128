import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createCallScope, type CallScope } from '../content/call-scope';
import type { McpToolContext } from '../mcp/definitions';
import { toolResult } from '../mcp/tool-results';
import { getService } from '../services/get-service';
import type { McpCaller } from '../services/identity';
import type { Core } from '@strapi/strapi';
import type { Operation } from '../services/policy';

/** Runs a content operation in the caller's scope and returns its result as structured content and text. */
export const runContentTool =
  <Args>(operation: (scope: CallScope, args: Args) => Promise<Record<string, unknown>>) =>
  async (args: Args, context: McpToolContext): Promise<CallToolResult> =>
    toolResult(await operation(createCallScope(context), args));

/** Shown in tools/list only to roles that may perform the operation on at least one exposed type. */
export const availableFor =
  (operation: Operation) =>
  (caller: McpCaller, strapi: Core.Strapi): boolean =>
    getService(strapi, 'policy').forCaller(caller).typesFor(operation).length > 0;

/** Shown to roles with any action on at least one exposed type. */
export const availableWithAnyType = (caller: McpCaller, strapi: Core.Strapi): boolean =>
  getService(strapi, 'policy').forCaller(caller).visibleTypes().length > 0;

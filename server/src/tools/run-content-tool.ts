import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AvailabilityCheck, McpToolContext } from '../extension/definitions';
import { toolResult } from '../extension/tool-results';
import type { ContentOperation } from '../content/pipeline/content-call';
import { runContentCall } from '../content/pipeline/run-content-call';
import type { Operation } from '../services/policy';

/** A content tool's handler: its operation run through the tool-call pipeline, the output as structured content. */
export const runContentTool =
  <Args, Result>(operation: ContentOperation<Args, Result>) =>
  async (args: Args, context: McpToolContext): Promise<CallToolResult> =>
    toolResult(await runContentCall(operation, args, context));

/** Shown in tools/list only to roles that may perform the operation on at least one exposed type. */
export const availableFor =
  (operation: Operation): AvailabilityCheck =>
  (_caller, _strapi, policy) =>
    policy.typesFor(operation).length > 0;

/** Shown to roles with any action on at least one exposed type. */
export const availableWithAnyType: AvailabilityCheck = (_caller, _strapi, policy) => policy.visibleTypes().length > 0;

/** Media tools: shown to roles that may read (or create) some type, when Strapi's media library permission agrees. */
export const availableForMedia =
  (operation: 'read' | 'create'): AvailabilityCheck =>
  (_caller, _strapi, policy) =>
    policy.mediaOffered(operation);

import type { MutationMode } from '../config/mutations-schema';
import type { McpToolDefinition } from '../extension/definitions';
import { mutationTools } from './index';
import { isPerTypeTool } from './per-type';

/**
 * The built-in mutation tools and the typed per-type ones: their content pipeline enforces the mutation mode itself,
 * with a reason.
 */
const BUILT_IN_MUTATIONS: ReadonlySet<McpToolDefinition> = new Set(mutationTools);
const isFencedInPipeline = (tool: McpToolDefinition) => BUILT_IN_MUTATIONS.has(tool) || isPerTypeTool(tool);

const onlyReads = (tool: McpToolDefinition) => tool.annotations?.readOnlyHint === true;

/**
 * What the mutation mode lets a caller be offered. A built-in (or typed per-type) mutation tool is not listed under `disabled`, yet a call
 * naming it reaches its pipeline, which refuses it and says why. A tool of another plugin that does not say it only
 * reads (`readOnlyHint: true`) cannot be switched off or confirmed by that pipeline: it is offered (listed and
 * callable) only while mutations are `enabled`.
 */
export const mutationOffer = (mode: MutationMode) => ({
  listed: (tool: McpToolDefinition) =>
    mode === 'enabled' || onlyReads(tool) || (mode === 'confirm' && isFencedInPipeline(tool)),
  callable: (tool: McpToolDefinition) => mode === 'enabled' || onlyReads(tool) || isFencedInPipeline(tool),
});

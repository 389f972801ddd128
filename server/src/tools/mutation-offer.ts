import type { MutationMode } from '../config/mutations-schema';
import type { McpToolDefinition } from '../extension/definitions';
import { mutationTools } from './index';

/** The built-in mutation tools: their content pipeline enforces the mutation mode itself, with a reason. */
const FENCED_IN_PIPELINE: ReadonlySet<McpToolDefinition> = new Set(mutationTools);

const onlyReads = (tool: McpToolDefinition) => tool.annotations?.readOnlyHint === true;

/**
 * What the mutation mode lets a caller be offered. A built-in mutation tool is not listed under `disabled`, yet a call
 * naming it reaches its pipeline, which refuses it and says why. A tool of another plugin that does not say it only
 * reads (`readOnlyHint: true`) cannot be switched off or confirmed by that pipeline: it is offered (listed and
 * callable) only while mutations are `enabled`.
 */
export const mutationOffer = (mode: MutationMode) => ({
  listed: (tool: McpToolDefinition) =>
    mode === 'enabled' || onlyReads(tool) || (mode === 'confirm' && FENCED_IN_PIPELINE.has(tool)),
  callable: (tool: McpToolDefinition) => mode === 'enabled' || onlyReads(tool) || FENCED_IN_PIPELINE.has(tool),
});

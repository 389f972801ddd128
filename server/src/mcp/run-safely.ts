import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import {
  isInputRequiredResult,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  type CallToolResult,
  type InputRequiredResult,
} from '@modelcontextprotocol/server';
import { isConnectionLoss } from '../database-connection';
import { McpToolError } from '../errors';
import type { McpToolContext, McpToolDefinition } from '../extension/definitions';
import { toolErrorResult } from '../extension/tool-results';
import type { AuditDecision } from '../services/audit';

const MAX_LOGGED_ERROR = 4000;

/** Logs an unexpected error under a reference the caller can quote, and returns that reference. */
const logUnexpected = (strapi: Core.Strapi, what: string, error: unknown): string => {
  const reference = randomUUID().slice(0, 8);
  // Database errors quote their whole SQL, caller values included: the log keeps a bounded part.
  const detail = ((error as Error)?.stack ?? String(error)).slice(0, MAX_LOGGED_ERROR);
  strapi.log.error(`[mcp-server] ${what} failed (ref ${reference}): ${detail}`);
  return reference;
};

const textOf = (result: CallToolResult) =>
  result.content.find((item): item is { type: 'text'; text: string } => item.type === 'text')?.text;

/**
 * Runs a tool handler so that only messages meant for the model ever leave it (no stack, no internals), and closes its
 * audit row with the outcome: `allowed` (or `dry-run`), `denied` for policy refusals, `error` for everything else.
 */
export const runTool = async (
  strapi: Core.Strapi,
  tool: McpToolDefinition,
  args: Record<string, unknown>,
  context: McpToolContext,
): Promise<CallToolResult | InputRequiredResult> => {
  let result: CallToolResult | InputRequiredResult;
  let decision: AuditDecision;
  try {
    result = await tool.handler(args as never, context);
    if (isInputRequiredResult(result)) {
      // One round of a multi-round-trip call: recorded as such; the retry that completes it gets its own row.
      context.audit.finish('allowed', `input required: ${Object.keys(result.inputRequests ?? {}).join(', ')}`);
      return result;
    }
    decision = result.isError ? 'error' : args.dryRun === true ? 'dry-run' : 'allowed';
  } catch (error) {
    if (error instanceof McpToolError) {
      result = toolErrorResult(error.message, error.details);
      decision = error.kind === 'denied' ? 'denied' : 'error';
    } else {
      const reference = logUnexpected(strapi, `tool ${tool.name}`, error);
      result = toolErrorResult(
        isConnectionLoss(strapi, error)
          ? `The tool ${tool.name} could not reach the database (it is unavailable or restarting); nothing was ` +
              `changed unless a later read shows it. Retry shortly (reference ${reference}).`
          : `The tool ${tool.name} failed with an internal error (reference ${reference}).`,
      );
      decision = 'error';
    }
  }
  context.audit.finish(decision, (result as CallToolResult).isError ? textOf(result as CallToolResult) : undefined);
  return result;
};

/** Same contract for resources and prompts, whose failures travel as JSON-RPC errors. */
export const runRequestSafely = async <T>(strapi: Core.Strapi, what: string, run: () => Promise<T> | T): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof McpToolError) throw new ProtocolError(ProtocolErrorCode.InvalidParams, error.message);
    if (error instanceof ProtocolError || error instanceof ResourceNotFoundError) throw error;
    const reference = logUnexpected(strapi, what, error);
    throw new ProtocolError(
      ProtocolErrorCode.InternalError,
      `${what} failed with an internal error (reference ${reference})`,
    );
  }
};

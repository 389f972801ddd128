import { randomUUID } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { McpToolError } from './definitions';
import { toolErrorResult } from './tool-results';

/** Logs an unexpected error under a reference the caller can quote, and returns that reference. */
const logUnexpected = (strapi: Core.Strapi, what: string, error: unknown): string => {
  const reference = randomUUID().slice(0, 8);
  strapi.log.error(`[mcp-server] ${what} failed (ref ${reference}): ${(error as Error)?.stack ?? String(error)}`);
  return reference;
};

/** Runs a tool handler so that only messages meant for the model ever leave it: no stack, no internals. */
export const runToolSafely = async (
  strapi: Core.Strapi,
  name: string,
  run: () => Promise<CallToolResult> | CallToolResult,
): Promise<CallToolResult> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof McpToolError) return toolErrorResult(error.message);
    const reference = logUnexpected(strapi, `tool ${name}`, error);
    return toolErrorResult(`The tool ${name} failed with an internal error (reference ${reference}).`);
  }
};

/** Same contract for resources and prompts, whose failures travel as JSON-RPC errors. */
export const runRequestSafely = async <T>(strapi: Core.Strapi, what: string, run: () => Promise<T> | T): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof McpToolError) throw new McpError(ErrorCode.InvalidParams, error.message);
    if (error instanceof McpError) throw error;
    const reference = logUnexpected(strapi, what, error);
    throw new McpError(ErrorCode.InternalError, `${what} failed with an internal error (reference ${reference})`);
  }
};

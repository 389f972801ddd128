import type { Context, Next } from 'koa';
import { refuse } from '../outcome';
import { toRefusalResponse } from './refusals';

/** What Strapi's body parser says, in its own error shape, turned into the endpoint's JSON-RPC refusals. */
const BODY_REFUSALS = {
  400: refuse('parse', 'the request body is not valid JSON').refusal,
  413: refuse('body-size', "the request body is larger than Strapi's body parser accepts (strapi::body jsonLimit)")
    .refusal,
} as const;

/**
 * Strapi parses every body (`strapi::body`) before any route runs: a POST to the endpoint that is not valid JSON, or
 * is too large, is refused there, in Strapi's REST error shape, which MCP clients cannot read. Added before Strapi's
 * own middlewares (in `register`), this rewrites those answers for the endpoint's path into JSON-RPC errors
 * (`-32700 Parse error`, `-32600`), with the same status and nothing of the parser's message.
 */
export const createBodyErrorsMiddleware = (endpointPath: () => string) => async (ctx: Context, next: Next) => {
  await next();
  if (ctx.method !== 'POST' || ctx.path !== endpointPath()) return;
  const refusal = BODY_REFUSALS[ctx.status as keyof typeof BODY_REFUSALS];
  const answered = ctx.body as { jsonrpc?: unknown } | undefined;
  if (!refusal || (typeof answered === 'object' && answered !== null && 'jsonrpc' in answered)) return;
  const response = toRefusalResponse(refusal);
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body;
};

import type { Core } from '@strapi/strapi';
import type { Context } from 'koa';
import { createMcpRequestHandler } from '../mcp/handle-request';
import { getService } from '../services/get-service';

/** Hands the Koa context to the MCP pipeline; the one place that wires the services into it. */
const createMcpController = ({ strapi }: { strapi: Core.Strapi }) => {
  let handleRequest: ReturnType<typeof createMcpRequestHandler> | undefined;

  return {
    async handle(ctx: Context) {
      handleRequest ??= createMcpRequestHandler({
        strapi,
        identity: getService(strapi, 'identity'),
        oauth: getService(strapi, 'oauth'),
        sessions: getService(strapi, 'sessions'),
        registry: getService(strapi, 'tools'),
        audit: getService(strapi, 'audit'),
        policies: getService(strapi, 'policy'),
        settings: getService(strapi, 'settings'),
        rateLimits: getService(strapi, 'rate-limits'),
      });
      await handleRequest(ctx);
    },
    /** Ends the 2026-07-28 listen streams and in-flight exchanges (the sessions service closes 2025 sessions). */
    async close() {
      await handleRequest?.close();
      handleRequest = undefined;
    },
  };
};

export default createMcpController;

import type { Core } from '@strapi/strapi';
import { getService } from '../services/get-service';
import admin from './admin';

/**
 * The MCP endpoint: POST (JSON-RPC messages), GET (the session's SSE stream), DELETE (end the session).
 * `auth: false` turns off Strapi's users-permissions check only: the controller runs the plugin's own
 * identity pipeline (internal secret, JWT, admin user) on every request.
 */
const mcpRoute = (method: 'POST' | 'GET' | 'DELETE') => ({
  method,
  path: '/mcp',
  handler: 'mcp.handle',
  config: { auth: false as const, policies: [], middlewares: [] },
});

/** Liveness and readiness for load balancers: no authentication, nothing beyond the status. */
const healthRoute = {
  method: 'GET' as const,
  path: '/health',
  handler: 'health.check',
  config: { auth: false as const, policies: [], middlewares: [] },
};

export default {
  admin,
  'content-api': {
    type: 'content-api',
    routes: [mcpRoute('POST'), mcpRoute('GET'), mcpRoute('DELETE'), healthRoute],
  },
  /**
   * RFC 9728 metadata at the root of the server, beside the endpoint's path (no plugin prefix). Public: it names
   * where tokens come from, nothing about callers.
   */
  'oauth-discovery': ({ strapi }: { strapi: Core.Strapi }) => ({
    type: 'admin',
    prefix: '',
    routes: [
      {
        method: 'GET',
        path: getService(strapi, 'oauth').metadataPath(),
        handler: 'oauth-metadata.protectedResource',
        config: { auth: false as const, policies: [], middlewares: [] },
      },
    ],
  }),
};

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
  'content-api': {
    type: 'content-api',
    routes: [mcpRoute('POST'), mcpRoute('GET'), mcpRoute('DELETE'), healthRoute],
  },
};

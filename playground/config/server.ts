export default ({ env }) => ({
  host: env('HOST', '0.0.0.0'),
  port: env.int('PORT', 1337),
  app: { keys: env.array('APP_KEYS') },
  // Strapi's own MCP endpoint (POST /mcp, admin API tokens) runs beside the plugin's, so the two can be compared.
  mcp: { enabled: env.bool('STRAPI_NATIVE_MCP', true) },
  logger: { updates: { enabled: false }, startup: { enabled: env.bool('STRAPI_STARTUP_BANNER', true) } },
});

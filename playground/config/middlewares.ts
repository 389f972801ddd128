/**
 * CORS for browser MCP clients (docs/configuration.md, "CORS"): the headers an MCP client sends and must read, for the
 * origins the plugin allows (MCP_ALLOWED_ORIGINS) and, in development, any loopback origin (the plugin's
 * allowLoopbackOrigins default). Other origins get no CORS headers; the admin panel is same-origin and needs none.
 */
const MCP_REQUEST_HEADERS = [
  'Authorization',
  'X-MCP-Internal-Secret',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Last-Event-ID',
  'Content-Type',
  'Accept',
  'Origin',
];
const MCP_EXPOSED_HEADERS = ['Mcp-Session-Id', 'WWW-Authenticate', 'Retry-After'];
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export default ({ env }) => {
  const allowedOrigins: string[] = env.array('MCP_ALLOWED_ORIGINS', []).filter(Boolean);
  const allowLoopback = env('NODE_ENV', 'development') === 'development';
  return [
    'strapi::logger',
    'strapi::errors',
    'strapi::security',
    {
      name: 'strapi::cors',
      config: {
        // Strapi's cors calls this for each request and allows the request's origin when the list holds it.
        origin: (ctx: { get(name: string): string }) => {
          const origin = ctx.get('Origin');
          return allowLoopback && LOOPBACK_ORIGIN.test(origin) ? [...allowedOrigins, origin] : allowedOrigins;
        },
        headers: MCP_REQUEST_HEADERS,
        expose: MCP_EXPOSED_HEADERS,
        methods: ['GET', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PUT', 'PATCH'],
      },
    },
    'strapi::poweredBy',
    'strapi::query',
    // upload_media sends files as base64 JSON: room for media.maxBytes (5 MB) once encoded.
    { name: 'strapi::body', config: { jsonLimit: '8mb' } },
    'strapi::session',
    'strapi::favicon',
    'strapi::public',
  ];
};

/**
 * Whether Strapi's `strapi::cors` middleware lets browsers at the plugin's `allowedOrigins` use the endpoint. It reads
 * the resolved middleware list the way Strapi 5.54 builds its CORS layer (`@strapi/core` middlewares/cors.ts over
 * `@koa/cors`): the entry's config over Strapi's defaults, the origin as a list, a comma-separated string or a
 * function of the request, and the allowed headers sent as they are configured.
 */

/** Request headers an MCP client sends (Streamable HTTP, both revisions, plus this plugin's secret). */
export const MCP_REQUEST_HEADERS = [
  'Authorization',
  'X-MCP-Internal-Secret',
  'Mcp-Session-Id',
  'MCP-Protocol-Version',
  'Last-Event-ID',
  'Content-Type',
  'Accept',
];
/** Response headers a browser client must be able to read. */
export const MCP_EXPOSED_HEADERS = ['Mcp-Session-Id', 'WWW-Authenticate', 'Retry-After'];
export const MCP_METHODS = ['GET', 'POST', 'DELETE'];

/** Strapi 5.54's own defaults for `strapi::cors`. */
const STRAPI_CORS_DEFAULTS = {
  origin: '*' as unknown,
  headers: ['Content-Type', 'Authorization', 'Origin', 'Accept'] as unknown,
  expose: undefined as unknown,
  methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as unknown,
};
type CorsSettings = typeof STRAPI_CORS_DEFAULTS;

const CORS_MIDDLEWARE = 'strapi::cors';

/** The settings `strapi::cors` runs with, or undefined when the middleware is not in the list. */
export const resolveCorsSettings = (middlewares: unknown): CorsSettings | undefined => {
  if (!Array.isArray(middlewares)) return undefined;
  for (const entry of middlewares) {
    if (entry === CORS_MIDDLEWARE) return { ...STRAPI_CORS_DEFAULTS };
    if (typeof entry === 'object' && entry !== null && (entry as { name?: unknown }).name === CORS_MIDDLEWARE) {
      return { ...STRAPI_CORS_DEFAULTS, ...((entry as { config?: object }).config ?? {}) };
    }
  }
  return undefined;
};

/** A list option as `@koa/cors` reads it: an array, or a comma-separated string. */
const toList = (value: unknown): string[] | undefined => {
  if (Array.isArray(value)) return value.map((item) => String(item).trim());
  if (typeof value === 'string') return value.split(',').map((item) => item.trim());
  return undefined;
};

const includesIgnoringCase = (list: string[], item: string) =>
  list.some((entry) => entry.toLowerCase() === item.toLowerCase());

/** The request Strapi's origin function would see, reduced to what an origin check reads. */
const preflightFor = (origin: string) => {
  const headers = { origin, 'access-control-request-method': 'POST' };
  return {
    method: 'OPTIONS',
    headers,
    header: headers,
    request: { method: 'OPTIONS', headers, header: headers },
    get: (name: string) => headers[name.toLowerCase() as keyof typeof headers] ?? '',
  };
};

/** The Origin header a browser sends for a configured entry (`https://app.example/` → `https://app.example`). */
const browserOrigin = (configured: string): string => {
  try {
    return new URL(configured).origin;
  } catch {
    return configured;
  }
};

/** Mirrors Strapi's `matchOrigin`: `*` or a missing list allow every origin; otherwise an exact match. */
const allowsOrigin = async (configured: unknown, origin: string): Promise<boolean | 'unknown'> => {
  let list = configured;
  if (typeof configured === 'function') {
    try {
      list = await (configured as (ctx: unknown) => unknown)(preflightFor(origin));
    } catch {
      return 'unknown';
    }
  }
  if (list === undefined || list === null) return true;
  const origins = toList(list) ?? [];
  return origins.includes('*') || origins.includes(origin);
};

/**
 * What `strapi::cors` would refuse a browser at one of `origins`, one sentence per problem; empty when nothing.
 * A `*` in the allowed headers covers every header but `Authorization` (the Fetch standard never lets it stand for
 * that one).
 */
export const findCorsProblems = async (middlewares: unknown, origins: readonly string[]): Promise<string[]> => {
  const settings = resolveCorsSettings(middlewares);
  if (!settings) return [`${CORS_MIDDLEWARE} is not in config/middlewares, so browsers get no CORS headers at all`];
  const problems: string[] = [];

  const refused: string[] = [];
  const unchecked: string[] = [];
  for (const origin of origins) {
    const allowed = await allowsOrigin(settings.origin, browserOrigin(origin));
    if (allowed === 'unknown') unchecked.push(origin);
    else if (!allowed) refused.push(origin);
  }
  if (refused.length > 0) problems.push(`origin ${refused.join(', ')} not allowed (origin)`);
  if (unchecked.length > 0) problems.push(`the origin function failed for ${unchecked.join(', ')} (origin)`);

  const headers = toList(settings.headers);
  if (headers) {
    const missing = MCP_REQUEST_HEADERS.filter(
      (header) =>
        !includesIgnoringCase(headers, header) && (!headers.includes('*') || header.toLowerCase() === 'authorization'),
    );
    if (missing.length > 0) problems.push(`request header ${missing.join(', ')} not allowed (headers)`);
  }

  const exposed = toList(settings.expose) ?? [];
  const hidden = MCP_EXPOSED_HEADERS.filter(
    (header) => !exposed.includes('*') && !includesIgnoringCase(exposed, header),
  );
  if (hidden.length > 0) problems.push(`response header ${hidden.join(', ')} not readable (expose)`);

  const methods = toList(settings.methods);
  if (methods) {
    const missing = MCP_METHODS.filter((method) => !includesIgnoringCase(methods, method));
    if (missing.length > 0) problems.push(`method ${missing.join(', ')} not allowed (methods)`);
  }
  return problems;
};

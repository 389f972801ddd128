/** The boot check of Strapi's `strapi::cors` settings against the plugin's allowedOrigins, as Strapi 5.54 applies them. */
import { describe, expect, it } from 'vitest';
import { findCorsProblems, MCP_EXPOSED_HEADERS, MCP_REQUEST_HEADERS } from '../../server/src/boot/cors-check';

const APP = 'https://app.example';
const complete = { headers: MCP_REQUEST_HEADERS, expose: MCP_EXPOSED_HEADERS };
const withCors = (config?: Record<string, unknown>) => [
  'strapi::errors',
  config ? { name: 'strapi::cors', config } : 'strapi::cors',
  'strapi::body',
];

describe('findCorsProblems', () => {
  it('finds nothing when the origin, every MCP header and the methods are allowed', async () => {
    expect(await findCorsProblems(withCors({ origin: [APP], ...complete }), [APP])).toEqual([]);
  });

  it('reports what Strapi’s defaults lack: the MCP request headers and the exposed response headers', async () => {
    expect(await findCorsProblems(withCors(), [APP])).toEqual([
      'request header X-MCP-Internal-Secret, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID not allowed (headers)',
      'response header Mcp-Session-Id, WWW-Authenticate, Retry-After not readable (expose)',
    ]);
  });

  it('reports a missing strapi::cors', async () => {
    expect(await findCorsProblems(['strapi::errors', 'strapi::body'], [APP])).toEqual([
      'strapi::cors is not in config/middlewares, so browsers get no CORS headers at all',
    ]);
  });

  it.each([
    [['https://other.example'], false],
    ['https://other.example, https://app.example', true],
    ['*', true],
    [['*'], true],
    [null, true],
    ['', false],
    [['https://app.example/'], false],
  ])('reads the origin setting %j like Strapi (allowed: %s)', async (origin, allowed) => {
    const problems = await findCorsProblems(withCors({ origin, ...complete }), [APP]);
    expect(problems).toEqual(allowed ? [] : [`origin ${APP} not allowed (origin)`]);
  });

  it('compares the Origin a browser sends for an entry written with a path or trailing slash', async () => {
    expect(await findCorsProblems(withCors({ origin: [APP], ...complete }), [`${APP}/`])).toEqual([]);
  });

  it('asks an origin function with the origin of a preflight request', async () => {
    const origin = (ctx: { get(name: string): string }) => (ctx.get('Origin') === APP ? [APP] : []);
    expect(await findCorsProblems(withCors({ origin, ...complete }), [APP, 'https://b.example'])).toEqual([
      'origin https://b.example not allowed (origin)',
    ]);
    const failing = () => {
      throw new Error('no ctx.state');
    };
    expect(await findCorsProblems(withCors({ origin: failing, ...complete }), [APP])).toEqual([
      `the origin function failed for ${APP} (origin)`,
    ]);
  });

  it('compares header names without case, and takes a comma-separated string', async () => {
    const headers = MCP_REQUEST_HEADERS.map((header) => header.toLowerCase()).join(',');
    const expose = MCP_EXPOSED_HEADERS.join(', ').toUpperCase();
    expect(await findCorsProblems(withCors({ headers, expose }), [APP])).toEqual([]);
  });

  it('lets a * in the headers cover all but Authorization, as the Fetch standard does', async () => {
    expect(await findCorsProblems(withCors({ headers: ['*'], expose: ['*'] }), [APP])).toEqual([
      'request header Authorization not allowed (headers)',
    ]);
    expect(await findCorsProblems(withCors({ headers: ['*', 'Authorization'], expose: ['*'] }), [APP])).toEqual([]);
  });

  it('treats headers set to undefined as Strapi does: the requested headers are reflected', async () => {
    expect(await findCorsProblems(withCors({ headers: undefined, expose: MCP_EXPOSED_HEADERS }), [APP])).toEqual([]);
  });

  it('reports a method the transport needs', async () => {
    expect(await findCorsProblems(withCors({ ...complete, methods: ['GET', 'POST'] }), [APP])).toEqual([
      'method DELETE not allowed (methods)',
    ]);
  });
});

/**
 * OAuth discovery for direct clients: the RFC 9728 metadata document beside Strapi's own discovery answers, the
 * `WWW-Authenticate` challenge of every 401 (RFC 6750 §3, RFC 9728 §5.1), and the audience a token must carry
 * (RFC 8707): the resource, never a value the request chose.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, openingRequest } from '../helpers/mcp-client';
import { requestFrom } from '../helpers/source-address';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const AUTHORIZATION_SERVER = 'https://login.example.test';
const RESOURCE = 'https://cms.example.test/api/mcp-server/mcp';
const RESOURCE_METADATA = 'https://cms.example.test/.well-known/oauth-protected-resource/api/mcp-server/mcp';
const METADATA_PATH = '/.well-known/oauth-protected-resource/api/mcp-server/mcp';

/** A GET with the Host header of our choosing, as a client (or an attacker) may send it. */
const getWithHost = (app: TestApp, path: string, host: string) =>
  new Promise<{ status: number; json: any }>((resolve, reject) => {
    const url = new URL(path, app.baseUrl);
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { host } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });

/** Strapi's own answer to OAuth probes on its host (core `oauthDiscoveryFallback`). */
const STRAPI_FALLBACK = { error: 'not_found', error_description: 'OAuth is not supported' };

/** Dynamic client registration at the site root, as mcp-remote and the Inspector try it after a 401. */
const registerClient = (app: TestApp, localAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
  requestFrom(localAddress, app, {
    url: `${app.baseUrl}/register`,
    headers,
    body: { redirect_uris: ['http://localhost:5312/oauth/callback'], client_name: 'MCP CLI Proxy' },
  });

const challengeOf = async (app: TestApp, headers: Record<string, string>) => {
  const response = await openingRequest(app, headers);
  expect(response.status).toBe(401);
  return response.headers.get('www-authenticate');
};

describe('with an authorization server and a configured resource (the audience defaults to the resource)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: {
        oauth: { authorizationServers: [AUTHORIZATION_SERVER], resource: RESOURCE },
        jwt: { audience: null },
      },
      env: { MCP_JWT_AUDIENCE: undefined },
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the protected resource metadata at the endpoint path, with scopes derived from the policy', async () => {
    const response = await fetch(`${app.baseUrl}${METADATA_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      resource: RESOURCE,
      authorization_servers: [AUTHORIZATION_SERVER],
      // Every operation some role of the playground's policy has on each exposed type; publish only with D&P.
      scopes_supported: [
        'article:read',
        'article:create',
        'article:update',
        'article:delete',
        'article:publish',
        'category:read',
        'category:create',
        'category:update',
        'category:delete',
        'homepage:read',
        'homepage:create',
        'homepage:update',
        'homepage:delete',
        'homepage:publish',
      ],
      bearer_methods_supported: ['header'],
    });
  });

  it("leaves Strapi's own discovery answers and its native /mcp as they were", async () => {
    // Strapi's fallback for authorization-server probes on its own host: this plugin is no authorization server.
    const asProbe = await fetch(`${app.baseUrl}/.well-known/oauth-authorization-server`);
    expect(asProbe.status).toBe(404);
    expect(await asProbe.json()).toEqual(STRAPI_FALLBACK);
    // With OAuth on, clients register with the authorization server: registration here stays Strapi's answer.
    await challengeOf(app, credentials(app, 'not-a-jwt'));
    expect((await registerClient(app)).json).toEqual(STRAPI_FALLBACK);
    // The root metadata would describe the whole origin, where Strapi's native /mcp takes admin API tokens instead.
    expect((await fetch(`${app.baseUrl}/.well-known/oauth-protected-resource`)).status).toBe(404);
    const native = await fetch(`${app.baseUrl}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(native.status).toBe(401);
  });

  it('asks a request without a token to authenticate, naming the metadata and no error (RFC 6750 §3.1)', async () => {
    expect(await challengeOf(app, { 'X-MCP-Internal-Secret': app.secret })).toBe(
      `Bearer resource_metadata="${RESOURCE_METADATA}"`,
    );
    // Another scheme is no bearer token either.
    expect(
      await challengeOf(app, { 'X-MCP-Internal-Secret': app.secret, Authorization: 'Basic YWRtaW46YWRtaW4=' }),
    ).toBe(`Bearer resource_metadata="${RESOURCE_METADATA}"`);
  });

  it('tells a request with a bad token invalid_token and why', async () => {
    expect(await challengeOf(app, credentials(app, 'not-a-jwt'))).toBe(
      `Bearer resource_metadata="${RESOURCE_METADATA}", error="invalid_token", error_description="malformed token: neither a JWT (three dot-separated parts) nor a Strapi admin token (hex)"`,
    );
    const expired = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', {
      audience: RESOURCE,
      issuedAt: Math.floor(Date.now() / 1000) - 600,
      expiresIn: Math.floor(Date.now() / 1000) - 300,
    });
    expect(await challengeOf(app, credentials(app, expired))).toBe(
      `Bearer resource_metadata="${RESOURCE_METADATA}", error="invalid_token", error_description="token expired"`,
    );
    const stranger = await app.idp.tokenFor('nobody@example.com', 'Author', 'org-1', { audience: RESOURCE });
    expect(await challengeOf(app, credentials(app, stranger))).toMatch(
      /error="invalid_token", error_description="no active admin user for this email"$/,
    );
  });

  it('refuses a token minted for another audience, naming the one expected', async () => {
    const elsewhere = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'); // aud: strapi-mcp-tests
    const response = await openingRequest(app, credentials(app, elsewhere));
    expect(response.status).toBe(401);
    expect(response.json.error.data).toEqual({
      type: 'token',
      reason: `audience not accepted (expected ${RESOURCE})`,
    });
    expect(response.headers.get('www-authenticate')).toContain(
      `error_description="audience not accepted (expected ${RESOURCE})"`,
    );
  });

  it('accepts a token whose audience is the resource', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', { audience: RESOURCE });
    const session = await connectClient(app, token);
    const result = await session.callTool('whoami');
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ user: { email: 'author1@example.com' }, tenant: 'org-1' });
    await session.close();
  });
});

describe('with an authorization server and no configured resource', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { oauth: { authorizationServers: [AUTHORIZATION_SERVER] } } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('names the URL the request came to in the metadata and the challenge', async () => {
    const metadata = await (await fetch(`${app.baseUrl}${METADATA_PATH}`)).json();
    expect(metadata.resource).toBe(app.mcpUrl);
    expect(await challengeOf(app, { 'X-MCP-Internal-Secret': app.secret })).toBe(
      `Bearer resource_metadata="${app.baseUrl}${METADATA_PATH}"`,
    );
  });

  it('never takes the audience from the Host header', async () => {
    const spoofed = await getWithHost(app, METADATA_PATH, 'evil.example');
    expect(spoofed.json.resource).toBe('http://evil.example/api/mcp-server/mcp');
    // A token minted for that resource still fails: the audience is jwt.audience, from the configuration.
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', { audience: spoofed.json.resource });
    const response = await openingRequest(app, credentials(app, token));
    expect(response.status).toBe(401);
    expect(response.json.error.data.reason).toBe('audience not accepted (expected strapi-mcp-tests)');
  });
});

describe('without an authorization server', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves no metadata and names none in its challenges', async () => {
    const response = await fetch(`${app.baseUrl}${METADATA_PATH}`);
    expect(response.status).toBe(404);
    expect((await response.json()).error_description).toMatch(/oauth\.authorizationServers/);
    expect(await challengeOf(app, { 'X-MCP-Internal-Secret': app.secret })).toBe('Bearer realm="mcp-server"');
    expect(await challengeOf(app, credentials(app, 'not-a-jwt'))).toBe(
      'Bearer error="invalid_token", error_description="malformed token: neither a JWT (three dot-separated parts) nor a Strapi admin token (hex)"',
    );
  });

  it("answers the sign-in attempt that follows a refused token with the 401's reason, in place of Strapi's", async () => {
    const expired = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1', {
      expiresIn: Math.floor(Date.now() / 1000) - 120,
    });
    expect(await challengeOf(app, credentials(app, expired))).toMatch(/error_description="token expired"$/);
    const registration = await registerClient(app);
    expect(registration.status).toBe(404);
    expect(registration.headers.get('content-type')).toMatch(/^application\/json/);
    expect(registration.json).toEqual({
      error: 'not_found',
      error_description:
        'OAuth sign-in is not offered here: the MCP endpoint /api/mcp-server/mcp takes a bearer token in the ' +
        'Authorization header (a JWT from your identity provider, or a Strapi admin token). It refused the last ' +
        'request from your address: token expired.',
    });

    // The last refusal is the one named; a request with no bearer token at all says so.
    await challengeOf(app, { 'X-MCP-Internal-Secret': app.secret });
    expect((await registerClient(app)).json.error_description).toMatch(
      /It refused the last request from your address: no bearer token was sent\.$/,
    );
  });

  it('names no reason to another address, and leaves the other discovery probes to Strapi', async () => {
    await challengeOf(app, credentials(app, 'not-a-jwt'));
    const elsewhere = await registerClient(app, '127.0.0.2');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.json.error_description).toMatch(/Its 401 answer says why a token was refused\.$/);
    expect(elsewhere.text).not.toMatch(/malformed|expired/);
    const asProbe = await fetch(`${app.baseUrl}/.well-known/oauth-authorization-server`);
    expect(await asProbe.json()).toEqual(STRAPI_FALLBACK);
  });

  it('names the endpoint without echoing the Host header, and drops the Allow header of a 405', async () => {
    const registration = await registerClient(app, '127.0.0.3', { Host: 'evil.example"><script>' });
    expect(registration.status).toBe(404);
    expect(registration.text).not.toMatch(/evil\.example|<script>/);
    expect(registration.json.error_description).toMatch(/the MCP endpoint \/api\/mcp-server\/mcp takes/);
    expect(registration.headers.get('allow')).toBeNull();
  });

  // Last in this block: the route stays on the app's router.
  it("leaves an app's own POST /register answer alone, even a 404", async () => {
    app.strapi.server.routes([
      {
        method: 'POST',
        path: '/register',
        handler: (ctx: { status: number; body: unknown }) => {
          ctx.status = 404;
          ctx.body = { error: 'invite_not_found' };
        },
        config: { auth: false },
      },
    ]);
    await challengeOf(app, credentials(app, 'not-a-jwt'));
    const registration = await registerClient(app);
    expect(registration.status).toBe(404);
    // Not the plugin's answer, nor the refused token's reason. (Strapi's own fallback rewrites any 404 on this path,
    // an app's included: that much is Strapi's.)
    expect(registration.text).not.toMatch(/OAuth sign-in is not offered|malformed/);
    expect([{ error: 'invite_not_found' }, STRAPI_FALLBACK]).toContainEqual(registration.json);
  });
});

describe('a configuration with no audience to settle', () => {
  it('stops the boot, naming the options that would settle it', async () => {
    await expect(
      bootTestApp({
        pluginConfig: { oauth: { authorizationServers: [AUTHORIZATION_SERVER] }, jwt: { audience: null } },
        env: { MCP_JWT_AUDIENCE: undefined },
      }),
    ).rejects.toThrow(
      /jwt\.audience: is required \(env MCP_JWT_AUDIENCE\).*oauth\.resource \(env MCP_OAUTH_RESOURCE\)/,
    );
  });
});

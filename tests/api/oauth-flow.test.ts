/**
 * A direct client with nothing but the endpoint's URL: discovery (RFC 9728) → dynamic client registration → the
 * playground's authorization server (oidc-provider) with PKCE, its login page → a JWT access token for this resource
 * (RFC 8707) → whoami, in direct mode (no internal secret). Once with the SDK client's own OAuth support, once
 * through the real mcp-remote binary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  Client,
  StreamableHTTPClientTransport,
  UnauthorizedError,
  type OAuthClientInformationMixed,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type OAuthTokens,
} from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, signInThroughBrowser, startTestAuthorizationServer } from '../helpers/authorization-server';
import { REPO_ROOT, bootTestApp, type TestApp } from '../helpers/test-app';

// author1 belongs to org-1 (adminTokens.tenants); the forged tenant field of the form must not move them to org-2.
const AUTHOR = { email: 'author1@example.com', password: 'Playground123!', tenant: 'org-2' };

let app: TestApp;
let authorizationServer: Awaited<ReturnType<typeof startTestAuthorizationServer>>;
let resource: string;

beforeAll(async () => {
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/api/mcp-server/mcp`;
  // The plugin fetches the signing keys at the first token, so the authorization server starts after the boot.
  const issuer = `http://127.0.0.1:${await freePort()}`;
  app = await bootTestApp({
    port,
    // mcp-remote opens two sessions per start and ends none: its restarts below cross this cap.
    pluginConfig: { sessions: { maxPerUser: 2 } },
    env: {
      // Direct mode: no internal secret; the issuer and the audience (the resource) are what stand.
      MCP_REQUIRE_INTERNAL_SECRET: 'false',
      MCP_SECRET_KEY: undefined,
      MCP_JWT_ISSUER: issuer,
      MCP_JWKS_URI: `${issuer}/jwks`,
      MCP_JWT_AUDIENCE: undefined,
      MCP_OAUTH_AUTHORIZATION_SERVERS: issuer,
      MCP_OAUTH_RESOURCE: resource,
    },
  });
  authorizationServer = await startTestAuthorizationServer(issuer, resource, app.strapi);
});
afterAll(async () => {
  await app?.close();
  await authorizationServer?.close();
});

/** An OAuth client provider that keeps everything in memory and hands the authorization URL to the test. */
class InMemoryOAuthProvider implements OAuthClientProvider {
  readonly redirectUrl = 'http://127.0.0.1:9/callback';
  authorizationUrl?: URL;
  private client?: OAuthClientInformationMixed;
  private saved?: OAuthTokens;
  private verifier = '';
  private discovery?: OAuthDiscoveryState;

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'mcp-server flow test',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation = () => this.client;
  saveClientInformation = (client: OAuthClientInformationMixed) => void (this.client = client);
  tokens = () => this.saved;
  saveTokens = (tokens: OAuthTokens) => void (this.saved = tokens);
  redirectToAuthorization = (url: URL) => void (this.authorizationUrl = url);
  saveCodeVerifier = (verifier: string) => void (this.verifier = verifier);
  codeVerifier = () => this.verifier;
  saveDiscoveryState = (state: OAuthDiscoveryState) => void (this.discovery = state);
  discoveryState = () => this.discovery;
}

describe('the SDK client with its OAuth support', () => {
  it('discovers, registers, signs in and calls whoami as the signed-in admin user', async () => {
    const provider = new InMemoryOAuthProvider();
    const pinned = { versionNegotiation: { mode: { pin: '2026-07-28' as const } } };
    const first = new Client({ name: 'flow-test', version: '1.0.0' }, pinned);
    await expect(
      first.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider })),
    ).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.authorizationUrl?.origin).toBe(authorizationServer.issuer);
    expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(resource);
    expect(provider.authorizationUrl?.searchParams.get('code_challenge_method')).toBe('S256');

    // A wrong password gets the login page again, with its reason, and no code.
    await expect(
      signInThroughBrowser(provider.authorizationUrl!.href, provider.redirectUrl, { ...AUTHOR, password: 'wrong' }),
    ).rejects.toThrow(/sign-in refused \(HTTP 401\).*Wrong email or password/s);

    const callback = await signInThroughBrowser(provider.authorizationUrl!.href, provider.redirectUrl, AUTHOR);
    const transport = new StreamableHTTPClientTransport(new URL(resource), { authProvider: provider });
    await transport.finishAuth(callback.searchParams);

    const claims = decodeJwt(provider.tokens()!.access_token);
    expect(claims).toMatchObject({
      iss: authorizationServer.issuer,
      aud: resource,
      email: 'author1@example.com',
      role: 'Author',
      tenant: 'org-1',
    });
    expect(String(claims.scope).split(' ')).toContain('article:read');
    expect(provider.tokens()!.refresh_token).toEqual(expect.any(String));

    const client = new Client({ name: 'flow-test', version: '1.0.0' }, pinned);
    await client.connect(transport);
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({
      user: { email: 'author1@example.com' },
      role: 'Author',
      tenant: 'org-1',
    });
    await client.close();
  });
});

/** mcp-remote as a desktop host runs it, with nothing but the resource URL; its state (tokens) in `configDir`. */
const startBridge = (configDir: string, callbackPort: number) => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      path.join(REPO_ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js'),
      resource,
      String(callbackPort),
      '--host',
      '127.0.0.1',
    ],
    // BROWSER=true: the opener "opens" the URL with /bin/true; the test is the browser.
    env: { PATH: process.env.PATH ?? '', HOME: configDir, MCP_REMOTE_CONFIG_DIR: configDir, BROWSER: 'true' },
    stderr: 'pipe',
  });
  let output = '';
  const authorizationUrl = new Promise<string>((resolve) => {
    transport.stderr!.on('data', (chunk) => {
      output += chunk;
      const match = /Please authorize this client by visiting:\s+(\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
  });
  const client = new LegacyClient({ name: 'flow-test-via-mcp-remote', version: '1.0.0' });
  return { client, connected: client.connect(transport), authorizationUrl, output: () => output };
};

describe('mcp-remote 0.15.1, with no headers', () => {
  /** Each start opens two sessions and ends none: restarts cross the per-user cap (lowered to 2 here) each time. */
  const RESTARTS = 4;

  it('completes discovery, registration, sign-in and token, then relays whoami; restarts reuse the token', async () => {
    const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-remote-'));
    const callbackPort = await freePort();
    const sessionIds = new Set<string>();
    let bridge = startBridge(configDir, callbackPort);
    try {
      const url = await bridge.authorizationUrl;
      expect(new URL(url).origin).toBe(authorizationServer.issuer);
      await signInThroughBrowser(url, `http://127.0.0.1:${callbackPort}/oauth/callback`, AUTHOR, {
        visitRedirect: true,
      });
      await bridge.connected;
      for (let start = 0; start <= RESTARTS; start += 1) {
        if (start > 0) {
          await bridge.client.close();
          // Signed in already: the stored token is used, no sign-in page.
          bridge = startBridge(configDir, callbackPort);
          await bridge.connected;
          expect(bridge.output()).not.toMatch(/Please authorize this client/);
        }
        const result = await bridge.client.callTool({ name: 'whoami', arguments: {} });
        expect(result.isError, `start ${start + 1}`).toBeFalsy();
        expect(result.structuredContent).toMatchObject({
          user: { email: 'author1@example.com' },
          role: 'Author',
          tenant: 'org-1',
        });
        sessionIds.add((result.structuredContent as { sessionId: string }).sessionId);
      }
      expect(sessionIds.size).toBe(RESTARTS + 1);
      // Sessions left behind were closed at the cap, least recently used first.
      expect(app.strapi.plugin('mcp-server').service('sessions').stats().open).toBeLessThanOrEqual(2);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nmcp-remote said:\n${bridge.output()}`);
    } finally {
      await bridge.client.close();
      fs.rmSync(configDir, { recursive: true, force: true });
    }
  });
});

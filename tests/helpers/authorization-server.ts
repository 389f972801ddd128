/**
 * The playground's OAuth authorization server (oidc-provider), started by a test in its own process against a booted
 * test app, plus a tiny browser: a cookie jar that follows redirects, fills the login form and stops at the client's
 * redirect URI.
 */
import { createServer } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Core } from '@strapi/strapi';
import { exportJWK, generateKeyPair } from 'jose';
import { PLAYGROUND_DIST } from './test-app';

interface RunningAuthorizationServer {
  issuer: string;
  jwksUri: string;
  close(): Promise<void>;
}

// The compiled playground module, as Strapi runs it (oidc-provider is an ES module; Node loads it with require).
const load = createRequire(__filename);
const { startAuthorizationServer } = load(path.join(PLAYGROUND_DIST, 'src', 'authorization-server', 'index.js')) as {
  startAuthorizationServer(options: Record<string, unknown>): Promise<RunningAuthorizationServer>;
};
const { createStrapiAccounts } = load(path.join(PLAYGROUND_DIST, 'src', 'authorization-server', 'accounts.js')) as {
  createStrapiAccounts(getStrapi: () => Core.Strapi): unknown;
};

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Starts the authorization server at `issuer` (a loopback URL whose port is free) for the booted app's endpoint, with
 * its admin users as accounts and its `scopes_supported` as the resource's scopes.
 */
export const startTestAuthorizationServer = async (issuer: string, resource: string, strapi: Core.Strapi) => {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-as-1', alg: 'ES256', use: 'sig' };
  return startAuthorizationServer({
    port: Number(new URL(issuer).port),
    issuer,
    resource,
    scopes: (strapi.plugin('mcp-server').service('oauth') as any).scopesSupported(),
    signingKey,
    accounts: createStrapiAccounts(() => strapi),
  });
};

export interface SignIn {
  email: string;
  password: string;
  /** Posted as a `tenant` field with every form, as someone trying to sign in to another tenant would: ignored. */
  tenant: string;
}

/**
 * Opens the authorization URL as a browser would, signs in on the login page and follows the redirects until the
 * client's redirect URI, which is returned unvisited (or visited, when the client listens there: mcp-remote).
 */
export const signInThroughBrowser = async (
  authorizationUrl: string,
  redirectUri: string,
  credentials: SignIn,
  { visitRedirect = false } = {},
): Promise<URL> => {
  const jar = new Map<string, string>();
  const send = async (url: URL, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const separator = pair.indexOf('=');
      jar.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
    return response;
  };

  let url = new URL(authorizationUrl);
  let forms = 0;
  for (let hop = 0; hop < 20; hop += 1) {
    const response = await send(url);
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location')!, url);
      if (url.href.startsWith(redirectUri)) {
        if (visitRedirect) {
          const callback = await fetch(url);
          if (!callback.ok) throw new Error(`the redirect URI answered ${callback.status}: ${await callback.text()}`);
        }
        return url;
      }
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    // The login page, then possibly the consent page (a client asking for offline_access forces prompt=consent).
    if (response.status !== 200 || !action || (forms += 1) > 2) {
      throw new Error(`no form to submit at ${url.pathname} (HTTP ${response.status}): ${html.slice(0, 300)}`);
    }
    const fields = html.includes('name="password"') ? { ...credentials } : { tenant: credentials.tenant };
    const posted = await send(new URL(action, url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    if (posted.status !== 303) {
      const error = /<p class="error" role="alert">([^<]*)</.exec(await posted.text())?.[1];
      throw new Error(`sign-in refused (HTTP ${posted.status}): ${error ?? 'no reason shown'}`);
    }
    url = new URL(posted.headers.get('location')!, url);
  }
  throw new Error('too many redirects');
};

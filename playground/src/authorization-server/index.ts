import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';
import type { Accounts } from './accounts';
import { renderLoginPage, type LoginPage } from './login-page';

/**
 * The playground's OAuth 2.1 authorization server, built on oidc-provider (a certified OpenID provider): open
 * dynamic client registration, authorization code with PKCE (required), a login page for Strapi's admin users, and
 * access tokens that are JWTs for one resource (RFC 8707) carrying the email, role, tenant and scope claims the
 * plugin reads. Development only: in-memory storage, open registration, loopback.
 */
export interface AuthorizationServerOptions {
  /** Loopback interface and port to listen on; port 0 picks a free one. */
  host?: string;
  port: number;
  /** The issuer URL; default `http://<host>:<port>`. Must be the URL clients reach this server at. */
  issuer?: string;
  /** The MCP endpoint tokens are issued for: their only audience. */
  resource: string;
  /** The resource's scopes (its `scopes_supported`); clients register with them, so they are fixed at start. */
  scopes: string[];
  /** The private signing key (a JWK with `kid` and `alg`); the plugin trusts its public half. */
  signingKey: Record<string, unknown> & { kid: string; alg: string };
  accounts: Accounts;
  hint?: string;
  accessTokenTtlSec?: number;
}

export interface RunningAuthorizationServer {
  issuer: string;
  jwksUri: string;
  close(): Promise<void>;
}

const OIDC_SCOPES = new Set(['openid', 'offline_access', 'email']);
const MAX_FORM_BYTES = 16 * 1024;

const readForm = async (req: IncomingMessage): Promise<URLSearchParams> => {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) throw new errors.InvalidRequest('form too large');
  }
  return new URLSearchParams(body);
};

const listen = (server: ReturnType<typeof createServer>, port: number, host: string) =>
  new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address() as AddressInfo));
  });

export const startAuthorizationServer = async (
  options: AuthorizationServerOptions,
): Promise<RunningAuthorizationServer> => {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  const address = await listen(server, options.port, host);
  const issuer = options.issuer ?? `http://${host}:${address.port}`;
  const accessTokenTtl = options.accessTokenTtlSec ?? 15 * 60;

  const provider = new Provider(issuer, {
    clients: [],
    jwks: { keys: [options.signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...OIDC_SCOPES, ...options.scopes],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      id_token_signed_response_alg: options.signingKey.alg,
    },
    async findAccount(_ctx, sub: string) {
      const claims = await options.accounts.claims(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: async () => ({ sub, email: claims.email, email_verified: true }) };
    },
    features: {
      devInteractions: { enabled: false },
      registration: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => options.resource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator: string) {
          if (indicator !== options.resource)
            throw new errors.InvalidTarget(`this server issues tokens for ${options.resource} only`);
          return {
            scope: options.scopes.join(' '),
            audience: options.resource,
            accessTokenTTL: accessTokenTtl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: options.signingKey.alg } },
          };
        },
      },
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken') return undefined;
      const claims = await options.accounts.claims(token.accountId);
      if (!claims) return undefined;
      return {
        email: claims.email,
        email_verified: true,
        ...(claims.role ? { role: claims.role } : {}),
        ...(claims.tenant ? { tenant: claims.tenant } : {}),
      };
    },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientBasedCORS: () => true,
    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      Grant: 24 * 60 * 60,
      IdToken: accessTokenTtl,
      Interaction: 60 * 60,
      RefreshToken: 24 * 60 * 60,
      Session: 24 * 60 * 60,
    },
  });

  /**
   * GET /interaction/:uid shows the login page (or, for a signed-in user asked again, the consent page);
   * POST …/login checks the password, POST …/consent takes the signed-in user. Either grants what the client asked
   * for and resumes the flow. The tenant is the account's own (see accounts.ts), never a choice of the form.
   */
  provider.use(async (ctx, next) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/.exec(ctx.path);
    if (!match) return next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== match[1]) throw new errors.SessionNotFound('interaction mismatch');
    const { params, prompt } = details;
    const clientId = String(params.client_id);
    const scopes = String(params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    const client = await provider.Client.find(clientId);
    const signedIn = prompt.name === 'login' ? undefined : (details.session?.accountId as string | undefined);
    const page: LoginPage = {
      uid: details.uid,
      mode: signedIn ? 'consent' : 'login',
      accountId: signedIn,
      clientName: client?.clientName ?? clientId,
      scopes,
      hint: options.hint,
    };
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');

    if (ctx.method === 'GET' && !match[2]) {
      ctx.body = renderLoginPage(page);
      return;
    }
    if (ctx.method !== 'POST' || match[2] !== page.mode) return next();

    const form = await readForm(ctx.req);
    let accountId = signedIn;
    if (!accountId) {
      const email = form.get('email') ?? '';
      accountId = (await options.accounts.authenticate(email, form.get('password') ?? '')) ?? undefined;
      if (!accountId) {
        ctx.status = 401;
        ctx.body = renderLoginPage({ ...page, email, error: 'Wrong email or password, or the user is not active.' });
        return;
      }
    }

    const grant =
      (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
      new provider.Grant({ accountId, clientId });
    // The resource's scopes are also registrable scopes of this server (clients register with them), so the grant
    // holds them both ways: as scopes the user allowed, and as scopes of the resource its tokens are for.
    const allowed = scopes.filter((scope) => OIDC_SCOPES.has(scope) || options.scopes.includes(scope));
    if (allowed.length > 0) grant.addOIDCScope(allowed.join(' '));
    grant.addResourceScope(
      String(params.resource ?? options.resource),
      scopes.filter((scope) => !OIDC_SCOPES.has(scope)).join(' '),
    );
    const grantId = await grant.save();

    const result = signedIn ? { consent: { grantId } } : { login: { accountId }, consent: { grantId } };
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
      mergeWithLastSubmission: Boolean(signedIn),
    });
    ctx.redirect(returnTo);
    ctx.status = 303;
  });

  server.on('request', provider.callback());

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

import type { Core } from '@strapi/strapi';
import { adminTokensRequireSecret } from '../../config/admin-tokens-schema';
import type { PluginConfig } from '../../config/schema';
import { refuse, type Outcome } from '../../outcome';
import { getService } from '../get-service';
import { authenticateAdminToken } from './admin-token';
import { classifyBearer, type BearerKind } from './bearer';
import type { McpCaller } from './caller';
import { isInternalSecretValid } from './internal-secret';
import { authenticateJwt } from './jwt-caller';
import { createTokenVerifier } from './token-verifier';

export interface CredentialHeaders {
  internalSecret?: string;
  authorization?: string;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i;
/** A request without a bearer token (none, or another scheme) is asked to authenticate, not told its token failed. */
const noCredentials = (reason: string) => ({
  ok: false as const,
  refusal: { type: 'token' as const, reason, credentials: 'absent' as const },
});

/**
 * The internal-secret rule of each credential: JWT callers follow `requireInternalSecret`, admin-token callers
 * `adminTokens.requireInternalSecret` (by default the same). A bearer of no known shape follows the JWT rule.
 */
const secretRequired = (config: PluginConfig, kind: BearerKind) =>
  kind === 'admin-token' && config.adminTokens.enabled
    ? adminTokensRequireSecret(config)
    : config.requireInternalSecret;

/** Which credential a refusal was about, for its audit row. */
const CREDENTIAL_OF: Record<BearerKind, string | undefined> = {
  jwt: 'jwt',
  'admin-token': 'admin-token',
  unknown: undefined,
};

/**
 * The identity pipeline, in order: a secret that is sent must match → the bearer's kind → the internal secret, when
 * that credential needs it → a JWT (jose, email claim, admin user) or a Strapi admin token (Strapi's own check). The
 * token verifier is rebuilt after a settings change, at the next request.
 */
const createIdentityService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = getService(strapi, 'settings');
  const oauth = getService(strapi, 'oauth');
  const accessCache = getService(strapi, 'access-cache');
  // The audience is jwt.audience, or the OAuth resource when only an authorization server is configured.
  // No jwt configuration: no identity provider, only Strapi admin tokens.
  const verifyToken = settings.derived((config) =>
    config.jwt ? createTokenVerifier({ ...config.jwt, audience: oauth.audience() }) : undefined,
  );

  const authenticateBearer = (config: PluginConfig, token: string, kind: BearerKind): Promise<Outcome<McpCaller>> => {
    if (kind === 'jwt') {
      const verifier = verifyToken();
      if (!verifier) {
        return Promise.resolve(
          refuse('token', 'this server accepts no JWTs (no jwt configuration); send a Strapi admin token'),
        );
      }
      return authenticateJwt(strapi, token, verifier, config.claims);
    }
    if (kind === 'admin-token') return authenticateAdminToken(strapi, token, config);
    return Promise.resolve(
      refuse('token', 'malformed token: neither a JWT (three dot-separated parts) nor a Strapi admin token (hex)'),
    );
  };

  return {
    /** Whether tokens can be verified now (the signing keys are at hand), for the health route. */
    keysAvailable: (): Promise<boolean> => verifyToken()?.keysAvailable() ?? Promise.resolve(true),

    /** The last fetch of the JWKS URL, for the admin panel (null: none yet, keys held locally, or no JWTs). */
    lastKeyFetch: () => verifyToken()?.lastKeyFetch() ?? null,

    async authenticate(headers: CredentialHeaders): Promise<Outcome<McpCaller>> {
      const config = settings.get();
      const { internalSecret } = config;

      if (
        headers.internalSecret !== undefined &&
        internalSecret !== undefined &&
        !isInternalSecretValid(headers.internalSecret, internalSecret)
      ) {
        return refuse('secret', 'internal secret does not match');
      }

      const token = headers.authorization ? BEARER.exec(headers.authorization.trim())?.[1] : undefined;
      const kind = token ? classifyBearer(token) : 'unknown';
      if (secretRequired(config, kind) && headers.internalSecret === undefined) {
        return refuse(
          'secret',
          kind === 'admin-token'
            ? 'missing X-MCP-Internal-Secret header (adminTokens.requireInternalSecret)'
            : 'missing X-MCP-Internal-Secret header',
        );
      }

      if (!headers.authorization) return noCredentials('missing bearer token');
      if (!token) {
        const reason = 'Authorization header is not a bearer token';
        return /^Bearer\s/i.test(headers.authorization.trim()) ? refuse('token', reason) : noCredentials(reason);
      }
      if (kind === 'admin-token' && !config.adminTokens.enabled) {
        return {
          ...refuse('token', 'admin tokens are turned off on this server (adminTokens.enabled)'),
          credential: 'admin-token',
        };
      }

      // A token seen before is not verified again while its caller is cached (until its expiry or accessCache.maxAgeMs
      // at the latest, and never across a change to Strapi's admin users, roles, permissions or tokens, or to the
      // settings).
      const authenticated =
        kind === 'unknown'
          ? await authenticateBearer(config, token, kind)
          : await accessCache.caller(token, config, () => authenticateBearer(config, token, kind));
      if (!authenticated.ok) return { credential: CREDENTIAL_OF[kind], ...authenticated };
      // The kill switch of Settings → MCP Server → Access: whatever the credential, at the next request.
      if (config.access.disabledUsers.includes(authenticated.value.adminUser.id)) {
        return {
          ...refuse('access', 'MCP access of this admin user is switched off (Settings → MCP Server → Access)'),
          claimedEmail: authenticated.value.email,
          credential: CREDENTIAL_OF[kind],
        };
      }
      return authenticated;
    },
  };
};

export default createIdentityService;
export type IdentityService = ReturnType<typeof createIdentityService>;
export type { CallerCredential, McpCaller } from './caller';
export type { AdminUser } from './admin-user';

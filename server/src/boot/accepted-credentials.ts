import { adminTokensRequireSecret } from '../config/admin-tokens-schema';
import type { PluginConfig } from '../config/schema';

const describeIssuers = (issuer: string | string[]) => (Array.isArray(issuer) ? issuer.join(' or ') : issuer);

/** A URL as it may be logged: no user or password, no query (which may carry an API key). */
const withoutCredentials = (url: string): string => {
  const { origin, pathname, search } = new URL(url);
  return `${origin}${pathname}${search ? '?…' : ''}`;
};

/** Where the signing keys of accepted JWTs come from; never the key or the secret itself. */
const describeJwtKeys = (jwt: NonNullable<PluginConfig['jwt']>): string => {
  if (jwt.jwksUri) return `JWKS ${withoutCredentials(jwt.jwksUri)}`;
  if (jwt.jwks) return `inline JWKS, ${jwt.jwks.keys.length} key${jwt.jwks.keys.length === 1 ? '' : 's'}`;
  if (jwt.publicKey) return 'public key';
  return 'shared secret';
};

/**
 * The credentials the endpoint accepts, one entry each, for the boot line; safe to log (no secret, no key).
 * Add an entry here for each new kind of credential.
 */
export const describeAcceptedCredentials = ({ jwt, oauth, adminTokens }: PluginConfig): string[] => [
  ...(jwt
    ? [
        `JWT from ${describeIssuers(jwt.issuer)} (${describeJwtKeys(jwt)}${
          oauth.authorizationServers.length > 0 ? ', OAuth discovery on' : ''
        })`,
      ]
    : []),
  ...(adminTokens.enabled ? ['Strapi admin tokens'] : []),
];

/** Which credentials must also send X-MCP-Internal-Secret (each follows its own rule). */
export const describeInternalSecret = (config: PluginConfig): string => {
  const jwt = config.requireInternalSecret;
  const adminTokens = config.adminTokens.enabled && adminTokensRequireSecret(config);
  if (!config.adminTokens.enabled || jwt === adminTokens) {
    return jwt ? 'internal secret required' : 'internal secret not required';
  }
  return jwt ? 'internal secret required for JWTs only' : 'internal secret required for admin tokens only';
};

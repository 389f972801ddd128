import type { Core } from '@strapi/strapi';
import { readPluginConfig } from '../../config/read-plugin-config';
import { accept, refuse, type Outcome } from '../../mcp/refusals';
import { resolveAdminUser } from './admin-user';
import { createCaller, readStringClaim, type McpCaller } from './caller';
import { isInternalSecretValid } from './internal-secret';
import { createTokenVerifier } from './token-verifier';

export interface CredentialHeaders {
  internalSecret?: string;
  authorization?: string;
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-_.~+/]+=*)$/i;

/**
 * The identity pipeline, in the order the issue fixes:
 * internal secret → JWT (jose) → email claim → active, unblocked Strapi admin user.
 */
const createIdentityService = ({ strapi }: { strapi: Core.Strapi }) => {
  let verifyToken: ReturnType<typeof createTokenVerifier> | undefined;
  const config = () => readPluginConfig(strapi);

  return {
    async authenticate(headers: CredentialHeaders): Promise<Outcome<McpCaller>> {
      const { internalSecret, requireInternalSecret, claims } = config();

      if (requireInternalSecret || internalSecret !== undefined) {
        if (headers.internalSecret === undefined) return refuse('secret', 'missing X-MCP-Internal-Secret header');
        if (!isInternalSecretValid(headers.internalSecret, internalSecret ?? '')) {
          return refuse('secret', 'internal secret does not match');
        }
      }

      if (!headers.authorization) return refuse('token', 'missing bearer token');
      const match = BEARER.exec(headers.authorization.trim());
      if (!match) return refuse('token', 'Authorization header is not a bearer token');

      verifyToken ??= createTokenVerifier(config().jwt);
      const verified = await verifyToken(match[1]);
      if (!verified.ok) return verified;

      const email = readStringClaim(verified.value, claims.email);
      if (!email) return refuse('token', `token has no ${claims.email} claim`);

      const adminUser = await resolveAdminUser(strapi, email);
      if (!adminUser.ok) {
        return {
          ...adminUser,
          claimedEmail: email,
          subject: typeof verified.value.sub === 'string' ? verified.value.sub : undefined,
        };
      }

      return accept(createCaller(verified.value, adminUser.value, claims));
    },
  };
};

export default createIdentityService;
export type IdentityService = ReturnType<typeof createIdentityService>;
export type { McpCaller } from './caller';
export type { AdminUser } from './admin-user';

import type { Core } from '@strapi/strapi';
import { accept, refuse, type Outcome } from '../../outcome';
import { getService } from '../get-service';
import { resolveAdminUser } from './admin-user';
import { createCaller, readStringClaim, type McpCaller } from './caller';
import { isEmailUnverified, readEmailClaim } from './email-claim';
import { isInternalSecretValid } from './internal-secret';
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
/** Role and tenant claims are stored (audit rows, the tenant field): as long as a text column. */
const MAX_CLAIM_LENGTH = 255;

/**
 * The identity pipeline, in order: internal secret → JWT (jose) → verified email claim → active, unblocked Strapi
 * admin user. The token verifier is rebuilt after a settings change, at the next request.
 */
const createIdentityService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = getService(strapi, 'settings');
  const oauth = getService(strapi, 'oauth');
  // The audience is jwt.audience, or the OAuth resource when only an authorization server is configured.
  const verifyToken = settings.derived((config) => createTokenVerifier({ ...config.jwt, audience: oauth.audience() }));

  return {
    async authenticate(headers: CredentialHeaders): Promise<Outcome<McpCaller>> {
      const { internalSecret, requireInternalSecret, claims } = settings.get();

      if (requireInternalSecret || internalSecret !== undefined) {
        if (headers.internalSecret === undefined) return refuse('secret', 'missing X-MCP-Internal-Secret header');
        if (!isInternalSecretValid(headers.internalSecret, internalSecret ?? '')) {
          return refuse('secret', 'internal secret does not match');
        }
      }

      if (!headers.authorization) return noCredentials('missing bearer token');
      const match = BEARER.exec(headers.authorization.trim());
      if (!match) {
        const reason = 'Authorization header is not a bearer token';
        return /^Bearer\s/i.test(headers.authorization.trim()) ? refuse('token', reason) : noCredentials(reason);
      }

      const verified = await verifyToken()(match[1]);
      if (!verified.ok) return verified;

      const claimed = readStringClaim(verified.value, claims.email);
      if (!claimed) return refuse('token', `token has no ${claims.email} claim`);
      const email = readEmailClaim(claimed);
      if (!email.ok) return email;
      if (claims.requireVerifiedEmail && isEmailUnverified(verified.value[claims.emailVerified])) {
        return refuse(
          'token',
          `the identity provider has not verified this email (${claims.emailVerified} is not true)`,
        );
      }

      for (const name of [claims.role, claims.tenant]) {
        const value = verified.value[name];
        if (typeof value === 'string' && value.length > MAX_CLAIM_LENGTH) {
          return refuse('token', `${name} claim is longer than ${MAX_CLAIM_LENGTH} characters`);
        }
      }

      const adminUser = await resolveAdminUser(strapi, email.value);
      if (!adminUser.ok) {
        return {
          ...adminUser,
          claimedEmail: email.value,
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

import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../config/schema';
import { accept, refuse, type Outcome } from '../../outcome';
import { resolveAdminUser } from './admin-user';
import { parseScopesClaim } from '../policy/scopes';
import { createCaller, readStringClaim, type McpCaller } from './caller';
import { isEmailUnverified, readEmailClaim } from './email-claim';
import type { TokenVerifier } from './token-verifier';

/** Role and tenant claims are stored (audit rows, the tenant field): as long as a text column. */
const MAX_CLAIM_LENGTH = 255;

/** A JWT of the identity provider: verified (jose) → verified email claim → active, unblocked Strapi admin user. */
export const authenticateJwt = async (
  strapi: Core.Strapi,
  token: string,
  verifyToken: TokenVerifier,
  claims: PluginConfig['claims'],
): Promise<Outcome<McpCaller>> => {
  const verified = await verifyToken(token);
  if (!verified.ok) return verified;

  const claimed = readStringClaim(verified.value, claims.email);
  if (!claimed) return refuse('token', `token has no ${claims.email} claim`);
  const email = readEmailClaim(claimed);
  if (!email.ok) return email;
  if (claims.requireVerifiedEmail && isEmailUnverified(verified.value[claims.emailVerified])) {
    return refuse('token', `the identity provider has not verified this email (${claims.emailVerified} is not true)`);
  }

  for (const name of [claims.role, claims.tenant]) {
    const value = verified.value[name];
    if (typeof value === 'string' && value.length > MAX_CLAIM_LENGTH) {
      return refuse('token', `${name} claim is longer than ${MAX_CLAIM_LENGTH} characters`);
    }
  }

  const scopes = parseScopesClaim(verified.value[claims.scopes]);
  if (!scopes.ok) return refuse('token', `${claims.scopes} claim ${scopes.reason}`);
  if (claims.requireScopes && scopes.scopes === null) {
    return refuse('token', `token has no ${claims.scopes} claim, and this server requires scopes`);
  }

  const adminUser = await resolveAdminUser(strapi, email.value);
  if (!adminUser.ok) {
    return {
      ...adminUser,
      claimedEmail: email.value,
      subject: typeof verified.value.sub === 'string' ? verified.value.sub : undefined,
    };
  }

  return accept(createCaller(verified.value, adminUser.value, claims, scopes.scopes));
};

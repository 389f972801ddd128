import type { JWTPayload } from 'jose';
import { formatScopes, type Scopes } from '../policy/scopes';
import type { AdminUser } from './admin-user';

/** Which credential a caller presented: a JWT of an identity provider, or a Strapi admin token. */
export type CallerCredential =
  | { kind: 'jwt'; issuer: string | null }
  | { kind: 'admin-token'; tokenId: number; name: string };

/** Who is calling: the verified credential and the Strapi admin user it maps to. Built anew for every request. */
export interface McpCaller {
  adminUser: AdminUser;
  email: string;
  credential: CallerCredential;
  /** The role claim, as the token states it; `null` when absent (always, for an admin token). */
  role: string | null;
  /** The tenant claim; for an admin token, the tenant assigned to its owner (`adminTokens.tenants`); `null`: none. */
  tenant: string | null;
  /** The JWT `sub`; `null` when absent (always, for an admin token). */
  subject: string | null;
  issuer: string | null;
  /** The token's scopes (`claims.scopes`), which narrow the role; `null` when it carries none (or is an admin token). */
  scopes: Scopes | null;
  /** The JWT's claims; for an admin token only `exp`, from the token's expiry, when it has one. */
  claims: JWTPayload;
  /**
   * What binds a session to one identity: same credential kind, same admin user, same role, same tenant, same subject,
   * same scopes (for an admin token: the same token).
   */
  identityKey: string;
  /**
   * The credential the caller presented, for budgets of its own (`rateLimits.overrides`):
   * `jwt:<iss>:client:<azp or client_id>` for a token issued to an OAuth client, else `jwt:<iss>:subject:<sub>`.
   */
  credentialKey: string;
}

const readStringClaim = (claims: JWTPayload, name: string): string | null => {
  const value = claims[name];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return null;
};

export const createCaller = (
  claims: JWTPayload,
  adminUser: AdminUser,
  claimNames: { email: string; role: string; tenant: string },
  scopes: Scopes | null = null,
): McpCaller => {
  const role = readStringClaim(claims, claimNames.role);
  const tenant = readStringClaim(claims, claimNames.tenant);
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const issuer = typeof claims.iss === 'string' ? claims.iss : null;
  const client = readStringClaim(claims, 'azp') ?? readStringClaim(claims, 'client_id');
  return {
    adminUser,
    email: adminUser.email,
    credential: { kind: 'jwt', issuer },
    role,
    tenant,
    subject,
    issuer,
    scopes,
    claims,
    identityKey: JSON.stringify(['jwt', adminUser.id, role, tenant, issuer, subject, formatScopes(scopes)]),
    credentialKey: client ? `jwt:${issuer}:client:${client}` : `jwt:${issuer}:subject:${subject}`,
  };
};

/** A caller presenting a Strapi admin token: its owner, the tenant assigned to the owner, and the token's expiry. */
export const createAdminTokenCaller = (
  token: { id: number; name: string; expiresAt: Date | null },
  adminUser: AdminUser,
  tenant: string | null,
): McpCaller => ({
  adminUser,
  email: adminUser.email,
  credential: { kind: 'admin-token', tokenId: token.id, name: token.name },
  role: null,
  tenant,
  subject: null,
  issuer: null,
  scopes: null,
  claims: token.expiresAt ? { exp: Math.floor(token.expiresAt.getTime() / 1000) } : {},
  identityKey: JSON.stringify(['admin-token', token.id, adminUser.id, tenant]),
  credentialKey: `admin-token:${token.id}`,
});

/** How audit rows name the credential: `jwt`, or `admin-token:<id>`. */
export const describeCredential = (credential: CallerCredential): string =>
  credential.kind === 'jwt' ? 'jwt' : `admin-token:${credential.tokenId}`;

export { readStringClaim };

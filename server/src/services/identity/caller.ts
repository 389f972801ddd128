import type { JWTPayload } from 'jose';
import type { AdminUser } from './admin-user';

/** Who is calling: the verified token and the Strapi admin user it maps to. Built anew for every request. */
export interface McpCaller {
  adminUser: AdminUser;
  email: string;
  /** The role claim, as the token states it; `null` when absent. */
  role: string | null;
  /** The tenant claim; `null` when absent. */
  tenant: string | null;
  /** The JWT `sub`; `null` when absent. */
  subject: string | null;
  issuer: string | null;
  claims: JWTPayload;
  /** What binds a session to one identity: same admin user, same role, same tenant, same subject. */
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
): McpCaller => {
  const role = readStringClaim(claims, claimNames.role);
  const tenant = readStringClaim(claims, claimNames.tenant);
  const subject = typeof claims.sub === 'string' ? claims.sub : null;
  const issuer = typeof claims.iss === 'string' ? claims.iss : null;
  const client = readStringClaim(claims, 'azp') ?? readStringClaim(claims, 'client_id');
  return {
    adminUser,
    email: adminUser.email,
    role,
    tenant,
    subject,
    issuer,
    claims,
    identityKey: JSON.stringify([adminUser.id, role, tenant, issuer, subject]),
    credentialKey: client ? `jwt:${issuer}:client:${client}` : `jwt:${issuer}:subject:${subject}`,
  };
};

export { readStringClaim };

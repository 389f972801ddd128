import type { JWTPayload } from 'jose';
import { formatScopes, type Scopes } from '../policy/scopes';
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
  /** The token's scopes (`claims.scopes`), which narrow the role; `null` when the token carries none. */
  scopes: Scopes | null;
  claims: JWTPayload;
  /** What binds a session to one identity: same admin user, role, tenant, issuer, subject and scopes. */
  identityKey: string;
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
  return {
    adminUser,
    email: adminUser.email,
    role,
    tenant,
    subject,
    issuer,
    scopes,
    claims,
    identityKey: JSON.stringify([adminUser.id, role, tenant, issuer, subject, formatScopes(scopes)]),
  };
};

export { readStringClaim };

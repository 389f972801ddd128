import type { Core } from '@strapi/strapi';
import { assignedAdminTokenTenant } from '../../config/access-schema';
import type { PluginConfig } from '../../config/schema';
import { accept, refuse, type Outcome } from '../../outcome';
import type { AdminUser } from './admin-user';
import { createAdminTokenCaller, type McpCaller } from './caller';

interface StrapiTokenAuthentication {
  authenticated: boolean;
  error?: { message?: string };
  credentials?: { id: number; name: string; expiresAt?: string | Date | null };
  user?: AdminUser & { roles?: Array<{ id: number; code: string; name: string }> };
}

/** Strapi's own reasons (`admin::api-token-admin.authenticateAdminToken`), said in the caller's terms. */
const STRAPI_REASONS: Record<string, { type: 'token' | 'admin-user'; reason: string }> = {
  'Token expired': { type: 'token', reason: 'admin token expired' },
  'Token owner not found': { type: 'admin-user', reason: 'the admin user who owns this admin token no longer exists' },
  'Token owner is deactivated': {
    type: 'admin-user',
    reason: 'the admin user who owns this admin token is inactive or blocked',
  },
};

const toAdminUser = (user: NonNullable<StrapiTokenAuthentication['user']>): AdminUser => ({
  id: user.id,
  documentId: user.documentId,
  email: user.email,
  firstname: user.firstname ?? null,
  lastname: user.lastname ?? null,
  username: user.username ?? null,
  isActive: user.isActive,
  blocked: user.blocked,
  roles: (user.roles ?? []).map(({ id, code, name }) => ({ id, code, name })),
});

/**
 * A Strapi admin token (Settings → Admin tokens), checked by Strapi itself: the salted hash looked up, `kind: admin`,
 * the expiry, an owner that exists, is active and not blocked; Strapi then records `lastUsedAt` (at most hourly). The
 * caller is the token's owner; the tenant is the one assigned to the owner (Settings → MCP Server → Access, else
 * `adminTokens.tenants`), if any.
 */
export const authenticateAdminToken = async (
  strapi: Core.Strapi,
  accessKey: string,
  config: PluginConfig,
): Promise<Outcome<McpCaller>> => {
  const result = (await strapi
    .service('admin::api-token-admin')
    .authenticateAdminToken(accessKey)) as StrapiTokenAuthentication;

  if (!result.authenticated || !result.credentials || !result.user) {
    const known = result.error?.message ? STRAPI_REASONS[result.error.message] : undefined;
    if (known) return refuse(known.type, known.reason);
    return refuse('token', 'admin token not recognised (unknown, revoked, or not an admin token)');
  }

  const adminUser = toAdminUser(result.user);
  const { id, name, expiresAt } = result.credentials;
  const tenant = assignedAdminTokenTenant(config, adminUser);
  return accept(
    createAdminTokenCaller({ id, name, expiresAt: expiresAt ? new Date(expiresAt) : null }, adminUser, tenant),
  );
};

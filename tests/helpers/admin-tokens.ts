/** Strapi admin tokens (Settings → Admin tokens) for API tests, created and revoked through Strapi's own service. */
import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app';

export interface AdminTokenPermission {
  action: string;
  subject?: string | null;
  properties?: Record<string, unknown>;
  conditions?: string[];
}

export interface CreatedAdminToken {
  id: number;
  name: string;
  /** The plaintext key, shown once by Strapi when the token is created. */
  accessKey: string;
}

const adminTokenService = (app: TestApp) => app.strapi.service('admin::api-token-admin');

const ownerByEmail = (app: TestApp, email: string) =>
  app.strapi.db.query('admin::user').findOne({ where: { email }, populate: ['roles'] });

/** The owner's own admin permissions, as a full-access token's permissions (Strapi clamps a token to its owner's). */
export const ownerPermissions = async (app: TestApp, email: string): Promise<AdminTokenPermission[]> => {
  const owner = await ownerByEmail(app, email);
  const permissions = await app.strapi.service('admin::permission').findUserPermissions(owner);
  return permissions.map(({ action, subject, properties }: AdminTokenPermission) => ({
    action,
    subject,
    properties,
  }));
};

/** Creates an admin token owned by (and created as) the seeded user `email`, as Settings → Admin tokens does. */
export const createAdminToken = async (
  app: TestApp,
  email: string,
  adminPermissions: AdminTokenPermission[],
): Promise<CreatedAdminToken> => {
  const owner = await ownerByEmail(app, email);
  const name = `mcp test ${email} ${randomBytes(3).toString('hex')}`;
  const token = await adminTokenService(app).create({ name, description: '', lifespan: null, adminPermissions }, owner);
  return { id: token.id, name: token.name, accessKey: token.accessKey };
};

export const revokeAdminToken = (app: TestApp, id: number) => adminTokenService(app).revoke(id);

/** Moves a token's expiry into the past (what time would do to a token created with a lifespan). */
export const expireAdminToken = (app: TestApp, id: number) =>
  app.strapi.db.query('admin::api-token').update({ where: { id }, data: { expiresAt: new Date(Date.now() - 60_000) } });

export const readAdminToken = (app: TestApp, id: number) =>
  app.strapi.db.query('admin::api-token').findOne({ where: { id }, select: ['id', 'lastUsedAt', 'expiresAt'] });

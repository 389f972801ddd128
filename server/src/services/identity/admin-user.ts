import type { Core } from '@strapi/strapi';
import { accept, refuse, type Outcome } from '../../outcome';
import { foldAsciiCase } from './email-claim';

export interface AdminRole {
  id: number;
  code: string;
  name: string;
}

/** The admin user a request acts as: only the fields the plugin needs, never secrets. */
export interface AdminUser {
  id: number;
  documentId?: string;
  email: string;
  firstname: string | null;
  lastname: string | null;
  username: string | null;
  isActive: boolean;
  blocked: boolean;
  roles: AdminRole[];
}

const ADMIN_USER_FIELDS = ['id', 'documentId', 'email', 'firstname', 'lastname', 'username', 'isActive', 'blocked'];

/**
 * The admin user whose email matches the token's email claim, ignoring the case of ASCII letters only. The database
 * finds candidates case-insensitively (its folding is wider: PostgreSQL folds some Unicode signs onto ASCII letters),
 * then only an exact match up to ASCII case counts. Strapi's service layer stores emails as given, so two users may
 * differ only by case: that is ambiguous and refused.
 */
export const resolveAdminUser = async (strapi: Core.Strapi, email: string): Promise<Outcome<AdminUser>> => {
  const candidates = (await strapi.db.query('admin::user').findMany({
    select: ADMIN_USER_FIELDS,
    where: { email: { $eqi: email } },
    populate: { roles: { select: ['id', 'code', 'name'] } },
    limit: 5,
  })) as AdminUser[];
  const users = candidates.filter((user) => foldAsciiCase(user.email) === foldAsciiCase(email));

  if (users.length === 0) return refuse('admin-user', 'no active admin user for this email');
  if (users.length > 1) return refuse('admin-user', 'more than one admin user matches this email');
  const [user] = users;
  if (user.blocked === true) return refuse('admin-user', 'admin user is blocked');
  if (user.isActive !== true) return refuse('admin-user', 'admin user is not active');
  return accept({ ...user, roles: user.roles ?? [] });
};

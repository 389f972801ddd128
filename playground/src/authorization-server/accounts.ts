import type { Core } from '@strapi/strapi';

/** What the authorization server knows of a person: the claims its tokens carry. */
export interface AccountClaims {
  email: string;
  /** The policy role of the user's Strapi roles, through the plugin's `strapiRoles` mapping; null without one. */
  role: string | null;
  /**
   * The user's tenant: the one the plugin assigns them (`adminTokens.tenants`, also used for their admin tokens);
   * never chosen at sign-in, so that nobody signs in to another tenant. Null without an assignment.
   */
  tenant: string | null;
}

export interface Accounts {
  /** The account id (the lowercased email) when the email and password belong to an active, unblocked admin user. */
  authenticate(email: string, password: string): Promise<string | null>;
  claims(accountId: string): Promise<AccountClaims | null>;
}

/** The playground's Strapi admin users as accounts: their own passwords, their own roles. */
export const createStrapiAccounts = (getStrapi: () => Core.Strapi): Accounts => {
  const findUser = (email: string) =>
    getStrapi()
      .db.query('admin::user')
      .findOne({ where: { email: email.toLowerCase() }, populate: { roles: { select: ['code'] } } });

  return {
    async authenticate(email, password) {
      const strapi = getStrapi();
      const [, user] = await strapi.service('admin::auth').checkCredentials({ email: email.toLowerCase(), password });
      if (!user || user.blocked === true) return null;
      return String(user.email).toLowerCase();
    },

    async claims(accountId) {
      const user = await findUser(accountId);
      if (!user || user.isActive !== true || user.blocked === true) return null;
      const { strapiRoles, adminTokens } = getStrapi().plugin('mcp-server').service('settings').get();
      const held = new Set((user.roles ?? []).map((role: { code: string }) => role.code));
      const mapped = Object.entries(strapiRoles as Record<string, string>).find(([code]) => held.has(code));
      const email = String(user.email).toLowerCase();
      const assigned = Object.entries(adminTokens.tenants as Record<string, string | null>).find(
        ([assignee]) => assignee.toLowerCase() === email,
      );
      return { email, role: mapped ? mapped[1] : null, tenant: assigned?.[1] ?? null };
    },
  };
};

/**
 * The plugin's own admin actions, shared by the server (which registers them with Strapi's action provider and checks
 * them on every admin route) and the admin panel (which shows each page only to those who hold its action).
 * Strapi names a registered action `plugin::mcp-server.<uid>`.
 */
export const ADMIN_ACTIONS = {
  readOverview: { uid: 'overview.read', displayName: 'Read the overview and the policy' },
  updateSettings: { uid: 'settings.update', displayName: 'Change the settings and the policy' },
  readAudit: { uid: 'audit.read', displayName: 'Read the audit log and usage' },
  manageAccess: { uid: 'access.manage', displayName: 'Manage who can reach MCP' },
  manageSessions: { uid: 'sessions.manage', displayName: 'See and end sessions' },
} as const;

export type AdminActionName = keyof typeof ADMIN_ACTIONS;

/** The full action id Strapi checks, e.g. `plugin::mcp-server.audit.read`. */
export const actionId = (name: AdminActionName): string => `plugin::mcp-server.${ADMIN_ACTIONS[name].uid}`;

/** The permission lists the admin panel's hooks (`useRBAC`, `Page.Protect`) take, one per action. */
export const PERMISSIONS = Object.fromEntries(
  (Object.keys(ADMIN_ACTIONS) as AdminActionName[]).map((name) => [name, [{ action: actionId(name), subject: null }]]),
) as Record<AdminActionName, Array<{ action: string; subject: null }>>;

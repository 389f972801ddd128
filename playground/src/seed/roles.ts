import type { Core } from '@strapi/strapi';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const HOMEPAGE = 'api::homepage.homepage';
const explorer = (action: string) => `plugin::content-manager.explorer.${action}`;

interface SeedPermission {
  action: string;
  subject: string | null;
  conditions?: string[];
  properties?: Record<string, unknown>;
}

const grant = (subjects: string[], actions: string[], conditions: string[] = []): SeedPermission[] =>
  subjects.flatMap((subject) =>
    actions.map((action) => ({
      action: explorer(action),
      subject,
      conditions,
      // Localized types need their locales listed, or the permission grants none.
      properties: subject === HOMEPAGE && action !== 'delete' ? { locales: ['en', 'fr'] } : {},
    })),
  );

const mediaLibrary = (...actions: string[]): SeedPermission[] =>
  actions.map((action) => ({ action: `plugin::upload.${action}`, subject: null, conditions: [], properties: {} }));

/**
 * Strapi roles that grant what each MCP policy role needs, so Strapi's RBAC (the second lock) agrees with the plugin's
 * policy. Custom roles where the built-in ones differ: the built-in Author, for one, reads only its own entries.
 */
export const SEEDED_ROLES: Record<string, { name: string; description: string; permissions: SeedPermission[] }> = {
  'mcp-publisher': {
    name: 'MCP Publisher',
    description: 'Creates, edits and publishes all content; deletes nothing.',
    permissions: [
      ...grant([ARTICLE, CATEGORY, HOMEPAGE], ['create', 'read', 'update', 'publish']),
      ...mediaLibrary('read', 'assets.create'),
      // The worked example of docs/admin-panel.md: publishers may read the MCP audit log and usage, nothing else of it.
      { action: 'plugin::mcp-server.audit.read', subject: null, conditions: [], properties: {} },
    ],
  },
  'mcp-author': {
    name: 'MCP Author',
    description: 'Reads all content, writes articles and edits only the ones they created.',
    permissions: [
      ...grant([ARTICLE], ['create', 'read']),
      ...grant([ARTICLE], ['update'], ['admin::is-creator']),
      ...grant([CATEGORY, HOMEPAGE], ['read']),
      ...mediaLibrary('read', 'assets.create'),
    ],
  },
  'mcp-reader': {
    name: 'MCP Reader',
    description: 'Reads all content.',
    permissions: [...grant([ARTICLE, CATEGORY, HOMEPAGE], ['read']), ...mediaLibrary('read')],
  },
};

/** Creates the custom roles once; returns role ids by code, the built-in Super Admin included. */
export const seedRoles = async (strapi: Core.Strapi): Promise<Record<string, number>> => {
  const roleService = strapi.service('admin::role');
  const ids: Record<string, number> = {};
  const superAdmin = await roleService.getSuperAdmin();
  ids['strapi-super-admin'] = superAdmin.id;

  for (const [code, definition] of Object.entries(SEEDED_ROLES)) {
    let role = await roleService.findOne({ code });
    if (!role) {
      role = await roleService.create({ name: definition.name, code, description: definition.description });
      await roleService.assignPermissions(role.id, definition.permissions);
    }
    ids[code] = role.id;
  }
  return ids;
};

import type { Core } from '@strapi/strapi';

/** Local demo only: every seeded admin user has this password (printed in the README). */
export const PLAYGROUND_PASSWORD = 'Playground123!';

export const SEEDED_USERS = [
  { email: 'admin@example.com', firstname: 'Ada', lastname: 'Admin', role: 'strapi-super-admin' },
  { email: 'publisher@example.com', firstname: 'Paul', lastname: 'Publisher', role: 'mcp-publisher' },
  { email: 'author1@example.com', firstname: 'Alice', lastname: 'Author', role: 'mcp-author' },
  { email: 'author2@example.com', firstname: 'Bob', lastname: 'Author', role: 'mcp-author' },
  { email: 'reader@example.com', firstname: 'Rita', lastname: 'Reader', role: 'mcp-reader' },
  { email: 'inactive@example.com', firstname: 'Ivan', lastname: 'Inactive', role: 'mcp-reader', isActive: false },
  { email: 'blocked@example.com', firstname: 'Bella', lastname: 'Blocked', role: 'mcp-reader', blocked: true },
] as const;

export const seedUsers = async (strapi: Core.Strapi, roleIds: Record<string, number>) => {
  const userService = strapi.service('admin::user');
  const ids: Record<string, number> = {};
  for (const seed of SEEDED_USERS) {
    let user = await strapi.db.query('admin::user').findOne({ where: { email: seed.email } });
    if (!user) {
      user = await userService.create({
        email: seed.email,
        firstname: seed.firstname,
        lastname: seed.lastname,
        password: PLAYGROUND_PASSWORD,
        registrationToken: null,
        isActive: 'isActive' in seed ? seed.isActive : true,
        blocked: 'blocked' in seed ? seed.blocked : false,
        roles: [roleIds[seed.role]],
      });
    }
    ids[seed.email] = user.id;
  }
  return ids;
};

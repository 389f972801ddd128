import type { Core } from '@strapi/strapi';
import { seedContent } from './content';
import { seedRoles } from './roles';
import { seedUsers } from './users';

/** Idempotent: every step looks for what it would create first, so a restart seeds nothing twice. */
export const seedPlayground = async (strapi: Core.Strapi) => {
  const roleIds = await seedRoles(strapi);
  const userIds = await seedUsers(strapi, roleIds);
  await seedContent(strapi, userIds);
};

/** Changing a seeded Strapi role's permissions for one test, and always putting them back. */
import { expect } from 'vitest';
import type { TestApp } from './test-app';

/**
 * Removes a permission from a seeded Strapi role (by action, and subject when given), runs `body`, and creates the
 * permission again exactly as it was (action, subject, properties, conditions), whatever happens.
 */
export const withoutPermission = async (
  app: TestApp,
  { action, subject, role }: { action: string; subject?: string; role: string },
  body: () => Promise<void>,
) => {
  const permissions = app.strapi.db.query('admin::permission');
  const where = { action, ...(subject ? { subject } : {}), role: { code: role } };
  const permission = await permissions.findOne({ where, populate: ['role'] });
  expect(permission, `${role} holds ${action}${subject ? ` on ${subject}` : ''}`).toBeTruthy();
  await permissions.delete({ where: { id: permission.id } });
  expect(await permissions.count({ where })).toBe(0);
  try {
    await body();
  } finally {
    await recreatePermission(app, permission);
  }
};

/** Creates a deleted permission again exactly as it was (read with its `role` populated). */
export const recreatePermission = (app: TestApp, permission: Record<string, any>) =>
  app.strapi.db.query('admin::permission').create({
    data: {
      action: permission.action,
      actionParameters: permission.actionParameters,
      subject: permission.subject,
      properties: permission.properties,
      conditions: permission.conditions,
      role: permission.role.id,
    },
  });

/**
 * Changes one permission of a seeded Strapi role (its properties or conditions), runs `body`, and puts the permission
 * back exactly as it was.
 */
export const withPermissionChanged = async (
  app: TestApp,
  { action, subject, role }: { action: string; subject: string | null; role: string },
  change: { properties?: Record<string, unknown>; conditions?: string[] },
  body: () => Promise<void>,
) => {
  const permissions = app.strapi.db.query('admin::permission');
  const permission = await permissions.findOne({ where: { action, subject, role: { code: role } } });
  expect(permission, `${role} holds ${action} on ${subject}`).toBeTruthy();
  await permissions.update({ where: { id: permission.id }, data: change });
  try {
    await body();
  } finally {
    await permissions.update({
      where: { id: permission.id },
      data: { properties: permission.properties, conditions: permission.conditions },
    });
  }
};

import { z } from 'zod';
import { foldAsciiCase } from '../services/identity/email-claim';
import type { AdminTokensConfig } from './admin-tokens-schema';
import { positiveInt, section } from './env-fallback';

/** What Settings → MCP Server → Access sets for one admin user's Strapi admin tokens; `null` follows the config file. */
const userAccessSchema = z.strictObject({
  adminTokenRole: z.string().trim().min(1).max(100).nullable().default(null),
  tenant: z.string().trim().min(1).max(255).nullable().default(null),
});

/**
 * Who may reach MCP, beside their credentials, keyed by admin user id (which an email change cannot escape):
 * `disabledUsers` have their MCP access switched off, whatever credential they present; `users` sets the policy role
 * and tenant of a user's admin tokens, ahead of the config file's `adminTokens.roles` / `tenants` (keyed by email).
 * Set from Settings → MCP Server → Access.
 */
export const accessSchema = section(
  z.strictObject({
    disabledUsers: z.array(positiveInt).default([]),
    users: z
      .record(z.string().regex(/^[1-9]\d{0,15}$/, 'must be an admin user id'), userAccessSchema.nullable())
      .default({})
      .transform((users) =>
        Object.fromEntries(
          Object.entries(users).filter(
            (entry): entry is [string, z.output<typeof userAccessSchema>] => entry[1] !== null,
          ),
        ),
      ),
  }),
);

export type AccessConfig = z.output<typeof accessSchema>;

interface AssignmentSources {
  access: AccessConfig;
  adminTokens: AdminTokensConfig;
}

const ownEntry = <T>(map: Record<string, T>, key: string): T | undefined =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/** The policy role assigned to this admin user's admin tokens: the admin panel's, else the config file's, else none. */
export const assignedAdminTokenRole = (config: AssignmentSources, user: { id: number; email: string }) =>
  ownEntry(config.access.users, String(user.id))?.adminTokenRole ??
  ownEntry(config.adminTokens.roles, foldAsciiCase(user.email)) ??
  null;

/** The tenant of this admin user's admin-token calls: the admin panel's, else the config file's, else none. */
export const assignedAdminTokenTenant = (config: AssignmentSources, user: { id: number; email: string }) =>
  ownEntry(config.access.users, String(user.id))?.tenant ??
  ownEntry(config.adminTokens.tenants, foldAsciiCase(user.email)) ??
  null;

import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import { assignedAdminTokenTenant } from '../config/access-schema';
import { ConfigurationError } from '../config/config-problems';
import { getService } from '../services/get-service';
import type { AdminUser } from '../services/identity';
import { createAdminTokenCaller } from '../services/identity/caller';
import { resolvePolicyRole } from '../services/policy/roles';
import { actorOf, asValidationError } from './admin-actor';

const accessChange = z.strictObject({
  mcpEnabled: z.boolean().optional(),
  adminTokenRole: z.string().trim().min(1).max(100).nullable().optional(),
  tenant: z.string().trim().min(1).max(255).nullable().optional(),
});

const ADMIN_USER_FIELDS = ['id', 'email', 'firstname', 'lastname', 'username', 'isActive', 'blocked'];

/** Settings → MCP Server → Access: per admin user, MCP on or off, and what their Strapi admin tokens act as. */
const createAdminAccessController = ({ strapi }: { strapi: Core.Strapi }) => {
  const findUsers = (where: Record<string, unknown> = {}) =>
    strapi.db.query('admin::user').findMany({
      select: ADMIN_USER_FIELDS,
      where,
      populate: { roles: { select: ['id', 'code', 'name'] } },
      orderBy: [{ email: 'asc' }],
    }) as Promise<AdminUser[]>;

  const rowsFor = async (users: AdminUser[]) => {
    const config = getService(strapi, 'settings').get();
    const policy = getService(strapi, 'policy').compiled();
    const activity = await getService(strapi, 'audit').reports.lastActivity(users.map((user) => user.id));
    return users.map((user) => {
      const tokenCaller = createAdminTokenCaller(
        { id: 0, name: '', expiresAt: null },
        { ...user, roles: user.roles ?? [] },
        null,
      );
      return {
        id: user.id,
        email: user.email,
        name: [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || user.email,
        isActive: user.isActive,
        blocked: user.blocked,
        strapiRoles: (user.roles ?? []).map((role) => role.name),
        mcpEnabled: !config.access.disabledUsers.includes(user.id),
        adminTokenRole: Object.hasOwn(config.access.users, user.id)
          ? config.access.users[user.id].adminTokenRole
          : null,
        effectiveAdminTokenRole: resolvePolicyRole(tokenCaller, config, policy),
        tenant: assignedAdminTokenTenant(config, user),
        lastActivity: activity.get(user.id) ?? null,
      };
    });
  };

  return {
    async list(ctx: Context) {
      const config = getService(strapi, 'settings').get();
      ctx.body = {
        data: {
          adminTokensEnabled: config.adminTokens.enabled,
          policyRoles: Object.keys(config.roles),
          users: await rowsFor(await findUsers()),
        },
      };
    },

    /**
     * Changes one admin user's access. MCP access off refuses their next request, whatever the credential, and ends
     * their open sessions at once.
     */
    async update(ctx: Context) {
      const userId = /^[1-9]\d{0,15}$/.test(String(ctx.params.userId)) ? Number(ctx.params.userId) : NaN;
      const parsed = accessChange.safeParse(ctx.request.body ?? {});
      if (!parsed.success) {
        throw new errors.ValidationError('invalid access change', {
          errors: parsed.error.issues.map((issue) => ({
            path: issue.path.map(String),
            message: issue.message,
            name: 'ValidationError',
          })),
        });
      }
      const [user] = Number.isSafeInteger(userId) ? await findUsers({ id: userId }) : [];
      if (!user) throw new errors.NotFoundError('no admin user with this id');

      const settings = getService(strapi, 'settings');
      const change = parsed.data;
      const { disabledUsers } = settings.get().access;
      // By id: an email change (which every admin may make to their own account) cannot escape these.
      const assignment = {
        ...(change.adminTokenRole !== undefined ? { adminTokenRole: change.adminTokenRole } : {}),
        ...(change.tenant !== undefined ? { tenant: change.tenant } : {}),
      };
      const changes = {
        access: {
          ...(change.mcpEnabled === undefined
            ? {}
            : {
                disabledUsers: change.mcpEnabled
                  ? disabledUsers.filter((id) => id !== user.id)
                  : [...new Set([...disabledUsers, user.id])],
              }),
          ...(Object.keys(assignment).length > 0 ? { users: { [user.id]: assignment } } : {}),
        },
      };
      try {
        await settings.save(changes, actorOf(ctx), 'update-access');
      } catch (error) {
        // A role unknown to the policy is reported at the field the page shows.
        if (error instanceof ConfigurationError) {
          asValidationError(
            new ConfigurationError(
              error.problems.map((problem) =>
                problem.path[0] === 'access' && problem.path[1] === 'users'
                  ? { path: problem.path.slice(3), message: problem.message }
                  : problem,
              ),
            ),
          );
        }
        throw error;
      }
      // Off, or acting as another role or tenant: their sessions and listen streams end now (clients start new ones
      // with what the user now is), not at their next request.
      if (change.mcpEnabled === false || Object.keys(assignment).length > 0) {
        await getService(strapi, 'sessions').closeForUser(user.id, 'access-off');
      }
      const [row] = await rowsFor([user]);
      ctx.body = { data: row };
    },
  };
};

export default createAdminAccessController;

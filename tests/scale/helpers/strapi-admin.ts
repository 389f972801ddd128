/** Strapi's own admin API, called as the admin panel calls it, on one replica. */
import { adminApi, adminLogin } from '../../helpers/admin-panel';
import type { TestApp } from '../../helpers/test-app';

/**
 * Takes one permission away from a Strapi admin role through this replica's admin API (Settings → Roles → Save): the
 * role's permissions are read and saved again without it.
 */
export const removeRolePermission = async (app: TestApp, roleCode: string, action: string, subject: string) => {
  const jwt = await adminLogin(app, 'admin@example.com');
  const admin = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${app.baseUrl}/admin${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${jwt}`, 'Content-Type': 'application/json' },
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  const role = (await admin('/roles')).json.data.find((candidate: { code: string }) => candidate.code === roleCode);
  if (!role) throw new Error(`no Strapi admin role ${roleCode}`);
  const permissions = (await admin(`/roles/${role.id}/permissions`)).json.data as Array<Record<string, unknown>>;
  const kept = permissions
    .filter((permission) => !(permission.action === action && permission.subject === subject))
    .map(({ action, subject, properties, conditions }) => ({ action, subject, properties, conditions }));
  if (kept.length !== permissions.length - 1) throw new Error(`role ${roleCode} does not hold ${action} on ${subject}`);
  const saved = await admin(`/roles/${role.id}/permissions`, {
    method: 'PUT',
    body: JSON.stringify({ permissions: kept }),
  });
  if (saved.status !== 200) throw new Error(`saving the permissions of ${roleCode} failed: ${saved.status}`);
};

/** Switches one admin user's MCP access on or off through this replica's Settings → MCP Server → Access route. */
export const setMcpAccess = async (app: TestApp, email: string, mcpEnabled: boolean) => {
  const api = adminApi(app, await adminLogin(app, 'admin@example.com'));
  const users = (await api.get('/access')).json.data.users as Array<{ id: number; email: string }>;
  const user = users.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no admin user ${email} on the Access page`);
  const saved = await api.put(`/access/${user.id}`, { mcpEnabled });
  if (saved.status !== 200) throw new Error(`switching MCP access of ${email} failed: ${saved.status} ${saved.text}`);
};

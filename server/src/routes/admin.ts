import { actionId, type AdminActionName } from '../../../admin/src/permissions';

/** An admin panel route: an authenticated admin holding this plugin action (403 without it, 401 without a session). */
const route = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, handler: string, action: AdminActionName) => ({
  method,
  path,
  handler,
  config: {
    policies: [
      'admin::isAuthenticatedAdmin',
      { name: 'admin::hasPermissions', config: { actions: [actionId(action)] } },
    ],
  },
});

/** The routes of Settings → MCP Server, mounted at /mcp-server/… (see docs/admin-panel.md). */
export default {
  type: 'admin' as const,
  routes: [
    route('GET', '/overview', 'admin-overview.show', 'readOverview'),
    route('PUT', '/enabled', 'admin-overview.switch', 'updateSettings'),

    route('GET', '/settings', 'admin-settings.show', 'readOverview'),
    route('POST', '/settings/preview', 'admin-settings.preview', 'updateSettings'),
    route('PUT', '/settings', 'admin-settings.save', 'updateSettings'),
    route('POST', '/settings/reset', 'admin-settings.reset', 'updateSettings'),

    route('GET', '/access', 'admin-access.list', 'manageAccess'),
    route('PUT', '/access/:userId', 'admin-access.update', 'manageAccess'),

    route('GET', '/sessions', 'admin-sessions.list', 'manageSessions'),
    route('DELETE', '/sessions/:id', 'admin-sessions.end', 'manageSessions'),
    route('DELETE', '/users/:userId/sessions', 'admin-sessions.endForUser', 'manageSessions'),

    route('GET', '/audit', 'admin-audit.list', 'readAudit'),
    route('GET', '/audit/export', 'admin-audit.exportCsv', 'readAudit'),
    route('GET', '/audit/filters', 'admin-audit.filters', 'readAudit'),
    route('GET', '/audit/:id', 'admin-audit.show', 'readAudit'),
    route('GET', '/usage', 'admin-audit.usage', 'readAudit'),
  ],
};

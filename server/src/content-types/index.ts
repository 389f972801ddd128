import auditLogSchema from './audit-log/schema.json';

export const AUDIT_LOG_UID = 'plugin::mcp-server.audit-log';

export default {
  'audit-log': { schema: auditLogSchema },
};

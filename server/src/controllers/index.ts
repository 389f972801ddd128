import adminAccess from './admin-access';
import adminAudit from './admin-audit';
import adminOverview from './admin-overview';
import adminSessions from './admin-sessions';
import adminSettings from './admin-settings';
import health from './health';
import mcp from './mcp';
import oauthMetadata from './oauth-metadata';

export default {
  health,
  mcp,
  'oauth-metadata': oauthMetadata,
  'admin-overview': adminOverview,
  'admin-settings': adminSettings,
  'admin-access': adminAccess,
  'admin-sessions': adminSessions,
  'admin-audit': adminAudit,
};

import { useRBAC } from '@strapi/strapi/admin';
import { PERMISSIONS } from '../permissions';

/** Whether the signed-in admin may change the MCP settings (`plugin::mcp-server.settings.update`). */
export const useCanUpdateSettings = () => {
  const { allowedActions, isLoading } = useRBAC(PERMISSIONS.updateSettings);
  return { canUpdateSettings: Boolean(allowedActions.canUpdate), isLoading };
};

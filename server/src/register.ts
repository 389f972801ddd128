import type { Core } from '@strapi/strapi';
import { endpointPath } from './routes/endpoint-path';
import { createBodyErrorsMiddleware } from './mcp/body-errors';
import { builtInResources } from './resources';
import { getService } from './services/get-service';
import { isDeveloperMode } from './schema/developer-mode';
import { holdBuilderWritesDuringDryRuns } from './schema/sandbox-gate';
import { builtInTools } from './tools';
import { schemaTools } from './tools/schema-tools';
import { ADMIN_ACTIONS } from '../../admin/src/permissions';

/** The plugin's own admin actions (Settings → Roles → Settings → MCP Server); the Super Admin holds them all. */
const registerAdminActions = async (strapi: Core.Strapi) => {
  await strapi.service('admin::permission').actionProvider.registerMany(
    Object.values(ADMIN_ACTIONS).map(({ uid, displayName }) => ({
      section: 'settings',
      category: 'MCP Server',
      subCategory: 'general',
      displayName,
      uid,
      pluginName: 'mcp-server',
    })),
  );
};

const register = async ({ strapi }: { strapi: Core.Strapi }) => {
  // Parse once, early: a bad configuration stops the boot with a message naming the key.
  getService(strapi, 'settings').get();
  // The token audience must be settled (jwt.audience, or the OAuth resource) before the first request.
  getService(strapi, 'oauth').checkAtBoot();
  const registry = getService(strapi, 'tools');
  // Every tool is registered; read-only mode offers only the read-only ones to each new session.
  builtInTools.forEach((tool) => registry.registerTool(tool));
  // Developer mode: the schema tools exist only in a `strapi develop` process, never in production.
  if (isDeveloperMode(strapi)) {
    schemaTools.forEach((tool) => registry.registerTool(tool));
    strapi.server.use(holdBuilderWritesDuringDryRuns(strapi));
  }
  builtInResources.forEach((resource) => registry.registerResource(resource));
  // Before Strapi's own middlewares (added after the plugins' register): it sees what strapi::body refused.
  strapi.server.use(createBodyErrorsMiddleware(() => endpointPath(strapi)));
  await registerAdminActions(strapi);
};

export default register;

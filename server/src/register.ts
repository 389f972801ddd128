import type { Core } from '@strapi/strapi';
import { endpointPath } from './routes/endpoint-path';
import { createBodyErrorsMiddleware } from './mcp/body-errors';
import { builtInResources } from './resources';
import { getService } from './services/get-service';
import { builtInTools } from './tools';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Parse once, early: a bad configuration stops the boot with a message naming the key.
  getService(strapi, 'settings').get();
  // The token audience must be settled (jwt.audience, or the OAuth resource) before the first request.
  getService(strapi, 'oauth').checkAtBoot();
  const registry = getService(strapi, 'tools');
  // Every tool is registered; read-only mode offers only the read-only ones to each new session.
  builtInTools.forEach((tool) => registry.registerTool(tool));
  builtInResources.forEach((resource) => registry.registerResource(resource));
  // Before Strapi's own middlewares (added after the plugins' register): it sees what strapi::body refused.
  strapi.server.use(createBodyErrorsMiddleware(() => endpointPath(strapi)));
};

export default register;

import type { Core } from '@strapi/strapi';
import { readPluginConfig } from './config/read-plugin-config';
import { builtInResources } from './resources';
import { getService } from './services/get-service';
import { mutationTools, readTools } from './tools';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Parse once, early: a bad configuration stops the boot with a message naming the key.
  const config = readPluginConfig(strapi);
  const registry = getService(strapi, 'tools');
  // Read-only mode: mutation tools do not exist, rather than existing and refusing.
  [...readTools, ...(config.readOnly ? [] : mutationTools)].forEach((tool) => registry.registerTool(tool));
  builtInResources.forEach((resource) => registry.registerResource(resource));
};

export default register;

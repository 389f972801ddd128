import type { Core } from '@strapi/strapi';
import { readPluginConfig } from './config/read-plugin-config';
import { getService } from './services/get-service';
import { builtInTools } from './tools';

const register = ({ strapi }: { strapi: Core.Strapi }) => {
  // Parse once, early: a bad configuration stops the boot with a message naming the key.
  readPluginConfig(strapi);
  const registry = getService(strapi, 'tools');
  builtInTools.forEach((tool) => registry.registerTool(tool));
};

export default register;

import type { Core } from '@strapi/strapi';
import { PLUGIN_ID } from '../services/settings';

/** The MCP endpoint's path on this server: Strapi's REST prefix, the plugin, the route (`routes/index.ts`). */
export const endpointPath = (strapi: Core.Strapi): string =>
  `${String(strapi.config.get('api.rest.prefix') ?? '/api')}/${PLUGIN_ID}/mcp`;

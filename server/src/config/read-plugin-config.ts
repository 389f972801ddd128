import type { Core } from '@strapi/strapi';
import { parsePluginConfig, type PluginConfig } from './schema';

export const PLUGIN_ID = 'mcp-server';

const parsed = new WeakMap<Core.Strapi, PluginConfig>();

/** The validated plugin configuration, parsed once per Strapi instance. */
export const readPluginConfig = (strapi: Core.Strapi): PluginConfig => {
  let config = parsed.get(strapi);
  if (!config) {
    config = parsePluginConfig(strapi.config.get(`plugin::${PLUGIN_ID}`));
    parsed.set(strapi, config);
  }
  return config;
};

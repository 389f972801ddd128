import type { Core } from '@strapi/strapi';
import { environmentOf } from '../config/mutation-mode';
import type { PluginConfig } from '../config/schema';
import type { CallPolicy } from '../services/policy';

/**
 * Whether this process is a `strapi develop` one: auto-reload on (the Content-Type Builder's own rule for writing
 * schema files) and not production, by Strapi's environment or NODE_ENV. Nothing in the plugin's config can say yes.
 */
export const isDeveloperMode = (strapi: Core.Strapi): boolean =>
  strapi.config.get('autoReload') === true && environmentOf(strapi) !== 'production';

/** Whether the schema tools are offered to this policy role, in this process, with this config. */
export const schemaToolsOfferedTo = (strapi: Core.Strapi, config: PluginConfig, policy: CallPolicy): boolean =>
  isDeveloperMode(strapi) &&
  config.schemaTools.enabled &&
  policy.role !== null &&
  config.schemaTools.roles.includes(policy.role);

import type { Core } from '@strapi/strapi';
import type { MutationMode } from './mutations-schema';
import type { PluginConfig } from './schema';

/**
 * The mode in force: the configured one, else `disabled` in production and `enabled` elsewhere. A production
 * deployment that wants agents to write says so.
 */
export const resolveMutationMode = (configured: MutationMode | undefined, environment: unknown): MutationMode =>
  configured ?? (environment === 'production' ? 'disabled' : 'enabled');

/** Production is Strapi's environment, or NODE_ENV when it says so (either one is enough). */
export const environmentOf = (strapi: Core.Strapi) =>
  process.env.NODE_ENV === 'production' ? 'production' : strapi.config.get<string>('environment');

export const mutationModeOf = (strapi: Core.Strapi, config: PluginConfig): MutationMode =>
  resolveMutationMode(config.mutations, environmentOf(strapi));

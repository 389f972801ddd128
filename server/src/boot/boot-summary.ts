import type { Core } from '@strapi/strapi';
import { mutationModeOf } from '../config/mutation-mode';
import type { PluginConfig } from '../config/schema';
import { describeAcceptedCredentials, describeInternalSecret } from './accepted-credentials';
import { findCorsProblems } from './cors-check';
import { endpointPath } from '../routes/endpoint-path';

/** The endpoint's public URL: Strapi's `server.url` when set, else host and port, then the endpoint's path. */
export const endpointUrl = (strapi: Core.Strapi): string => {
  const base = String(strapi.config.get('server.absoluteUrl') ?? '').replace(/\/+$/, '');
  return `${base}${endpointPath(strapi)}`;
};

/**
 * One info line at boot, saying what the endpoint is, what it accepts and what it exposes (and one more when mutations
 * are fenced: `disabled` or `confirm`), and a warning for each setting that would leave it unusable: no content type
 * exposed, or browsers at `allowedOrigins` refused by Strapi's CORS layer. Nothing secret is logged.
 */
export const logBootSummary = async (strapi: Core.Strapi, config: PluginConfig, exposedTypes: readonly string[]) => {
  const credentials = `${describeAcceptedCredentials(config).join(', ')}; ${describeInternalSecret(config)}`;
  const types = exposedTypes.length > 0 ? exposedTypes.join(', ') : 'none';
  strapi.log.info(`[mcp-server] MCP endpoint ${endpointUrl(strapi)}; accepts ${credentials}; exposes ${types}`);
  const mutations = mutationModeOf(strapi, config);
  if (mutations !== 'enabled') {
    const source = config.mutations === undefined ? ', the production default' : '';
    strapi.log.info(
      `[mcp-server] mutations: '${mutations}'${source}: ` +
        (mutations === 'disabled'
          ? 'no mutation tool is offered'
          : 'every mutation runs only with the confirmation token of its dry run') +
        " (set mutations or MCP_MUTATIONS: 'enabled', 'confirm' or 'disabled')",
    );
  }
  if (exposedTypes.length === 0) {
    strapi.log.warn(
      '[mcp-server] no content type is exposed (contentTypes is empty): callers can connect but every content tool ' +
        'will be refused. List the types in contentTypes (docs/configuration.md).',
    );
  }
  if (config.allowedOrigins.length > 0) {
    const problems = await findCorsProblems(strapi.config.get('middlewares'), config.allowedOrigins);
    if (problems.length > 0) {
      strapi.log.warn(
        `[mcp-server] allowedOrigins lists ${config.allowedOrigins.join(', ')} but strapi::cors (config/middlewares) ` +
          `would block browsers there: ${problems.join('; ')}. See "CORS" in docs/configuration.md.`,
      );
    }
  }
};

import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../config/schema';
import { getService } from '../get-service';
import { endpointPath } from '../../routes/endpoint-path';
import { createRegistrationProbe } from './registration-probe';
import { deriveScopes } from './scopes';

const METADATA_PREFIX = '/.well-known/oauth-protected-resource';

/** The request facts resource discovery reads: Koa's `ctx.origin` (X-Forwarded-* only behind `server.proxy`). */
export interface RequestOrigin {
  origin: string;
}

/** The protected resource metadata document of RFC 9728 §2. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  scopes_supported: string[];
  bearer_methods_supported: ['header'];
}

/** Where the metadata of a resource lives (RFC 9728 §3.1): the well-known prefix inserted before the path. */
export const metadataUrlOf = (resource: string): string => {
  const url = new URL(resource);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${METADATA_PREFIX}${path}${url.search}`;
};

/**
 * OAuth discovery for direct clients: the resource this endpoint is (RFC 8707), its metadata document and URL
 * (RFC 9728), and the audience tokens must carry. The audience never comes from the request: a Host header is the
 * caller's to choose, and an audience taken from it would accept tokens minted for any other resource.
 */
const createOAuthService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = getService(strapi, 'settings');
  const scopes = settings.derived(
    (config) => config.oauth.scopesSupported ?? deriveScopes(getService(strapi, 'policy').compiled()),
  );

  /** The resource as configured: `oauth.resource`, else Strapi's absolute `server.url` + the endpoint's path. */
  const configuredResource = (config: PluginConfig): string | undefined => {
    if (config.oauth.resource) return config.oauth.resource;
    const serverUrl = strapi.config.get('server.url', '') as string;
    return /^https?:\/\//.test(serverUrl) ? `${serverUrl.replace(/\/+$/, '')}${endpointPath(strapi)}` : undefined;
  };

  const isEnabled = (config: PluginConfig) => config.oauth.authorizationServers.length > 0;

  const resourceFor = (config: PluginConfig, request: RequestOrigin) =>
    configuredResource(config) ?? `${request.origin}${endpointPath(strapi)}`;

  /** The audience a token must carry: `jwt.audience`, else (OAuth configured) the configured resource. */
  const audience = (config: PluginConfig): string | string[] => {
    if (config.jwt?.audience !== undefined) return config.jwt.audience;
    const resource = configuredResource(config);
    if (resource === undefined) {
      throw new Error(
        'invalid mcp-server configuration: jwt.audience: is required (env MCP_JWT_AUDIENCE) unless the resource is ' +
          "known: set oauth.resource (env MCP_OAUTH_RESOURCE) or Strapi's server.url",
      );
    }
    return resource;
  };

  const warnOnForeignAudience = (config: PluginConfig) => {
    const resource = configuredResource(config);
    const audiences = [config.jwt?.audience ?? []].flat();
    if (isEnabled(config) && resource && audiences.length > 0 && !audiences.includes(resource)) {
      strapi.log.warn(
        `[mcp-server] jwt.audience does not include the OAuth resource ${resource}: tokens that OAuth clients ` +
          'obtain for this endpoint will be refused',
      );
    }
  };
  // Without a jwt configuration (admin tokens only) there is no audience to settle.
  settings.addCheck((config) => void (config.jwt && audience(config)));

  const registrationProbe = createRegistrationProbe({
    oauthEnabled: () => isEnabled(settings.get()),
    endpoint: () => configuredResource(settings.get()) ?? endpointPath(strapi),
  });

  return {
    /** Stops the boot when no audience can be settled; warns when OAuth clients' tokens could never pass. */
    checkAtBoot() {
      const config = settings.get();
      if (!config.jwt) return;
      audience(config);
      warnOnForeignAudience(config);
    },

    audience: () => audience(settings.get()),

    /** `scopes_supported`: configured, or derived from the exposed types and the roles' operations. */
    scopesSupported: () => scopes(),

    /** The path the metadata route is served at, for the endpoint's own path. */
    metadataPath: () => `${METADATA_PREFIX}${endpointPath(strapi)}`,

    /** The endpoint's URL: the configured resource, else this request's origin and the endpoint's path. */
    endpointUrl: (request: RequestOrigin): string => resourceFor(settings.get(), request),

    /** The metadata document, or `undefined` while no authorization server is configured. */
    metadata(request: RequestOrigin): ProtectedResourceMetadata | undefined {
      const config = settings.get();
      if (!isEnabled(config)) return undefined;
      return {
        resource: resourceFor(config, request),
        authorization_servers: config.oauth.authorizationServers,
        scopes_supported: scopes(),
        bearer_methods_supported: ['header'],
      };
    },

    /** Koa middleware answering clients' sign-in attempt at `POST /register` while OAuth is off (registration-probe). */
    registrationProbe: registrationProbe.middleware,

    /** Remembers a refusal of the endpoint, for the sign-in attempt its client may make next. */
    noteRefusal: registrationProbe.noteRefusal,

    /** The `resource_metadata` a 401 names, or `undefined` while OAuth is off. */
    metadataUrl(request: RequestOrigin): string | undefined {
      const config = settings.get();
      return isEnabled(config) ? metadataUrlOf(resourceFor(config, request)) : undefined;
    },
  };
};

export default createOAuthService;
export type OAuthService = ReturnType<typeof createOAuthService>;

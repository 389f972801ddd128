import type { Core } from '@strapi/strapi';
import { PLAYGROUND_PASSWORD, SEEDED_USERS } from '../seed/users';
import { createStrapiAccounts } from './accounts';
import { readDevKey } from './dev-keys';
import type { RunningAuthorizationServer } from './index';
import { readPlaygroundOAuthSettings } from './settings';

/**
 * Starts the authorization server beside the playground, on its own loopback port (the issuer's), in development
 * only. It signs with the dev identity provider's private key (playground/.mcp-dev-idp), as `npm run token` does.
 */
export const startPlaygroundAuthorizationServer = async (
  strapi: Core.Strapi,
): Promise<RunningAuthorizationServer | undefined> => {
  const settings = readPlaygroundOAuthSettings();
  if (!settings.enabled) return undefined;
  // Loaded only when it runs: oidc-provider stays out of production and test boots.
  const { startAuthorizationServer } = await import('./index');
  const issuer = new URL(settings.issuer);
  const starting = startAuthorizationServer({
    host: '127.0.0.1',
    port: Number(issuer.port || 80),
    issuer: settings.issuer,
    resource: settings.resource,
    scopes: strapi.plugin('mcp-server').service('oauth').scopesSupported(),
    signingKey: readDevKey('private.jwk.json'),
    accounts: createStrapiAccounts(() => strapi),
    hint: `Playground users: ${SEEDED_USERS.filter((user) => !('isActive' in user) && !('blocked' in user))
      .map((user) => user.email)
      .join(', ')}; password ${PLAYGROUND_PASSWORD} (development only).`,
  });
  const server = await starting.catch((error: Error) => {
    throw new Error(
      `playground: the OAuth authorization server cannot listen at ${settings.issuer} (${error.message}); set ` +
        'PLAYGROUND_ISSUER to another loopback URL, or PLAYGROUND_AUTHORIZATION_SERVER=false',
    );
  });
  strapi.log.info(`[playground] OAuth authorization server at ${server.issuer} (tokens for ${settings.resource})`);
  return server;
};

import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { PLAYGROUND_PASSWORD, SEEDED_USERS } from '../seed/users';
import { createStrapiAccounts } from './accounts';
import { startAuthorizationServer, type RunningAuthorizationServer } from './index';
import { readPlaygroundOAuthSettings } from './settings';

export const PLAYGROUND_TENANTS = ['org-1', 'org-2'];

/**
 * Starts the authorization server beside the playground, on its own loopback port (the issuer's), in development
 * only. It signs with the dev identity provider's private key (playground/.mcp-dev-idp), as `npm run token` does.
 */
export const startPlaygroundAuthorizationServer = async (
  strapi: Core.Strapi,
): Promise<RunningAuthorizationServer | undefined> => {
  const settings = readPlaygroundOAuthSettings();
  if (!settings.enabled) return undefined;
  const keyFile = path.join(strapi.dirs.app.root, '.mcp-dev-idp', 'private.jwk.json');
  const issuer = new URL(settings.issuer);
  const server = await startAuthorizationServer({
    host: '127.0.0.1',
    port: Number(issuer.port || 80),
    issuer: settings.issuer,
    resource: settings.resource,
    scopes: strapi.plugin('mcp-server').service('oauth').scopesSupported(),
    signingKey: JSON.parse(fs.readFileSync(keyFile, 'utf8')),
    accounts: createStrapiAccounts(() => strapi),
    tenants: PLAYGROUND_TENANTS,
    hint: `Playground users: ${SEEDED_USERS.filter((user) => !('isActive' in user) && !('blocked' in user))
      .map((user) => user.email)
      .join(', ')}; password ${PLAYGROUND_PASSWORD} (development only).`,
  });
  strapi.log.info(`[playground] OAuth authorization server at ${server.issuer} (tokens for ${settings.resource})`);
  return server;
};

import path from 'node:path';
import { findPluginRoot, readDevKey } from '../src/authorization-server/dev-keys';
import { readPlaygroundOAuthSettings } from '../src/authorization-server/settings';

const pluginRoot = findPluginRoot();

export default ({ env }) => {
  const oauth = readPlaygroundOAuthSettings();
  return {
    'mcp-server': {
      enabled: true,
      resolve: pluginRoot,
      config: {
        // internalSecret comes from MCP_SECRET_KEY in playground/.env (generated on first run).
        jwt: {
          // The playground's authorization server and `npm run token` sign with the same keys, as the same issuer,
          // for the same audience: the MCP endpoint's URL.
          issuer: env('MCP_JWT_ISSUER', oauth.issuer),
          audience: env('MCP_JWT_AUDIENCE', oauth.resource),
          // A real identity provider publishes a JWKS URL; locally, the dev provider's keys are read from disk.
          ...(env('MCP_JWKS_URI') ? {} : { jwks: readDevKey('jwks.json') }),
        },
        // Direct clients (mcp-remote, Claude Desktop, the Inspector) discover the playground's authorization server,
        // which runs in development only (src/index.ts).
        ...(oauth.enabled ? { oauth: { authorizationServers: [oauth.issuer], resource: oauth.resource } } : {}),
        // The worked example of docs/policy.md. Roles and their actions are the defaults:
        // Admin ['*'], Publisher [create, read, update, publish], Author [create, read, update-own], Reader [read].
        contentTypes: {
          'api::article.article': {
            // Tenant-aware through its tenantId attribute (the default tenantField).
            fields: {
              reviewNotes: { read: ['Admin', 'Publisher'], write: ['Admin', 'Publisher'] },
              featured: { write: ['Admin', 'Publisher'] },
              locked: { write: ['Admin', 'Publisher'] },
            },
            conditions: [
              {
                name: 'authors-write-news-or-blog',
                actions: ['create', 'update'],
                roles: ['Author'],
                on: 'data',
                field: 'kind',
                in: ['news', 'blog'],
                message: 'Authors may only write news or blog articles (kind news or blog)',
              },
              {
                name: 'locked-articles-admin-only',
                actions: ['update', 'delete'],
                exceptRoles: ['Admin'],
                on: 'stored',
                field: 'locked',
                notEquals: true,
                message: 'this article is locked; only an Admin may change or delete it',
              },
            ],
          },
          // Shared by every tenant: readable by all, writable by Admin and Publisher.
          'api::category.category': {
            actions: { Author: ['read'], Reader: ['read'] },
          },
          // Readable by all; updated and published by Admin and Publisher.
          'api::homepage.homepage': {
            actions: { Publisher: ['read', 'update', 'publish'], Author: ['read'], Reader: ['read'] },
          },
        },
        // Strapi admin tokens (Settings → Admin tokens) carry no tenant claim: the tenant of each user's admin-token calls.
        adminTokens: {
          tenants: {
            'admin@example.com': 'org-1',
            'publisher@example.com': 'org-1',
            'author1@example.com': 'org-1',
            'author2@example.com': 'org-2',
            'reader@example.com': 'org-1',
          },
        },
        // With roleSource: 'strapi' (MCP_ROLE_SOURCE=strapi), the role comes from these Strapi roles instead of the token.
        strapiRoles: {
          'strapi-super-admin': 'Admin',
          'mcp-publisher': 'Publisher',
          'mcp-author': 'Author',
          'mcp-reader': 'Reader',
        },
      },
    },
    // Test-only: the MCP conformance fixtures, loaded by `npm run conformance` and never otherwise.
    ...(env.bool('MCP_CONFORMANCE_FIXTURES', false)
      ? {
          'mcp-conformance-fixtures': {
            enabled: true,
            resolve: path.join(pluginRoot, 'tests', 'conformance', 'fixtures-plugin'),
          },
        }
      : {}),
  };
};

/**
 * Where the playground's authorization server runs and which resource it issues tokens for. Read by the plugin
 * config (config/plugins.ts) and by the bootstrap that starts it (src/index.ts). The defaults match
 * scripts/dev-identity-provider.js, which `npm run token` signs with.
 */
export const DEFAULT_ISSUER = 'http://localhost:1338';
export const DEFAULT_RESOURCE = 'http://localhost:1337/api/mcp-server/mcp';

export interface PlaygroundOAuthSettings {
  /** Started in development only (never in production, nor under the test runner's NODE_ENV=test). */
  enabled: boolean;
  issuer: string;
  /** The MCP endpoint's canonical URL: the audience of every token it issues. */
  resource: string;
}

export const readPlaygroundOAuthSettings = (env: NodeJS.ProcessEnv = process.env): PlaygroundOAuthSettings => ({
  enabled: (env.NODE_ENV ?? 'development') === 'development' && env.PLAYGROUND_AUTHORIZATION_SERVER !== 'false',
  issuer: env.PLAYGROUND_ISSUER || DEFAULT_ISSUER,
  resource: env.MCP_OAUTH_RESOURCE || DEFAULT_RESOURCE,
});

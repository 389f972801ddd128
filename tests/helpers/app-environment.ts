/** The environment a test's Strapi (in the test process or a child process) boots with, apart from its database. */
import { randomBytes } from 'node:crypto';
import { TEST_AUDIENCE, TEST_ISSUER } from './identity-provider';

export const randomSecret = () => randomBytes(32).toString('base64url');

/**
 * Fresh Strapi secrets, the plugin's internal secret and the test identity provider. Replicas of one app get the same
 * values (one call); separate apps get their own.
 */
export const appEnvironment = (idp: { jwksUri: string }, secret: string): Record<string, string> => ({
  APP_KEYS: [randomSecret(), randomSecret()].join(','),
  API_TOKEN_SALT: randomSecret(),
  ADMIN_JWT_SECRET: randomSecret(),
  TRANSFER_TOKEN_SALT: randomSecret(),
  JWT_SECRET: randomSecret(),
  ENCRYPTION_KEY: randomSecret(),
  MCP_SECRET_KEY: secret,
  MCP_JWKS_URI: idp.jwksUri,
  MCP_JWT_ISSUER: TEST_ISSUER,
  MCP_JWT_AUDIENCE: TEST_AUDIENCE,
  // Rate limits off: every test calls from 127.0.0.1, faster than any user; the rate-limit tests turn them on.
  MCP_RATE_LIMIT_PER_MINUTE: '0',
  MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '0',
  STRAPI_TELEMETRY_DISABLED: 'true',
  STRAPI_STARTUP_BANNER: 'false',
  PLAYGROUND_QUIET: 'true',
});

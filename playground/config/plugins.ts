import fs from 'node:fs';
import path from 'node:path';

const PLUGIN_PACKAGE = 'strapi-plugin-mcp-server';

/** The repository root, where the plugin lives; found by walking up so it works from src and from dist. */
const findPluginRoot = (): string => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PLUGIN_PACKAGE) return dir;
  }
  throw new Error(`playground: cannot find the ${PLUGIN_PACKAGE} repository above ${__dirname}`);
};

const pluginRoot = findPluginRoot();

/** The public keys of the dev identity provider (`npm run token`), created by scripts/prepare-env.js. */
const readDevIdentityProviderKeys = () => {
  const file = path.join(pluginRoot, 'playground', '.mcp-dev-idp', 'jwks.json');
  if (!fs.existsSync(file)) {
    throw new Error(
      'playground: no dev identity provider keys; run `npm run develop` or `npm run token` once to create them',
    );
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
};

export default ({ env }) => ({
  'mcp-server': {
    enabled: true,
    resolve: pluginRoot,
    config: {
      // internalSecret comes from MCP_SECRET_KEY in playground/.env (generated on first run).
      jwt: {
        issuer: env('MCP_JWT_ISSUER', 'mcp-playground-dev-idp'),
        audience: env('MCP_JWT_AUDIENCE', 'strapi-mcp-playground'),
        // A real identity provider publishes a JWKS URL; locally, the dev provider's keys are read from disk.
        ...(env('MCP_JWKS_URI') ? {} : { jwks: readDevIdentityProviderKeys() }),
      },
      contentTypes: ['api::article.article', 'api::category.category', 'api::homepage.homepage'],
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
});

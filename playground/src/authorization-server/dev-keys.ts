import fs from 'node:fs';
import path from 'node:path';

const PLUGIN_PACKAGE = 'strapi-plugin-mcp-server';

/** The repository root, where the plugin lives; found by walking up so it works from src, dist and test copies. */
export const findPluginRoot = (): string => {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === PLUGIN_PACKAGE) return dir;
  }
  throw new Error(`playground: cannot find the ${PLUGIN_PACKAGE} repository above ${__dirname}`);
};

/**
 * A file of the dev identity provider's key pair (playground/.mcp-dev-idp, created by scripts/prepare-env.js):
 * `jwks.json` (public, trusted by the plugin) or `private.jwk.json` (signs `npm run token` and the authorization
 * server's tokens).
 */
export const readDevKey = (file: 'jwks.json' | 'private.jwk.json') => {
  const location = path.join(findPluginRoot(), 'playground', '.mcp-dev-idp', file);
  if (!fs.existsSync(location)) {
    throw new Error(
      'playground: no dev identity provider keys; run `npm run develop` or `npm run token` once to create them',
    );
  }
  return JSON.parse(fs.readFileSync(location, 'utf8'));
};

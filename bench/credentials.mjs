/**
 * What each contender authenticates with: a JWT of the playground's dev identity provider for the plugin
 * (admin@example.com, role Admin, tenant org-1, as `npm run token` signs it), an admin API token allowed to read
 * articles for Strapi's built-in MCP, and a read-only API token for the REST API.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { SignJWT, importJWK } from 'jose';
import { PLAYGROUND } from './playground-app.mjs';

const require = createRequire(import.meta.url);
export const BENCH_IDENTITY = { email: 'admin@example.com', role: 'Admin', tenant: 'org-1' };

const signPluginJwt = async () => {
  const { ensureKeys, ISSUER, AUDIENCE, ALGORITHM } = require(
    path.join(PLAYGROUND, 'scripts', 'dev-identity-provider.js'),
  );
  const privateJwk = ensureKeys();
  return new SignJWT({ email: BENCH_IDENTITY.email, role: BENCH_IDENTITY.role, tenant: BENCH_IDENTITY.tenant })
    .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(BENCH_IDENTITY.email)
    .setExpirationTime('2h')
    .sign(await importJWK(privateJwk, ALGORITHM));
};

export const createCredentials = async (strapi) => {
  const admin = await strapi.db
    .query('admin::user')
    .findOne({ where: { email: BENCH_IDENTITY.email }, populate: ['roles'] });
  const adminToken = await strapi.service('admin::api-token-admin').create(
    {
      name: 'bench built-in MCP',
      kind: 'admin',
      lifespan: null,
      adminPermissions: [{ action: 'plugin::content-manager.explorer.read', subject: 'api::article.article' }],
    },
    admin,
  );
  const restToken = await strapi
    .service('admin::api-token')
    .create({ name: 'bench REST', type: 'read-only', lifespan: null });
  return { pluginJwt: await signPluginJwt(), adminToken: adminToken.accessKey, restToken: restToken.accessKey };
};

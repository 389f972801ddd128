'use strict';

/**
 * Dev identity provider: prints a signed JWT, and only that, on stdout.
 *   npm run token -- --email author1@example.com --role Author --tenant org-1 [--scopes "article:read"] [--expires-in 15m] [--sub id]
 * `--scopes` sets the `scope` claim (space-separated `<type>:<action>` entries), which narrows the role.
 */
const { parseArgs } = require('node:util');
const { ensureKeys, ISSUER, AUDIENCE, ALGORITHM } = require('./dev-identity-provider');

const USAGE =
  'usage: npm run token -- --email <admin email> [--role <role>] [--tenant <tenant>] [--scopes "<type>:<action> ..."] [--expires-in 15m] [--sub <subject>]';

const main = async () => {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      'expires-in': { type: 'string', default: '15m' },
      sub: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.email) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(values.help ? 0 : 2);
  }
  const { SignJWT, importJWK } = await import('jose');
  const privateJwk = ensureKeys();
  const key = await importJWK(privateJwk, ALGORITHM);
  const claims = { email: values.email };
  if (values.role) claims.role = values.role;
  if (values.tenant) claims.tenant = values.tenant;
  if (values.scopes !== undefined)
    claims.scope = values.scopes
      .split(/[\s,]+/)
      .filter(Boolean)
      .join(' ');
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(values.sub ?? values.email)
    .setIssuedAt()
    .setExpirationTime(values['expires-in'])
    .sign(key);
  process.stdout.write(`${token}\n`);
};

main().catch((error) => {
  process.stderr.write(`token: ${error.message}\n${USAGE}\n`);
  process.exit(1);
});

'use strict';

/**
 * The playground's dev identity provider: one ES256 key pair under playground/.mcp-dev-idp (git-ignored),
 * created on first use. The plugin config trusts its public key (jwks.json); `npm run token` and the playground's
 * OAuth authorization server sign with the private one.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const KEY_DIR = path.join(__dirname, '..', '.mcp-dev-idp');
const PRIVATE_KEY_FILE = path.join(KEY_DIR, 'private.jwk.json');
const JWKS_FILE = path.join(KEY_DIR, 'jwks.json');
// The playground's authorization server (src/authorization-server) signs with the same key as this issuer, for this
// audience (the MCP endpoint's URL): the defaults of src/authorization-server/settings.ts.
const ISSUER = process.env.PLAYGROUND_ISSUER || 'http://localhost:1338';
const AUDIENCE = process.env.MCP_OAUTH_RESOURCE || 'http://localhost:1337/api/mcp-server/mcp';
const ALGORITHM = 'ES256';

const ensureKeys = () => {
  if (fs.existsSync(PRIVATE_KEY_FILE) && fs.existsSync(JWKS_FILE)) {
    return JSON.parse(fs.readFileSync(PRIVATE_KEY_FILE, 'utf8'));
  }
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `dev-${crypto.randomBytes(6).toString('hex')}`;
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: ALGORITHM, use: 'sig' };
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: ALGORITHM, use: 'sig' };
  fs.mkdirSync(KEY_DIR, { recursive: true, mode: 0o700 });
  fs.writeFileSync(PRIVATE_KEY_FILE, JSON.stringify(privateJwk, null, 2), { mode: 0o600 });
  fs.writeFileSync(JWKS_FILE, JSON.stringify({ keys: [publicJwk] }, null, 2));
  process.stderr.write(`Created the dev identity provider's signing key in ${path.relative(process.cwd(), KEY_DIR)}\n`);
  return privateJwk;
};

module.exports = { ensureKeys, ISSUER, AUDIENCE, ALGORITHM, KEY_DIR };

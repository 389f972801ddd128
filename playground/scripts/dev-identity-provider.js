'use strict';

/**
 * The playground's dev identity provider: one ES256 key pair under playground/.mcp-dev-idp (git-ignored),
 * created on first use. The plugin config trusts its public key (jwks.json); `npm run token` signs with the private one.
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');

const KEY_DIR = path.join(__dirname, '..', '.mcp-dev-idp');
const PRIVATE_KEY_FILE = path.join(KEY_DIR, 'private.jwk.json');
const JWKS_FILE = path.join(KEY_DIR, 'jwks.json');
const ISSUER = 'mcp-playground-dev-idp';
const AUDIENCE = 'strapi-mcp-playground';
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

/**
 * What kind of credential a bearer is, by its shape alone, so that each is checked only by its own verifier: a JWT
 * in compact form is three base64url segments joined by dots; a Strapi admin token is hex digits (Strapi issues 128
 * random bytes, 256 hex characters). Neither shape can be mistaken for the other.
 */
export type BearerKind = 'jwt' | 'admin-token' | 'unknown';

const COMPACT_JWS = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;
const ADMIN_TOKEN = /^[0-9a-f]{64,512}$/i;

export const classifyBearer = (token: string): BearerKind => {
  if (COMPACT_JWS.test(token)) return 'jwt';
  if (ADMIN_TOKEN.test(token)) return 'admin-token';
  return 'unknown';
};

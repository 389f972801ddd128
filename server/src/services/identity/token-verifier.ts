import { createPublicKey } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import type { PluginConfig } from '../../config/schema';
import { accept, refuse, type Outcome } from '../../outcome';

/** The `jwt` options with the audience settled (see the oauth service). */
type JwtConfig = PluginConfig['jwt'] & { audience: string | string[] };
type VerificationKey = JWTVerifyGetKey | KeyObject | Uint8Array;

export type TokenVerifier = (token: string) => Promise<Outcome<JWTPayload>>;

const createVerificationKey = (jwt: JwtConfig): VerificationKey => {
  if (jwt.jwksUri) {
    // jose refetches the set when a token names an unknown kid, at most once per cooldown.
    return createRemoteJWKSet(new URL(jwt.jwksUri), {
      cacheMaxAge: jwt.jwksCacheMaxAgeMs,
      cooldownDuration: jwt.jwksCooldownMs,
      timeoutDuration: jwt.jwksTimeoutMs,
    });
  }
  if (jwt.jwks) return createLocalJWKSet(jwt.jwks as Parameters<typeof createLocalJWKSet>[0]);
  if (jwt.publicKey) return createPublicKey(jwt.publicKey.replace(/\\n/g, '\n')) as unknown as KeyObject;
  if (jwt.secret) return new TextEncoder().encode(jwt.secret);
  throw new Error('mcp-server: no JWT verification key configured');
};

const CLAIM_REASONS: Record<string, string> = {
  iss: 'issuer not accepted',
  aud: 'audience not accepted',
  nbf: 'token not yet valid',
  iat: 'token issued in the future or too long ago',
  exp: 'token has no valid expiry',
};

/** Maps jose's error classes onto short reasons; anything unrecognised is a malformed token. */
const explainVerificationError = (error: unknown, audience: string | string[]): Outcome<never> => {
  if (error instanceof errors.JWTExpired) return refuse('token', 'token expired');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    // The expected audience is public (the resource's metadata names it); it tells a client which token to get.
    return refuse('token', `${CLAIM_REASONS.aud} (expected ${[audience].flat().join(' or ')})`);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return refuse('token', CLAIM_REASONS[error.claim] ?? `claim ${error.claim} rejected`);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refuse('token', 'token algorithm not allowed');
  if (error instanceof errors.JWSSignatureVerificationFailed) return refuse('token', 'signature verification failed');
  if (error instanceof errors.JWKSNoMatchingKey)
    return refuse('token', 'no trusted key matches the token (unknown kid)');
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return refuse('token', 'more than one trusted key matches the token');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return refuse('identity-provider', 'signing keys of the identity provider are unavailable');
  }
  if (error instanceof errors.JOSENotSupported) return refuse('token', 'token algorithm or key type not supported');
  if (error instanceof TypeError && /fetch/i.test(error.message)) {
    return refuse('identity-provider', 'signing keys of the identity provider are unavailable');
  }
  return refuse('token', 'malformed token');
};

export const createTokenVerifier = (jwt: JwtConfig): TokenVerifier => {
  const key = createVerificationKey(jwt);
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    algorithms: jwt.algorithms,
    clockTolerance: jwt.clockToleranceSec,
    maxTokenAge: jwt.maxTokenAgeSec,
    requiredClaims: ['exp'],
  };
  return async (token) => {
    try {
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      // jose checks `iat` only together with maxTokenAge: a token minted in the future is refused here.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + jwt.clockToleranceSec) {
        return refuse('token', 'token issued in the future');
      }
      return accept(payload);
    } catch (error) {
      return explainVerificationError(error, jwt.audience);
    }
  };
};

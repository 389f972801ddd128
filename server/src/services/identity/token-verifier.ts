import { createPublicKey } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import type { PluginConfig } from '../../config/schema';
import { accept, refuse, type Outcome } from '../../outcome';

/** The `jwt` options with the audience settled (see the oauth service). */
type JwtConfig = NonNullable<PluginConfig['jwt']> & { audience: string | string[] };
type VerificationKey = JWTVerifyGetKey | KeyObject | Uint8Array;

/** The last fetch of a JWKS URL, for the admin panel: when, and how it ended. */
export interface KeyFetch {
  at: string;
  ok: boolean;
  error: string | null;
}

export type TokenVerifier = ((token: string) => Promise<Outcome<JWTPayload>>) & {
  /** Whether the signing keys can be had now: always for keys held locally; for a JWKS URL, a fetch within a minute. */
  keysAvailable(): Promise<boolean>;
  /** The last fetch of the JWKS URL (null: none yet, or keys held locally). */
  lastKeyFetch(): KeyFetch | null;
};

/** How long a health answer about a remote key set stands, so that probes do not turn into JWKS fetches. */
const KEY_HEALTH_TTL_MS = 60_000;

const createVerificationKey = (jwt: JwtConfig, onFetch: (fetched: KeyFetch) => void): VerificationKey => {
  if (jwt.jwksUri) {
    // jose refetches the set when a token names an unknown kid, at most once per cooldown.
    return createRemoteJWKSet(new URL(jwt.jwksUri), {
      cacheMaxAge: jwt.jwksCacheMaxAgeMs,
      cooldownDuration: jwt.jwksCooldownMs,
      timeoutDuration: jwt.jwksTimeoutMs,
      // Watched, not changed: the admin panel shows when the keys were last fetched and whether that worked.
      [customFetch]: async (url, options) => {
        try {
          const response = await fetch(url, options);
          onFetch({
            at: new Date().toISOString(),
            ok: response.ok,
            error: response.ok ? null : `HTTP ${response.status}`,
          });
          return response;
        } catch (error) {
          onFetch({ at: new Date().toISOString(), ok: false, error: (error as Error).message.slice(0, 200) });
          throw error;
        }
      },
    });
  }
  if (jwt.jwks) return createLocalJWKSet(jwt.jwks as Parameters<typeof createLocalJWKSet>[0]);
  if (jwt.publicKey) return createPublicKey(jwt.publicKey.replace(/\\n/g, '\n')) as unknown as KeyObject;
  if (jwt.secret) return new TextEncoder().encode(jwt.secret);
  throw new Error('mcp-server: no JWT verification key configured');
};

const listed = (value: string | string[]) => (Array.isArray(value) ? value : [value]).join(' or ');

/**
 * Why a claim was refused; issuer and audience name what this server expects: configuration, never a secret, and the
 * resource's metadata names the audience anyway. It tells a client which token to get.
 */
const claimReason = (claim: string, jwt: JwtConfig): string => {
  switch (claim) {
    case 'iss':
      return `issuer not accepted (expected ${listed(jwt.issuer)})`;
    case 'aud':
      return `audience not accepted (expected ${listed(jwt.audience)})`;
    case 'nbf':
      return 'token not yet valid';
    case 'iat':
      return 'token issued in the future or too long ago';
    case 'exp':
      return 'token has no valid expiry';
    default:
      return `claim ${claim} rejected`;
  }
};

/** Maps jose's error classes onto short reasons; anything unrecognised is a malformed token. */
const explainVerificationError = (error: unknown, jwt: JwtConfig): Outcome<never> => {
  if (error instanceof errors.JWTExpired) return refuse('token', 'token expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    return refuse('token', claimReason(error.claim, jwt));
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
  let lastKeyFetch: KeyFetch | null = null;
  const key = createVerificationKey(jwt, (fetched) => {
    lastKeyFetch = fetched;
  });
  const options = {
    issuer: jwt.issuer,
    audience: jwt.audience,
    algorithms: jwt.algorithms,
    clockTolerance: jwt.clockToleranceSec,
    maxTokenAge: jwt.maxTokenAgeSec,
    requiredClaims: ['exp'],
  };
  let keyHealth: { at: number; available: Promise<boolean> } | undefined;
  const keysAvailable = () => {
    if (typeof key !== 'function' || !('reload' in key)) return Promise.resolve(true);
    const remote = key as JWTVerifyGetKey & { fresh: boolean; reload(): Promise<void> };
    if (remote.fresh) return Promise.resolve(true);
    if (!keyHealth || Date.now() - keyHealth.at > KEY_HEALTH_TTL_MS) {
      keyHealth = {
        at: Date.now(),
        available: remote.reload().then(
          () => true,
          () => false,
        ),
      };
    }
    return keyHealth.available;
  };

  const verify = async (token: string): Promise<Outcome<JWTPayload>> => {
    try {
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      // jose checks `iat` only together with maxTokenAge: a token minted in the future is refused here.
      if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + jwt.clockToleranceSec) {
        return refuse('token', 'token issued in the future');
      }
      return accept(payload);
    } catch (error) {
      return explainVerificationError(error, jwt);
    }
  };
  return Object.assign(verify, { keysAvailable, lastKeyFetch: () => lastKeyFetch });
};

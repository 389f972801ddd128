import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/**
 * The JWT verification keys of the configuration, read at boot with Node's key parser (the one the token verifier
 * hands jose for a PEM key), so a key that could never verify a token stops the boot instead of failing every request.
 */

/** jose refuses RSA keys shorter than this for every RS and PS algorithm. */
const MIN_RSA_MODULUS_BITS = 2048;

/** A PEM from an environment variable may carry its line breaks as literal `\n`. */
export const normalizePem = (pem: string) => pem.replace(/\\n/g, '\n').trim();

const rsaKeyProblem = (key: KeyObject): string | undefined => {
  if (key.asymmetricKeyType !== 'rsa' && key.asymmetricKeyType !== 'rsa-pss') return undefined;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  return bits < MIN_RSA_MODULUS_BITS
    ? `is an RSA key of ${bits} bits; tokens are verified only with ${MIN_RSA_MODULUS_BITS} bits or more`
    : undefined;
};

/** Why a PEM cannot serve as `jwt.publicKey`, or undefined when it can. */
export const pemKeyProblem = (pem: string): string | undefined => {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return 'is a private key; configure the public key (SPKI) or the certificate';
  }
  if (!/-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(pem)) {
    return 'is not a PEM public key or certificate (-----BEGIN PUBLIC KEY----- or -----BEGIN CERTIFICATE-----)';
  }
  try {
    return rsaKeyProblem(createPublicKey(pem));
  } catch {
    return 'cannot be read as a PEM public key or certificate (malformed key data)';
  }
};

/** Why one key of `jwt.jwks` cannot verify a token, or undefined when it can. */
export const jwkProblem = (jwk: Record<string, unknown>): string | undefined => {
  if (jwk.kty === 'oct') return 'is a symmetric (oct) key; a shared secret belongs in jwt.secret';
  if (jwk.d !== undefined) return 'holds private key material (d); configure only public keys';
  try {
    return rsaKeyProblem(createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
  } catch {
    return `cannot be imported as a public key (kty ${typeof jwk.kty === 'string' ? jwk.kty : 'missing'})`;
  }
};

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a confirmation token is bound to: the real call must match every part. */
export interface ConfirmationBinding {
  /** A digest of the admin user id and the caller's identity key (credential, role, tenant, scopes). */
  caller: string;
  /** The operation, `<subject>:<action>`: `content-type:update`, `media-library:create`... */
  action: string;
  contentType: string;
  /** The document the call acts on; null for a new one. */
  documentId: string | null;
  /** SHA-256 of the canonical JSON of the arguments, `dryRun` and `confirmationToken` left out. */
  args: string;
}

interface Claims extends ConfirmationBinding {
  /** The token's id: a token is spent once, by id. */
  jti: string;
  /** Expiry, in milliseconds since the epoch. */
  exp: number;
}

export interface MintedConfirmation {
  token: string;
  jti: string;
  expiresAt: number;
}

/**
 * Why a token does not confirm this call, in the order checked: `malformed` and `signature` say nothing of its
 * content; the others compare what it was issued for with this call.
 */
export type ConfirmationProblem =
  | { problem: 'malformed' }
  | { problem: 'signature' }
  | { problem: 'expired'; expiredAt: number }
  | { problem: 'caller' }
  | { problem: 'action'; issuedFor: string }
  | { problem: 'content-type'; issuedFor: string }
  | { problem: 'document'; issuedFor: string | null }
  | { problem: 'arguments' };

export type ConfirmationCheck =
  | ({ ok: true } & Omit<MintedConfirmation, 'token'>)
  | ({ ok: false } & ConfirmationProblem);

const VERSION = 'mc1';
/** Longer than any token this module mints; anything longer is not read. */
export const MAX_TOKEN_LENGTH = 2000;

const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

export const mintConfirmationToken = (
  key: Buffer,
  binding: ConfirmationBinding,
  ttlMs: number,
  now = Date.now(),
): MintedConfirmation => {
  const claims: Claims = { ...binding, jti: randomBytes(16).toString('base64url'), exp: now + ttlMs };
  const body = `${VERSION}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return { token: `${body}.${sign(key, body).toString('base64url')}`, jti: claims.jti, expiresAt: claims.exp };
};

const isClaims = (value: unknown): value is Claims => {
  const claims = value as Claims;
  return (
    typeof claims === 'object' &&
    claims !== null &&
    typeof claims.jti === 'string' &&
    typeof claims.exp === 'number' &&
    typeof claims.caller === 'string' &&
    typeof claims.action === 'string' &&
    typeof claims.contentType === 'string' &&
    (typeof claims.documentId === 'string' || claims.documentId === null) &&
    typeof claims.args === 'string'
  );
};

/** The signed claims of a token, or why it cannot be read; the signature is compared in constant time. */
const readClaims = (key: Buffer, token: string): { claims: Claims } | ConfirmationProblem => {
  const parts = token.length <= MAX_TOKEN_LENGTH ? token.split('.') : [];
  if (parts.length !== 3 || parts[0] !== VERSION) return { problem: 'malformed' };
  const signature = Buffer.from(parts[2], 'base64url');
  const expected = sign(key, `${parts[0]}.${parts[1]}`);
  // base64url decoding forgives padding and stray characters: only the one spelling the server issued is accepted.
  if (
    signature.length !== expected.length ||
    signature.toString('base64url') !== parts[2] ||
    !timingSafeEqual(signature, expected)
  ) {
    return { problem: 'signature' };
  }
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return isClaims(claims) ? { claims } : { problem: 'malformed' };
  } catch {
    return { problem: 'malformed' };
  }
};

/** Whether `token` confirms a call bound as `expected`, now. Spending it (once) is the caller's part. */
export const checkConfirmationToken = (
  key: Buffer,
  token: string,
  expected: ConfirmationBinding,
  now = Date.now(),
): ConfirmationCheck => {
  const read = readClaims(key, token);
  if (!('claims' in read)) return { ok: false, ...read };
  const { claims } = read;
  if (claims.exp <= now) return { ok: false, problem: 'expired', expiredAt: claims.exp };
  if (claims.caller !== expected.caller) return { ok: false, problem: 'caller' };
  if (claims.action !== expected.action) return { ok: false, problem: 'action', issuedFor: claims.action };
  if (claims.contentType !== expected.contentType) {
    return { ok: false, problem: 'content-type', issuedFor: claims.contentType };
  }
  if (claims.documentId !== expected.documentId) {
    return { ok: false, problem: 'document', issuedFor: claims.documentId };
  }
  if (claims.args !== expected.args) return { ok: false, problem: 'arguments' };
  return { ok: true, jti: claims.jti, expiresAt: claims.exp };
};

/**
 * Expected refusals travel as values, never as exceptions: `Outcome<T>` is either the value or a `Refusal`
 * that says what was refused and why. The HTTP binding (`mcp/refusals.ts`) maps each type to a status.
 */
export type RefusalType =
  | 'origin'
  | 'protocol-version'
  | 'request'
  | 'parse'
  | 'body-size'
  | 'content-type'
  | 'secret'
  | 'token'
  | 'admin-user'
  | 'access'
  | 'disabled'
  | 'identity-provider'
  | 'session'
  | 'session-identity'
  | 'session-limit'
  | 'stream-limit'
  | 'subscription'
  | 'batch-limit'
  | 'rate-limit'
  | 'rate-limit-store'
  | 'internal';

export interface Refusal {
  type: RefusalType;
  /** A short human reason, safe to show to the caller: no secrets, no stack traces. */
  reason: string;
  /** For refusals of a busy resource (429): how many seconds the client should wait (`Retry-After`). */
  retryAfter?: number;
  /**
   * The request carried no credentials of the kind asked for (no bearer token): its 401 names no error, only how to
   * authenticate (RFC 6750 §3.1).
   */
  credentials?: 'absent';
}

/**
 * A refusal may carry who the token claimed to be and which kind of credential it was (`jwt`, `admin-token`), for the
 * audit trail only (never sent back).
 */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; refusal: Refusal; claimedEmail?: string; subject?: string; credential?: string };

export const refuse = (type: RefusalType, reason: string, retryAfter?: number): { ok: false; refusal: Refusal } => ({
  ok: false,
  refusal: retryAfter === undefined ? { type, reason } : { type, reason, retryAfter },
});

export const accept = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

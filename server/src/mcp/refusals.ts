import type { Refusal, RefusalType } from '../outcome';

/** Every way the HTTP layer turns a request away, with its HTTP status and JSON-RPC code; `writeRefusal` is the one writer. */
export const REFUSALS: Record<RefusalType, { status: number; code: number; title: string }> = {
  origin: { status: 403, code: -32000, title: 'Forbidden' },
  'protocol-version': { status: 400, code: -32000, title: 'Bad Request' },
  request: { status: 400, code: -32000, title: 'Bad Request' },
  parse: { status: 400, code: -32700, title: 'Parse error' },
  'body-size': { status: 413, code: -32600, title: 'Payload Too Large' },
  'content-type': { status: 415, code: -32000, title: 'Unsupported Media Type' },
  secret: { status: 403, code: -32000, title: 'Forbidden' },
  token: { status: 401, code: -32001, title: 'Unauthorized' },
  'admin-user': { status: 401, code: -32001, title: 'Unauthorized' },
  access: { status: 403, code: -32000, title: 'Forbidden' },
  disabled: { status: 503, code: -32000, title: 'Service Unavailable' },
  'identity-provider': { status: 503, code: -32000, title: 'Service Unavailable' },
  session: { status: 404, code: -32001, title: 'Not Found' },
  'session-identity': { status: 403, code: -32000, title: 'Forbidden' },
  'session-limit': { status: 429, code: -32000, title: 'Too Many Requests' },
  'stream-limit': { status: 429, code: -32000, title: 'Too Many Requests' },
  subscription: { status: 403, code: -32602, title: 'Forbidden' },
  'batch-limit': { status: 400, code: -32600, title: 'Bad Request' },
  'rate-limit': { status: 429, code: -32000, title: 'Too Many Requests' },
  'rate-limit-store': { status: 503, code: -32000, title: 'Service Unavailable' },
  internal: { status: 500, code: -32603, title: 'Internal Error' },
};

const DEFAULT_RETRY_AFTER_SECONDS = 5;
const PLUGIN_REALM = 'mcp-server';

export interface RefusalResponse {
  status: number;
  headers: Record<string, string>;
  body: { jsonrpc: '2.0'; error: { code: number; message: string; data: Pick<Refusal, 'type' | 'reason'> }; id: null };
}

/** What a 401 tells the client about authenticating here: the metadata URL while OAuth discovery is on. */
export interface BearerChallenge {
  resourceMetadata?: string;
}

/** A quoted-string value of RFC 6750 §3: printable ASCII without `"` or `\`. */
const quoted = (value: string) => `"${value.replace(/"/g, "'").replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '?')}"`;

/**
 * `WWW-Authenticate` of a 401 (RFC 6750 §3, RFC 9728 §5.1): `resource_metadata` when OAuth discovery is on; an
 * `invalid_token` error with its reason, except for a request that carried no bearer token at all (§3.1).
 */
const bearerChallenge = (refusal: Refusal, challenge: BearerChallenge): string => {
  const params: string[] = [];
  if (challenge.resourceMetadata) params.push(`resource_metadata=${quoted(challenge.resourceMetadata)}`);
  if (refusal.credentials !== 'absent') {
    params.push('error="invalid_token"', `error_description=${quoted(refusal.reason)}`);
  }
  // RFC 6750 §3: the scheme is followed by at least one parameter.
  return `Bearer ${params.length > 0 ? params.join(', ') : `realm=${quoted(PLUGIN_REALM)}`}`;
};

export const toRefusalResponse = (refusal: Refusal, challenge: BearerChallenge = {}): RefusalResponse => {
  const { status, code, title } = REFUSALS[refusal.type];
  const headers: Record<string, string> = {};
  if (status === 401) headers['WWW-Authenticate'] = bearerChallenge(refusal, challenge);
  // Every 429 says when to come back.
  if (status === 429) headers['Retry-After'] = String(refusal.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
  const data = { type: refusal.type, reason: refusal.reason };
  return {
    status,
    headers,
    body: { jsonrpc: '2.0', error: { code, message: `${title}: ${refusal.reason}`, data }, id: null },
  };
};

import type { Refusal, RefusalType } from '../outcome';

/** Every way the HTTP layer turns a request away, with its HTTP status and JSON-RPC code; `writeRefusal` is the one writer. */
export const REFUSALS: Record<RefusalType, { status: number; code: number; title: string }> = {
  origin: { status: 403, code: -32000, title: 'Forbidden' },
  'protocol-version': { status: 400, code: -32000, title: 'Bad Request' },
  request: { status: 400, code: -32000, title: 'Bad Request' },
  'content-type': { status: 415, code: -32000, title: 'Unsupported Media Type' },
  secret: { status: 403, code: -32000, title: 'Forbidden' },
  token: { status: 401, code: -32001, title: 'Unauthorized' },
  'admin-user': { status: 401, code: -32001, title: 'Unauthorized' },
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

export interface RefusalResponse {
  status: number;
  headers: Record<string, string>;
  body: { jsonrpc: '2.0'; error: { code: number; message: string; data: Pick<Refusal, 'type' | 'reason'> }; id: null };
}

export const toRefusalResponse = (refusal: Refusal): RefusalResponse => {
  const { status, code, title } = REFUSALS[refusal.type];
  const headers: Record<string, string> = {};
  if (status === 401) {
    headers['WWW-Authenticate'] =
      `Bearer error="invalid_token", error_description="${refusal.reason.replace(/"/g, "'")}"`;
  }
  // Every 429 says when to come back.
  if (status === 429) headers['Retry-After'] = String(refusal.retryAfter ?? DEFAULT_RETRY_AFTER_SECONDS);
  const data = { type: refusal.type, reason: refusal.reason };
  return {
    status,
    headers,
    body: { jsonrpc: '2.0', error: { code, message: `${title}: ${refusal.reason}`, data }, id: null },
  };
};

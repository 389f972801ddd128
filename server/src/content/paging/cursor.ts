import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { McpToolError } from '../../errors';

const SIGNATURE_BYTES = 32;
/** Longer cursors are not issued (a page then has no nextCursor) and not read. */
export const MAX_CURSOR_LENGTH = 4096;

/** What a cursor is bound to: the list it continues. */
export interface CursorQuery {
  contentType: string;
  /** The list's order, tiebreaker included (`['title:asc', 'id:asc']`). */
  sort: string[];
  /** A digest of everything else that selects the rows: filters with the caller's scope, locale, status. */
  selection: string;
}

interface CursorPayload {
  t: string;
  s: string[];
  q: string;
  /** The position of the last row returned: its values of the order's keys. */
  v: unknown[];
}

export const digestSelection = (selection: unknown): string =>
  createHash('sha256').update(JSON.stringify(selection)).digest('base64url');

/**
 * Cursors are signed with a key derived from the app's keys (`deriveAppKey`): a cursor issued by one replica pages on
 * with another, and survives a restart. A cursor still only continues the very list it was issued for.
 */
const sign = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

/** An opaque cursor for the rows after `position` in this list; undefined when it would be too long to carry. */
export const issueCursor = (key: Buffer, query: CursorQuery, position: unknown[]): string | undefined => {
  const payload: CursorPayload = { t: query.contentType, s: query.sort, q: query.selection, v: position };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const cursor = `${body}.${sign(key, body).toString('base64url')}`;
  return cursor.length <= MAX_CURSOR_LENGTH ? cursor : undefined;
};

const INVALID =
  'cursor: not a cursor this server issued (altered, or signed with other app keys); start the list again without cursor';

const isPayload = (value: unknown): value is CursorPayload => {
  const payload = value as CursorPayload;
  return (
    typeof payload === 'object' &&
    payload !== null &&
    typeof payload.t === 'string' &&
    Array.isArray(payload.s) &&
    payload.s.every((entry) => typeof entry === 'string') &&
    typeof payload.q === 'string' &&
    Array.isArray(payload.v)
  );
};

/**
 * The position a cursor holds, once its signature proves this app issued it and its binding proves it continues
 * this very list: the same content type, order, filters, scope, locale and status. Anything else is refused.
 */
export const readCursor = (key: Buffer, cursor: string, query: CursorQuery): unknown[] => {
  if (cursor.length > MAX_CURSOR_LENGTH) throw new McpToolError(INVALID);
  const [body, signature, ...rest] = cursor.split('.');
  const given = Buffer.from(signature ?? '', 'base64url');
  if (
    rest.length > 0 ||
    !body ||
    given.length !== SIGNATURE_BYTES ||
    given.toString('base64url') !== signature ||
    !timingSafeEqual(given, sign(key, body))
  ) {
    throw new McpToolError(INVALID);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new McpToolError(INVALID);
  }
  if (!isPayload(payload)) throw new McpToolError(INVALID);
  if (payload.t !== query.contentType) {
    throw new McpToolError(
      `cursor: it continues a list of ${payload.t}, not ${query.contentType}; start the list again without cursor`,
    );
  }
  if (payload.s.join(',') !== query.sort.join(',')) {
    throw new McpToolError(
      `cursor: it continues a list sorted by ${payload.s.join(', ')}, and this call sorts by ${query.sort.join(', ')}; repeat the sort of the first page, or start again without cursor`,
    );
  }
  if (payload.q !== query.selection) {
    throw new McpToolError(
      'cursor: it continues a list with other filters, locale or status; repeat those of the first page, or start again without cursor',
    );
  }
  return payload.v;
};

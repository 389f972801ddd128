import { McpToolError } from '../../errors';
import type { Attribute } from '../../services/policy';
import type { Filter } from '../filters';

/** The unique column that ends every list's order, so that rows of equal sort values keep one order across pages. */
export const TIEBREAKER = 'id';

export interface KeysetKey {
  field: string;
  direction: 'asc' | 'desc';
  /** The attribute type its cursor value is checked against. */
  type: string;
}

/**
 * A list's order (the caller's sort, then the tiebreaker) and, when a cursor can page it, its keys; otherwise why it
 * cannot (`unavailable`): page numbers still work.
 */
export type Keyset = { sort: string[]; keys: KeysetKey[] } | { sort: string[]; unavailable: string };

/**
 * Types whose values the database orders as the cursor compares them, read back exactly as stored: no float or
 * decimal (a real read back as a double is not the stored value), no big integers (beyond 2^53 in JavaScript), no
 * long text (a cursor must stay short), no structured values.
 */
const VALUE_CHECKS: Record<string, (value: unknown) => boolean> = {
  id: (value) => Number.isSafeInteger(value) && (value as number) > 0,
  integer: Number.isSafeInteger,
  string: (value) => typeof value === 'string',
  uid: (value) => typeof value === 'string',
  email: (value) => typeof value === 'string',
  enumeration: (value) => typeof value === 'string',
  boolean: (value) => typeof value === 'boolean',
  date: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  datetime: (value) =>
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(value) &&
    !Number.isNaN(Date.parse(value)),
  timestamp: (value) => typeof value === 'string' && /^\d{1,16}$/.test(value),
  time: (value) => typeof value === 'string' && /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value),
};
/** Columns that are never null: every other key may be (a draft may leave even a required field empty). */
const NEVER_NULL = new Set(['id', 'documentId']);

/** The order of a list and the keys a cursor pages it by, from the checked sort (`['title:asc', ...]`). */
export const planKeyset = (sort: string[] | undefined, attributes: Record<string, Attribute>): Keyset => {
  const order = [...(sort ?? [])];
  const keys: KeysetKey[] = [];
  let unavailable: string | undefined;
  for (const entry of order) {
    const [field, direction] = entry.split(':') as [string, 'asc' | 'desc'];
    const type = field === TIEBREAKER ? 'id' : field === 'documentId' ? 'string' : attributes[field]?.type;
    if (field.includes('.')) {
      unavailable ??= `cursor paging sorts by the type's own fields, and ${field} goes through ${field.split('.')[0]}; use page numbers`;
    } else if (!type || !(type in VALUE_CHECKS)) {
      unavailable ??= `cursor paging cannot sort by ${field} (a ${type ?? 'unknown'} field); use page numbers, or sort by string, number, boolean, date or time fields`;
    }
    keys.push({ field, direction, type: type ?? 'unknown' });
    if (field === TIEBREAKER) break;
  }
  if (!keys.some((key) => key.field === TIEBREAKER)) {
    order.push(`${TIEBREAKER}:asc`);
    keys.push({ field: TIEBREAKER, direction: 'asc', type: 'id' });
  }
  return unavailable ? { sort: order, unavailable } : { sort: order, keys };
};

/** A row's position in the list: its values of the keys, as a cursor carries them. */
export const positionOf = (row: Record<string, unknown>, keys: KeysetKey[]): unknown[] =>
  keys.map(({ field }) => {
    const value = row[field];
    return value instanceof Date ? value.toISOString() : (value ?? null);
  });

/** A position read from a cursor, checked value by value against the keys' types. */
export const checkPosition = (position: unknown[], keys: KeysetKey[]): unknown[] => {
  if (position.length !== keys.length) throw new McpToolError('cursor: it does not match the order of this list');
  keys.forEach(({ field, type }, index) => {
    const value = position[index];
    if (value === null ? NEVER_NULL.has(field) : !VALUE_CHECKS[type]?.(value)) {
      throw new McpToolError(`cursor: its value for ${field} is not a valid ${type}`);
    }
  });
  return position;
};

/**
 * The rows after `position` in the list's order: (k1, k2, …, id) > (v1, v2, …, vn) spelled out key by key, with
 * NULL placed as the database orders it (first in ascending order on SQLite and MySQL, last on PostgreSQL).
 */
export const rowsAfter = (keys: KeysetKey[], position: unknown[], nullsLargest: boolean): Filter => {
  const branches: Filter[] = [];
  const equal: Filter[] = [];
  keys.forEach(({ field, direction }, index) => {
    const value = position[index];
    const nullsFirst = nullsLargest ? direction === 'desc' : direction === 'asc';
    let beyond: Filter | undefined;
    if (value === null) {
      if (nullsFirst) beyond = { [field]: { $notNull: true } };
    } else {
      const further: Filter = { [field]: { [direction === 'asc' ? '$gt' : '$lt']: value } };
      beyond = nullsFirst || NEVER_NULL.has(field) ? further : { $or: [further, { [field]: { $null: true } }] };
    }
    if (beyond) branches.push(equal.length > 0 ? { $and: [...equal, beyond] } : beyond);
    equal.push(value === null ? { [field]: { $null: true } } : { [field]: { $eq: value } });
  });
  return branches.length === 1 ? branches[0] : { $or: branches };
};

/** The keyset plan, the bound a cursor puts on a list, and the signed cursor itself: pure, checked exhaustively. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { McpToolError } from '../../server/src/errors';
import { type CursorQuery, digestSelection, issueCursor, readCursor } from '../../server/src/content/paging/cursor';
import {
  checkPosition,
  type KeysetKey,
  planKeyset,
  positionOf,
  rowsAfter,
} from '../../server/src/content/paging/keyset';
import type { Attribute } from '../../server/src/services/policy';

const ATTRIBUTES: Record<string, Attribute> = {
  title: { type: 'string' },
  slug: { type: 'uid' },
  kind: { type: 'enumeration', enum: ['news', 'blog'] },
  count: { type: 'integer' },
  big: { type: 'biginteger' },
  ratio: { type: 'float' },
  price: { type: 'decimal' },
  featured: { type: 'boolean' },
  day: { type: 'date' },
  at: { type: 'time' },
  createdAt: { type: 'datetime' },
  stamp: { type: 'timestamp' },
  notes: { type: 'text' },
  body: { type: 'blocks' },
  meta: { type: 'json' },
};

const keysOf = (sort: string[] | undefined) => {
  const plan = planKeyset(sort, ATTRIBUTES);
  if (!('keys' in plan)) throw new Error(plan.unavailable);
  return plan.keys;
};

const message = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(McpToolError);
    return (error as Error).message;
  }
  throw new Error('expected a tool error');
};

describe('planKeyset', () => {
  it('ends every order with the id tiebreaker', () => {
    expect(planKeyset(undefined, ATTRIBUTES)).toEqual({
      sort: ['id:asc'],
      keys: [{ field: 'id', direction: 'asc', type: 'id' }],
    });
    expect(planKeyset(['title:desc', 'kind:asc'], ATTRIBUTES)).toEqual({
      sort: ['title:desc', 'kind:asc', 'id:asc'],
      keys: [
        { field: 'title', direction: 'desc', type: 'string' },
        { field: 'kind', direction: 'asc', type: 'enumeration' },
        { field: 'id', direction: 'asc', type: 'id' },
      ],
    });
  });

  it('keeps a sort that names id itself, and pages by the keys up to it', () => {
    expect(planKeyset(['id:desc', 'title:asc'], ATTRIBUTES)).toEqual({
      sort: ['id:desc', 'title:asc'],
      keys: [{ field: 'id', direction: 'desc', type: 'id' }],
    });
    expect(keysOf(['documentId:asc']).map((key) => key.field)).toEqual(['documentId', 'id']);
  });

  it.each(['string', 'uid', 'enumeration', 'integer', 'boolean', 'date', 'time', 'datetime', 'timestamp'])(
    'pages %s fields by cursor',
    (type) => {
      const field = Object.keys(ATTRIBUTES).find((name) => ATTRIBUTES[name].type === type)!;
      expect(keysOf([`${field}:asc`])[0]).toEqual({ field, direction: 'asc', type });
    },
  );

  it.each([
    ['ratio', 'float'],
    ['price', 'decimal'],
    ['big', 'biginteger'],
    ['notes', 'text'],
    ['body', 'blocks'],
    ['meta', 'json'],
  ])('names %s (a %s field) as the reason it cannot page by cursor, keeping the order', (field, type) => {
    const plan = planKeyset(['title:asc', `${field}:desc`], ATTRIBUTES);
    expect(plan).toEqual({
      sort: ['title:asc', `${field}:desc`, 'id:asc'],
      unavailable: `cursor paging cannot sort by ${field} (a ${type} field); use page numbers, or sort by string, number, boolean, date or time fields`,
    });
  });

  it('refuses sorts through relations and components', () => {
    expect(planKeyset(['category.name:asc'], ATTRIBUTES)).toMatchObject({
      unavailable:
        "cursor paging sorts by the type's own fields, and category.name goes through category; use page numbers",
    });
  });
});

describe('positionOf and checkPosition', () => {
  const keys = keysOf(['title:asc', 'featured:desc', 'createdAt:asc', 'count:asc', 'day:asc', 'at:asc', 'stamp:asc']);

  it('reads a row’s values of the keys, dates as ISO strings and missing values as null', () => {
    const row = { title: 'A', featured: null, createdAt: new Date('2024-01-02T03:04:05.006Z'), id: 7 };
    expect(positionOf(row, keys)).toEqual(['A', null, '2024-01-02T03:04:05.006Z', null, null, null, null, 7]);
  });

  it('accepts values of each key’s type, and null except for id', () => {
    const position = ['A', true, '2024-01-02T03:04:05.006Z', -3, '2024-01-02', '10:11:12.123', '1704164645006', 7];
    expect(checkPosition(position, keys)).toBe(position);
    expect(checkPosition([null, null, null, null, null, null, null, 1], keys)).toHaveLength(8);
  });

  it.each([
    ['title', 'string', 0, 1],
    ['featured', 'boolean', 1, 'true'],
    ['createdAt', 'datetime', 2, '2024-01-02'],
    ['createdAt', 'datetime', 2, '2024-13-45T99:99:99.000Z'],
    ['count', 'integer', 3, 1.5],
    ['count', 'integer', 3, '1'],
    ['count', 'integer', 3, 2 ** 60],
    ['day', 'date', 4, '2024-01-02 00:00'],
    ['at', 'time', 5, '10h'],
    ['stamp', 'timestamp', 6, 1704164645006],
    ['id', 'id', 7, null],
    ['id', 'id', 7, 0],
    ['id', 'id', 7, -1],
    ['id', 'id', 7, '7'],
    ['title', 'string', 0, { $gt: '' }],
    ['title', 'string', 0, ['A']],
  ])('refuses for %s (a %s, key %i) the value %j', (field, type, index, value) => {
    const position: unknown[] = ['A', true, '2024-01-02T03:04:05.006Z', 1, '2024-01-02', '10:11', '1', 7];
    position[index as number] = value;
    expect(message(() => checkPosition(position, keys))).toBe(`cursor: its value for ${field} is not a valid ${type}`);
  });

  it('refuses a position of another length', () => {
    expect(message(() => checkPosition([7, 8], keysOf(undefined)))).toBe(
      'cursor: it does not match the order of this list',
    );
  });
});

describe('rowsAfter', () => {
  const idOnly = keysOf(undefined);
  const byTitle = keysOf(['title:asc']);
  const byTitleDesc = keysOf(['title:desc']);

  it('is id > n for the tiebreaker alone', () => {
    expect(rowsAfter(idOnly, [5], false)).toEqual({ id: { $gt: 5 } });
    expect(rowsAfter(keysOf(['id:desc']), [5], true)).toEqual({ id: { $lt: 5 } });
  });

  it('spells (title, id) > (v, n) out key by key, NULL first (SQLite)', () => {
    expect(rowsAfter(byTitle, ['B', 5], false)).toEqual({
      $or: [{ title: { $gt: 'B' } }, { $and: [{ title: { $eq: 'B' } }, { id: { $gt: 5 } }] }],
    });
    // After a NULL title, ascending: every titled row, then the NULL ones with a greater id.
    expect(rowsAfter(byTitle, [null, 5], false)).toEqual({
      $or: [{ title: { $notNull: true } }, { $and: [{ title: { $null: true } }, { id: { $gt: 5 } }] }],
    });
    // Descending, NULL comes last: after a titled row come the NULL ones too; after a NULL one, only NULL ones.
    expect(rowsAfter(byTitleDesc, ['B', 5], false)).toEqual({
      $or: [
        { $or: [{ title: { $lt: 'B' } }, { title: { $null: true } }] },
        { $and: [{ title: { $eq: 'B' } }, { id: { $gt: 5 } }] },
      ],
    });
    expect(rowsAfter(byTitleDesc, [null, 5], false)).toEqual({
      $and: [{ title: { $null: true } }, { id: { $gt: 5 } }],
    });
  });

  it('places NULL last in ascending order on PostgreSQL', () => {
    expect(rowsAfter(byTitle, ['B', 5], true)).toEqual({
      $or: [
        { $or: [{ title: { $gt: 'B' } }, { title: { $null: true } }] },
        { $and: [{ title: { $eq: 'B' } }, { id: { $gt: 5 } }] },
      ],
    });
    expect(rowsAfter(byTitle, [null, 5], true)).toEqual({ $and: [{ title: { $null: true } }, { id: { $gt: 5 } }] });
    expect(rowsAfter(byTitleDesc, [null, 5], true)).toEqual({
      $or: [{ title: { $notNull: true } }, { $and: [{ title: { $null: true } }, { id: { $gt: 5 } }] }],
    });
  });

  it('keeps equality on every earlier key', () => {
    const keys: KeysetKey[] = keysOf(['kind:asc', 'featured:desc']);
    expect(rowsAfter(keys, ['news', true, 9], false)).toEqual({
      $or: [
        { kind: { $gt: 'news' } },
        { $and: [{ kind: { $eq: 'news' } }, { $or: [{ featured: { $lt: true } }, { featured: { $null: true } }] }] },
        { $and: [{ kind: { $eq: 'news' } }, { featured: { $eq: true } }, { id: { $gt: 9 } }] },
      ],
    });
  });
});

describe('issueCursor and readCursor', () => {
  const query: CursorQuery = {
    contentType: 'api::article.article',
    sort: ['title:asc', 'id:asc'],
    selection: digestSelection({ filters: { tenantId: 'org-1' }, locale: null, status: 'draft' }),
  };
  const INVALID = /^cursor: not a cursor this server issued/;
  const KEY = randomBytes(32);

  it('gives back the position it was issued for, for the same list', () => {
    const cursor = issueCursor(KEY, query, ['Title', 42])!;
    expect(cursor).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(readCursor(KEY, cursor, { ...query, sort: [...query.sort] })).toEqual(['Title', 42]);
  });

  it('is bound to the content type, the order and the selection (filters with scope, locale, status)', () => {
    const cursor = issueCursor(KEY, query, ['Title', 42])!;
    expect(message(() => readCursor(KEY, cursor, { ...query, contentType: 'api::category.category' }))).toMatch(
      /^cursor: it continues a list of api::article\.article, not api::category\.category; /,
    );
    expect(message(() => readCursor(KEY, cursor, { ...query, sort: ['title:desc', 'id:asc'] }))).toMatch(
      /^cursor: it continues a list sorted by title:asc, id:asc, and this call sorts by title:desc, id:asc; /,
    );
    for (const selection of [
      { filters: { tenantId: 'org-2' }, locale: null, status: 'draft' },
      { filters: { tenantId: 'org-1' }, locale: null, status: 'published' },
      { filters: { tenantId: 'org-1' }, locale: 'fr', status: 'draft' },
      { filters: null, locale: null, status: 'draft' },
    ]) {
      expect(message(() => readCursor(KEY, cursor, { ...query, selection: digestSelection(selection) }))).toMatch(
        /^cursor: it continues a list with other filters, locale or status; /,
      );
    }
  });

  it('refuses any change to its body or signature', () => {
    const cursor = issueCursor(KEY, query, ['Title', 42])!;
    const [body, signature] = cursor.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const altered = [
      `${encode({ ...payload, v: ['Title', 1] })}.${signature}`,
      `${encode({ ...payload, q: digestSelection({ filters: null }) })}.${signature}`,
      `${body}.${signature.slice(0, -1)}`,
      `${body}.${signature}A`,
      `${body.slice(1)}.${signature}`,
      `${body}.${signature}.x`,
      `.${signature}`,
      `${body}.`,
      body,
      '',
      '...',
    ];
    for (const candidate of altered) expect(message(() => readCursor(KEY, candidate, query))).toMatch(INVALID);
  });

  it('refuses a cursor signed with any other key', () => {
    expect(message(() => readCursor(KEY, 'e30.' + 'A'.repeat(43), query))).toMatch(INVALID);
    const otherApp = issueCursor(randomBytes(32), query, ['Title', 42])!;
    expect(message(() => readCursor(KEY, otherApp, query))).toMatch(INVALID);
  });

  it('is not issued when too long to carry, and too long a cursor is not read', () => {
    expect(issueCursor(KEY, query, ['x'.repeat(5000), 1])).toBeUndefined();
    expect(message(() => readCursor(KEY, 'x'.repeat(5000), query))).toMatch(INVALID);
  });
});

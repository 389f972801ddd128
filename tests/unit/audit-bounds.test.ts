/** What the audit trail keeps of hostile input: redacted, printable, bounded; refusal floods counted, not stored. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTED_KEYS } from '../../server/src/config/policy-schema';
import { boundRow } from '../../server/src/services/audit/index';
import { boundText, redactArguments } from '../../server/src/services/audit/redact';
import { createRefusalCounter } from '../../server/src/services/audit/refusal-counter';

const CONTROL = ['\n', '\r', '\u0000', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029'];
const nest = (levels: number, leaf: unknown): unknown => (levels === 0 ? leaf : { a: nest(levels - 1, leaf) });
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('boundText', () => {
  it.each(CONTROL.map((character) => [JSON.stringify(character), character]))('replaces %s', (_, character) => {
    expect(boundText(`a${character}b`, 100)).toBe('a\uFFFDb');
  });

  it('keeps text exactly at the bound and cuts one past it, the note of the original length within the bound', () => {
    expect(boundText('x'.repeat(40), 40)).toBe('x'.repeat(40));
    expect(boundText('x'.repeat(41), 40)).toBe(`${'x'.repeat(23)}… (41 characters)`);
    expect(boundText('x'.repeat(41), 40)).toHaveLength(40);
  });

  it('never leaves half of a surrogate pair (PostgreSQL jsonb refuses it, as it refuses NUL)', () => {
    expect(boundText(`${'x'.repeat(9)}😀`, 10)).not.toMatch(loneSurrogate);
    expect(boundText('a\ud83db', 10)).not.toMatch(loneSurrogate);
  });
});

describe('redactArguments', () => {
  it('redacts by substring, case-insensitively, at any depth', () => {
    const input = { accessToken: 'a', Password: 'b', nested: [{ deep: { X_SECRET_KEY: 'c', keep: 'd' } }] };
    expect(redactArguments(input, ['token', 'password', 'secret'])).toEqual({
      accessToken: '[redacted]',
      Password: '[redacted]',
      nested: [{ deep: { X_SECRET_KEY: '[redacted]', keep: 'd' } }],
    });
  });

  it('matches sensitive keys given in any case', () => {
    expect(redactArguments({ apikey: 'a' }, ['ApiKey'])).toEqual({ apikey: '[redacted]' });
  });

  it('redacts a whole object or list under a sensitive key', () => {
    expect(redactArguments({ secret: { a: 1 }, tokens: ['a'] }, ['secret', 'token'])).toEqual({
      secret: '[redacted]',
      tokens: '[redacted]',
    });
  });

  it('redacts a sensitive word that lies past the cut of a long key', () => {
    const key = `${'x'.repeat(200)}Token`;
    expect(Object.values(redactArguments({ [key]: 'leak' }, ['token']) as object)).toEqual(['[redacted]']);
  });

  it.each(['api_key', 'x-api-key', 'private_key', 'Private-Key', 'auth_token'])(
    'redacts %s under the default sensitive keys, whatever separates its words',
    (key) => {
      expect(redactArguments({ [key]: 'leak' }, DEFAULT_REDACTED_KEYS)).toEqual({ [key]: '[redacted]' });
    },
  );

  it('replaces control characters in strings and in keys', () => {
    const input = Object.fromEntries(CONTROL.map((character, i) => [`k${i}${character}`, `v${character}`]));
    const output = redactArguments(input, []) as Record<string, string>;
    expect(Object.keys(output)).toEqual(CONTROL.map((_, i) => `k${i}\uFFFD`));
    expect(Object.values(output)).toEqual(CONTROL.map(() => 'v\uFFFD'));
  });

  it('cuts strings past 1000 characters and keys past 100, noting the original length', () => {
    expect(redactArguments('x'.repeat(1000), [])).toBe('x'.repeat(1000));
    expect(redactArguments('x'.repeat(1001), [])).toBe(`${'x'.repeat(981)}… (1001 characters)`);
    expect(Object.keys(redactArguments({ ['k'.repeat(100)]: 1, ['q'.repeat(150)]: 2 }, []) as object)).toEqual([
      'k'.repeat(100),
      `${'q'.repeat(82)}… (150 characters)`,
    ]);
  });

  it('keeps 50 keys and folds the rest into one note', () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
    expect(Object.keys(redactArguments(keys(50), []) as object)).toHaveLength(50);
    const output = redactArguments(keys(51), []) as Record<string, unknown>;
    expect(Object.keys(output)).toHaveLength(51);
    expect(output.k50).toBeUndefined();
    expect(output['…']).toBe('1 more keys');
  });

  it('keeps 100 items and folds the rest into one note', () => {
    expect(
      redactArguments(
        Array.from({ length: 100 }, (_, i) => i),
        [],
      ),
    ).toHaveLength(100);
    const output = redactArguments(
      Array.from({ length: 250 }, (_, i) => i),
      [],
    ) as unknown[];
    expect(output).toHaveLength(101);
    expect(output[100]).toBe('… (150 more items)');
  });

  it('keeps 8 levels and replaces what lies deeper', () => {
    expect(redactArguments(nest(8, 'leaf'), [])).toEqual(nest(8, 'leaf'));
    expect(redactArguments(nest(9, 'leaf'), [])).toEqual(nest(9, '[too deep]'));
    expect(redactArguments(nest(50, 'leaf'), [])).toEqual(nest(9, '[too deep]'));
  });

  it('bounds lists nested in lists by the same depth', () => {
    const deep = JSON.parse(`${'['.repeat(12)}1${']'.repeat(12)}`);
    expect(JSON.stringify(redactArguments(deep, []))).toBe(`${'['.repeat(9)}"[too deep]"${']'.repeat(9)}`);
  });

  it('keeps numbers, booleans, null and dates', () => {
    const date = new Date(0);
    expect(redactArguments({ n: 1, b: false, z: null, d: date }, [])).toEqual({ n: 1, b: false, z: null, d: date });
  });

  it('stores no lone surrogate (PostgreSQL jsonb refuses it)', () => {
    const output = redactArguments({ title: `${'x'.repeat(999)}😀`, raw: '\udc00', ['k\ud800']: 1 }, []);
    // JSON.stringify escapes a lone surrogate as \udXXX; a pair is written as is.
    expect(JSON.stringify(output)).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  });
});

describe('boundRow', () => {
  const STRING_COLUMNS = [
    'adminUserEmail',
    'role',
    'tenant',
    'subject',
    'sessionId',
    'tool',
    'contentType',
    'action',
    'ip',
    'userAgent',
  ];
  const long = `a\nb${'x'.repeat(300)}`;
  const row = boundRow({
    decision: 'denied',
    documentId: long,
    reason: `r\r${'y'.repeat(2500)}`,
    ...Object.fromEntries(STRING_COLUMNS.map((column) => [column, long])),
  });

  it('cuts every string column and the audited documentId at 255 characters, replacing control characters', () => {
    for (const column of [...STRING_COLUMNS, 'targetDocumentId']) {
      expect(row[column]).toBe(`a\uFFFDb${'x'.repeat(234)}… (303 characters)`);
      expect(row[column]).toHaveLength(255);
    }
  });

  it('keeps every string column within varchar(255), the note of the cut included', () => {
    for (const column of [...STRING_COLUMNS, 'targetDocumentId']) {
      expect((row[column] as string).length, column).toBeLessThanOrEqual(255);
    }
  });

  it('cuts the reason at 2000 characters', () => {
    expect(row.reason).toBe(`r\uFFFD${'y'.repeat(1979)}… (2502 characters)`);
    expect(row.reason).toHaveLength(2000);
  });

  it('stores the audited documentId as targetDocumentId, never as the row documentId', () => {
    expect(row).not.toHaveProperty('documentId');
    expect(boundRow({ decision: 'allowed', documentId: 'abc' }).targetDocumentId).toBe('abc');
    expect(boundRow({ decision: 'allowed' }).targetDocumentId).toBeNull();
  });

  it('stores absent text as null', () => {
    const empty = boundRow({ decision: 'allowed', reason: null });
    for (const column of [...STRING_COLUMNS, 'reason']) expect(empty[column]).toBeNull();
  });

  it('defaults count to 1 and occurredAt to now, keeping given values', () => {
    const defaults = boundRow({ decision: 'allowed' });
    expect(defaults.count).toBe(1);
    expect(defaults.occurredAt).toBeInstanceOf(Date);
    const at = new Date(5);
    expect(boundRow({ decision: 'denied', count: 42, occurredAt: at })).toMatchObject({ count: 42, occurredAt: at });
  });

  it('bounds the JSON columns, and leaves absent ones absent', () => {
    const bounded = boundRow({
      decision: 'allowed',
      arguments: { items: Array.from({ length: 3 }, () => 'z'.repeat(2000)) },
      appliedFilters: nest(20, 1),
      diff: { ['k\n']: 'v\u0000' },
    });
    const items = (bounded.arguments as { items: string[] }).items;
    expect(items).toHaveLength(3);
    expect(items[0]).toBe(`${'z'.repeat(981)}… (2000 characters)`);
    expect(bounded.appliedFilters).toEqual(nest(9, '[too deep]'));
    expect(bounded.diff).toEqual({ 'k\uFFFD': 'v\uFFFD' });
    expect(boundRow({ decision: 'allowed' })).not.toHaveProperty('arguments');
  });

  it('replaces a JSON column over 16 KB, bounded piece by piece, by its size and top-level keys', () => {
    const bounded = boundRow({
      decision: 'denied',
      arguments: Object.fromEntries(
        Array.from({ length: 9 }, (_, index) => [`k${index}`, Array(100).fill('A'.repeat(1000))]),
      ),
    });
    expect(bounded.arguments).toEqual({
      truncated: true,
      bytes: expect.any(Number),
      keys: ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'],
    });
    expect(Buffer.byteLength(JSON.stringify(bounded))).toBeLessThan(4096);
  });
});

describe('createRefusalCounter', () => {
  const MINUTE = 60_000;
  const T = 28_333_334 * MINUTE; // the start of a minute
  const refusal = (ip: string, reason = 'token: expired', extra = {}) => ({
    decision: 'denied' as const,
    action: 'authenticate',
    ip,
    reason,
    ...extra,
  });

  it('counts refusals of one address, action, refusal type and user in one row, keeping the first details', () => {
    const counter = createRefusalCounter();
    counter.add(refusal('1.2.3.4', 'token: expired'), T + 1);
    counter.add(refusal('1.2.3.4', 'token: bad signature'), T + 2);
    counter.add(refusal('1.2.3.4', 'token: unknown key'), T + MINUTE - 1);
    expect(counter.drain(T + MINUTE)).toEqual([
      { ...refusal('1.2.3.4', 'token: expired'), occurredAt: new Date(T + 1), count: 3 },
    ]);
  });

  it.each([
    ['address', refusal('5.6.7.8')],
    ['action', refusal('1.2.3.4', 'token: expired', { action: 'initialize' })],
    ['refusal type', refusal('1.2.3.4', 'origin: not allowed')],
    ['admin user', refusal('1.2.3.4', 'token: expired', { adminUserId: 7 })],
  ])('keeps a separate row per %s', (_, other) => {
    const counter = createRefusalCounter();
    counter.add(refusal('1.2.3.4'), T);
    counter.add(other, T);
    expect(counter.drain(T + MINUTE).map((row) => row.count)).toEqual([1, 1]);
  });

  it('takes a reason without a colon whole as its type', () => {
    const counter = createRefusalCounter();
    counter.add(refusal('1.2.3.4', 'no colon here'), T);
    counter.add(refusal('1.2.3.4', 'no colon there'), T);
    expect(counter.drain(T + MINUTE)).toHaveLength(2);
  });

  it('keeps a separate row per minute', () => {
    const counter = createRefusalCounter();
    counter.add(refusal('1.2.3.4'), T + MINUTE - 1);
    counter.add(refusal('1.2.3.4'), T + MINUTE);
    expect(counter.drain(T + 2 * MINUTE).map((row) => row.occurredAt)).toEqual([
      new Date(T + MINUTE - 1),
      new Date(T + MINUTE),
    ]);
  });

  it('drains only ended minutes, then forgets them', () => {
    const counter = createRefusalCounter();
    counter.add(refusal('1.2.3.4'), T + 10);
    expect(counter.drain(T + MINUTE - 1)).toEqual([]);
    expect(counter.drain(T + MINUTE)).toHaveLength(1);
    expect(counter.drain(T + 10 * MINUTE)).toEqual([]);
  });

  it('drains the current minute too with all = true', () => {
    const counter = createRefusalCounter();
    counter.add(refusal('1.2.3.4'), T + 10);
    expect(counter.drain(T + 20, true)).toHaveLength(1);
    expect(counter.drain(T + 20, true)).toEqual([]);
  });

  it('keeps the given occurredAt and a copy of the entry', () => {
    const counter = createRefusalCounter();
    const entry = { ...refusal('1.2.3.4'), occurredAt: new Date(1) };
    counter.add(entry, T);
    entry.ip = '9.9.9.9';
    expect(counter.drain(T, true)).toEqual([{ ...refusal('1.2.3.4'), occurredAt: new Date(1), count: 1 }]);
  });

  it('lets further distinct keys of a minute share one overflow row, while known keys keep counting', () => {
    const counter = createRefusalCounter(3);
    for (const ip of ['a', 'b', 'c', 'd', 'e', 'a']) counter.add(refusal(ip), T);
    counter.add(refusal('f'), T + MINUTE);
    const rows = counter.drain(T + 2 * MINUTE);
    expect(rows.map((row) => [row.ip, row.count])).toEqual([
      ['a', 2],
      ['b', 1],
      ['c', 1],
      [undefined, 2],
      ['f', 1],
    ]);
    expect(rows[3]).toEqual({
      decision: 'denied',
      action: 'authenticate',
      reason: 'refusals from further addresses this minute',
      occurredAt: new Date(T),
      count: 2,
    });
  });

  it('bounds a minute to 200 keys by default', () => {
    const counter = createRefusalCounter();
    for (let i = 0; i < 1000; i += 1) counter.add(refusal(`10.0.${i >> 8}.${i & 255}`), T + i);
    const rows = counter.drain(T + MINUTE);
    expect(rows).toHaveLength(201);
    expect(rows[200].count).toBe(800);
  });

  it('turns a flood of 100 000 refusals from one address into one row', () => {
    const counter = createRefusalCounter();
    for (let i = 0; i < 100_000; i += 1) counter.add(refusal('6.6.6.6', `token: attempt ${i}`), T + (i % MINUTE));
    const rows = counter.drain(T + MINUTE);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ ip: '6.6.6.6', reason: 'token: attempt 0', count: 100_000 });
  });
});

/** QueryGuard budgets: pattern scans, condition counts, string bytes, list sizes and refusal messages, per call. */
import { describe, expect, it } from 'vitest';
import { PolicyRefusal } from '../../server/src/errors';
import { ARTICLE, CATEGORY, check, guard, refusal, refused } from '../helpers/query-guard-fixture';

/** it.each rows labelled with their JSON (vitest's %j mangles `$` keys). */
const cases = <T>(values: T[]) => values.map((value) => [JSON.stringify(value), value] as const);

describe('pattern operators', () => {
  it.each([
    ['body', 'blocks', '$contains'],
    ['body', 'blocks', '$notContainsi'],
    ['meta', 'json', '$startsWith'],
    ['meta', 'json', '$endsWithi'],
  ])('refuses a scan of %s (%s) with %s', (field, type, operator) => {
    expect(refused({ [field]: { [operator]: 'x' } })).toBe(
      `filters.${field}.${operator}: ${operator} cannot search ${type} fields; filter on a text field instead`,
    );
  });

  it('refuses a scan of a blocks field hidden under $not', () => {
    expect(refused({ body: { $not: { $containsi: 'x' } } })).toMatch(
      /^filters\.body\.\$not\.\$containsi: \$containsi cannot search blocks fields/,
    );
  });

  it('allows exact comparisons on blocks and json fields', () => {
    expect(check({ body: { $null: true }, meta: { $eq: 'x' } })).toEqual({ body: { $null: true }, meta: { $eq: 'x' } });
  });

  it('accepts a pattern exactly maxPatternLength long and refuses one character more', () => {
    expect(() => check({ title: { $contains: 'x'.repeat(10) } }, { maxPatternLength: 10 })).not.toThrow();
    expect(refused({ title: { $containsi: 'x'.repeat(11) } }, { maxPatternLength: 10 })).toBe(
      'filters.title.$containsi: a $containsi value may be at most 10 characters',
    );
  });

  it('does not apply the pattern length to exact comparisons', () => {
    expect(() => check({ title: { $eq: 'x'.repeat(11) } }, { maxPatternLength: 10 })).not.toThrow();
  });

  it('accepts exactly maxPatternTerms pattern conditions and refuses one more', () => {
    const patterns = (n: number) => ({
      $or: Array.from({ length: n }, (_, i) => ({ title: { $startsWith: `${i}` } })),
    });
    expect(() => check(patterns(3), { maxPatternTerms: 3 })).not.toThrow();
    expect(refused(patterns(4), { maxPatternTerms: 3 })).toBe(
      'filters.$or[3].title.$startsWith: a call may hold at most 3 pattern conditions ($contains, $startsWith…)',
    );
  });

  it('counts pattern terms inside populate filters against the same call budget', () => {
    const call = guard({ maxPatternTerms: 2 });
    call.checkFilters({ title: { $contains: 'a' } }, ARTICLE);
    call.checkFilters({ name: { $contains: 'b' } }, CATEGORY);
    expect(refusal(() => call.checkFilters({ name: { $endsWith: 'c' } }, CATEGORY))).toMatch(
      /^filters\.name\.\$endsWith: a call may hold at most 2 pattern conditions/,
    );
  });

  it('gives a new guard (a new call) a fresh pattern budget', () => {
    const first = guard({ maxPatternTerms: 1 });
    first.checkFilters({ title: { $contains: 'a' } }, ARTICLE);
    expect(() => first.checkFilters({ title: { $contains: 'a' } }, ARTICLE)).toThrow(PolicyRefusal);
    expect(() => guard({ maxPatternTerms: 1 }).checkFilters({ title: { $contains: 'a' } }, ARTICLE)).not.toThrow();
  });
});

describe('filter-term budget', () => {
  it('accepts exactly maxFilterTerms conditions and refuses one more', () => {
    expect(() => check({ title: 'a', count: 1, id: 2 }, { maxFilterTerms: 3 })).not.toThrow();
    expect(refused({ title: 'a', count: 1, id: 2, documentId: 'd' }, { maxFilterTerms: 3 })).toBe(
      'filters.documentId: a call may hold at most 3 filter conditions',
    );
  });

  it('counts each operator of a field as a condition, and a list as one', () => {
    expect(() => check({ count: { $gt: 1, $lt: 9 }, id: { $in: [1, 2, 3] } }, { maxFilterTerms: 3 })).not.toThrow();
    expect(refused({ count: { $gt: 1, $lt: 9, $ne: 5 }, id: 1 }, { maxFilterTerms: 3 })).toMatch(/^filters\.id: /);
  });

  it('counts conditions across several checkFilters calls of one guard', () => {
    const call = guard({ maxFilterTerms: 2 });
    call.checkFilters({ title: 'a' }, ARTICLE);
    call.checkFilters({ name: 'b' }, CATEGORY);
    expect(refusal(() => call.checkFilters({ name: 'c' }, CATEGORY))).toBe(
      'filters.name: a call may hold at most 2 filter conditions',
    );
  });

  // Every relation key is one SQL join (two for many-to-many) plus the target's scope conditions: a join is a
  // condition of the call's SQL even when the nested filter holds no field condition.
  it.each([
    ['an empty $and', { $and: [] }],
    ['an empty object', {}],
  ])('counts a relation filter holding %s (still one join) against the budget', (_, inner) => {
    const joins = { $or: Array.from({ length: 4 }, () => ({ category: inner })) };
    expect(refused(joins, { maxFilterTerms: 3 })).toMatch(/a call may hold at most 3 filter conditions/);
  });
});

describe('string bytes', () => {
  it('counts UTF-8 bytes, not characters, at and one past maxFilterBytes', () => {
    expect(() => check({ title: 'é'.repeat(5) }, { maxFilterBytes: 10 })).not.toThrow();
    expect(refused({ title: `${'é'.repeat(5)}a` }, { maxFilterBytes: 10 })).toBe(
      "filters.title: the string values of a call's filters may total at most 10 bytes",
    );
  });

  it('counts every string of a list, and no number', () => {
    expect(() =>
      check({ title: { $in: ['abcde', 'fghij'] }, count: { $in: [123456789] } }, { maxFilterBytes: 10 }),
    ).not.toThrow();
    expect(refused({ title: { $in: ['abcde', 'fghij', 'k'] } }, { maxFilterBytes: 10 })).toMatch(
      /^filters\.title\.\$in: /,
    );
  });

  it('totals the bytes across several calls of one guard', () => {
    const call = guard({ maxFilterBytes: 8 });
    call.checkFilters({ title: '€' }, ARTICLE);
    call.checkFilters({ name: '€' }, CATEGORY);
    expect(refusal(() => call.checkFilters({ name: '€' }, CATEGORY))).toMatch(/may total at most 8 bytes$/);
  });
});

describe('values', () => {
  const numbers = (n: number) => Array.from({ length: n }, (_, i) => i);

  it.each(['$in', '$notIn'])('accepts 1000 values in %s and refuses 1001', (operator) => {
    expect(() => check({ count: { [operator]: numbers(1000) } })).not.toThrow();
    expect(refused({ count: { [operator]: numbers(1001) } })).toBe(
      `filters.count.${operator}: a list may hold at most 1000 values`,
    );
  });

  it('accepts a bare list of 1000 values and refuses 1001', () => {
    expect(() => check({ count: numbers(1000) })).not.toThrow();
    expect(refused({ count: numbers(1001) })).toBe('filters.count: a list may hold at most 1000 values');
  });

  it.each(cases<unknown[]>([[1, { $raw: 'x' }], [[1]], ['a\u0000']]))(
    'refuses a bare list holding a non-primitive %s',
    (_, list) => {
      expect(refused({ title: list })).toBe('filters.title: a list may only hold strings, numbers, booleans or null');
    },
  );

  it('refuses a NUL character in a value, a value operand and a list', () => {
    expect(refused({ title: 'a\u0000b' })).toBe('filters.title: unsupported value');
    expect(refused({ title: { $eq: 'a\u0000b' } })).toBe(
      'filters.title.$eq: expected a string, number, boolean or null',
    );
    expect(refused({ title: { $in: ['a', '\u0000'] } })).toBe('filters.title.$in: expected a list of values');
  });

  it('accepts a string of exactly 10 000 characters and refuses 10 001', () => {
    expect(() => check({ title: { $eq: 'x'.repeat(10_000) } })).not.toThrow();
    expect(refused({ title: { $eq: 'x'.repeat(10_001) } })).toBe(
      'filters.title.$eq: expected a string, number, boolean or null',
    );
    expect(refused({ title: 'x'.repeat(10_001) })).toBe('filters.title: unsupported value');
  });

  it('accepts null, booleans and numbers as values', () => {
    expect(check({ title: null, count: { $eq: 0, $ne: false } })).toEqual({
      title: null,
      count: { $eq: 0, $ne: false },
    });
  });
});

describe('refusal messages stay bounded', () => {
  const hostile = ['x'.repeat(10_000), 'a\nb\r\nforged: line\u2028c\u0000d\u001b[31m'];
  const bounded = (message: string) => {
    expect(message.length).toBeLessThan(700);
    for (const character of ['\n', '\r', '\u2028', '\u0000', '\u001b']) expect(message).not.toContain(character);
  };

  it.each(hostile.map((key) => [JSON.stringify(key.slice(0, 12)), key]))('as a field name (%s…)', (_, key) => {
    bounded(refused({ [key]: 1 }));
    bounded(refused({ category: { [key]: 1 } }));
  });

  it.each(hostile.map((key) => [JSON.stringify(key.slice(0, 12)), key]))('as a root operator (%s…)', (_, key) => {
    bounded(refused({ [`$${key}`]: 1 }));
  });

  it.each(hostile.map((key) => [JSON.stringify(key.slice(0, 12)), key]))('as a value operator (%s…)', (_, key) => {
    bounded(refused({ title: { [`$${key}`]: 1 } }));
  });

  it.each(hostile.map((key) => [JSON.stringify(key.slice(0, 12)), key]))('in sort and fields (%s…)', (_, key) => {
    bounded(refusal(() => guard().checkSort(key, ARTICLE)));
    bounded(refusal(() => guard().checkSort(`title.${key}`, ARTICLE)));
    bounded(refusal(() => guard().checkSort(`${key}:sideways`, ARTICLE)));
    bounded(refusal(() => guard().checkFields([key], ARTICLE)));
  });

  it('keeps a message bounded deep in a filter', () => {
    const deep = { $or: [{ $and: [{ category: { ['y'.repeat(5000)]: 1 } }] }] };
    bounded(refused(deep));
  });
});

describe('case-insensitive comparisons scan like patterns', () => {
  it('counts $eqi and $nei against the pattern budget: LOWER() reads the whole stored value', () => {
    const terms = (count: number) => ({
      $or: Array.from({ length: count }, (_, index) => ({ title: { [index % 2 ? '$eqi' : '$nei']: `t${index}` } })),
    });
    expect(() => check(terms(20))).not.toThrow();
    expect(refused(terms(21))).toMatch(/a call may hold at most 20 pattern conditions/);
  });

  it('refuses $eqi over a blocks field', () => {
    expect(refused({ body: { $eqi: 'x' } })).toBe(
      'filters.body.$eqi: $eqi cannot search blocks fields; filter on a text field instead',
    );
  });
});

describe('joins that multiply rows', () => {
  const throughRelated = (count: number) => ({
    $or: Array.from({ length: count }, (_, index) => ({ related: { title: { $eq: `nomatch${index}` } } })),
  });

  it('allows one filter through a to-many relation and refuses a second: k^n rows grow past any budget', () => {
    expect(() => check(throughRelated(1))).not.toThrow();
    expect(refused(throughRelated(2))).toMatch(
      /a call may filter through at most 1 to-many relation or repeatable component \(related is one more\)/,
    );
  });

  it('refuses a to-many relation reached through a to-one one: articles meet every article of their category', () => {
    expect(refused({ category: { articles: { title: 'x' } } })).toMatch(
      /articles holds several entries per document and is reached through another relation or component/,
    );
  });

  it('does not count to-one relations, which join one row', () => {
    const throughCategory = { $or: Array.from({ length: 10 }, (_, index) => ({ category: { name: `c${index}` } })) };
    expect(() => check(throughCategory)).not.toThrow();
  });

  it('counts joins of populate filters against the same call', () => {
    const callGuard = guard();
    callGuard.checkFilters(throughRelated(1), ARTICLE);
    expect(() => callGuard.checkFilters({ related: { title: 'x' } }, ARTICLE)).toThrow(/at most 1 to-many relation/);
  });
});

describe('list values per call', () => {
  it('refuses more than 5000 list values over all lists of a call', () => {
    const lists = (count: number) => ({
      $or: Array.from({ length: count }, (_, index) => ({
        count: { $in: Array.from({ length: 1000 }, (__, i) => index * 1000 + i) },
      })),
    });
    expect(() => check(lists(5))).not.toThrow();
    expect(refused(lists(6))).toMatch(/the lists of a call's filters may hold at most 5000 values together/);
  });
});

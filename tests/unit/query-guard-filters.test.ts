/** QueryGuard.checkFilters: what a filter may name, how deep and how large it may be, and what it may reach. */
import { describe, expect, it } from 'vitest';
import { check, refused, TENANT } from '../helpers/query-guard-fixture';

/** A filter with the target scope AND-ed in, in either order (AND commutes): exactly the nested filter and the scope. */
const scoped = (nested: unknown) => ({
  $and: expect.toSatisfy(
    (list: unknown[]) =>
      list.length === 2 &&
      [nested, TENANT].every((part) => list.some((item) => JSON.stringify(item) === JSON.stringify(part))),
  ),
});

/** it.each rows labelled with their JSON (vitest's %j mangles `$` keys). */
const cases = <T>(values: T[]) => values.map((value) => [JSON.stringify(value), value] as const);

describe('fields a filter may name', () => {
  it('passes filters on readable scalar fields through unchanged', () => {
    expect(check({ title: 'x', count: { $gt: 3 } })).toEqual({ title: 'x', count: { $gt: 3 } });
  });

  it('always allows id and documentId, even though they are not listed as readable', () => {
    expect(check({ id: 1, documentId: { $in: ['a', 'b'] } })).toEqual({ id: 1, documentId: { $in: ['a', 'b'] } });
  });

  it('refuses (does not drop) a hidden field, listing only what may be filtered', () => {
    const message = refused({ title: 'x', reviewNotes: { $startsWith: 'a' } });
    expect(message).toMatch(/^filters\.reviewNotes: cannot filter on reviewNotes; filterable fields: id, documentId, /);
    expect(message.split('filterable fields: ')[1]).not.toMatch(/reviewNotes|tenantId/);
  });

  it('refuses the tenant field, which this reader may not read', () => {
    expect(refused({ tenantId: 'org-2' })).toMatch(/^filters\.tenantId: cannot filter on tenantId/);
  });

  it('refuses an unknown field', () => {
    expect(refused({ nope: 1 })).toMatch(/^filters\.nope: cannot filter on nope;/);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses the prototype key %s as a field',
    (key) => {
      expect(refused(JSON.parse(`{ "${key}": { "$eq": 1 } }`))).toMatch(
        new RegExp(`^filters\\.${key}: cannot filter on ${key};`),
      );
    },
  );

  it('refuses a dynamic zone, which cannot be filtered', () => {
    expect(refused({ sections: { id: 1 } })).toBe('filters.sections: sections cannot be filtered');
  });

  it.each(cases<unknown>([null, 'title', 5, [{ title: 'x' }]]))(
    'refuses filters that are not an object: %s',
    (_, filters) => {
      expect(refused(filters)).toBe('filters: expected an object');
    },
  );
});

describe('operators', () => {
  it.each([
    '$eq',
    '$eqi',
    '$ne',
    '$nei',
    '$lt',
    '$lte',
    '$gt',
    '$gte',
    '$contains',
    '$notContains',
    '$containsi',
    '$notContainsi',
    '$startsWith',
    '$startsWithi',
    '$endsWith',
    '$endsWithi',
    '$null',
    '$notNull',
  ])('allows %s on a scalar field', (operator) => {
    expect(check({ title: { [operator]: 'x' } })).toEqual({ title: { [operator]: 'x' } });
  });

  it.each(['$in', '$notIn', '$between'])('allows the list operator %s', (operator) => {
    expect(check({ count: { [operator]: [1, 2] } })).toEqual({ count: { [operator]: [1, 2] } });
  });

  it.each(['$regex', '$raw', '$jsonSupersetOf', '$EQ', '$Eq', '$CONTAINS', '$and', '$or', '$exists', '$where'])(
    'refuses %s on a field, naming the allowed operators',
    (operator) => {
      expect(refused({ title: { [operator]: 'x' } })).toMatch(
        new RegExp(`^filters\\.title: operator \\${operator} is not allowed; allowed: \\$eq .* \\$not$`),
      );
    },
  );

  it.each(['__proto__', 'constructor', 'valueOf'])('refuses the prototype key %s as an operator', (key) => {
    expect(refused({ title: JSON.parse(`{ "${key}": "x" }`) })).toMatch(
      new RegExp(`^filters\\.title: operator ${key} is not allowed;`),
    );
  });

  it.each(['$regex', '$raw', '$eq', '$AND', '$Or', '$NOT', '$where'])('refuses %s at the root of a filter', (key) => {
    expect(refused({ [key]: [] })).toBe(
      `filters.${key}: operator ${key} is not allowed here; use $and, $or, $not or a field name`,
    );
  });

  it('refuses $regex hidden under a field-level $not', () => {
    expect(refused({ title: { $not: { $regex: '^a' } } })).toMatch(/^filters\.title\.\$not: operator \$regex/);
  });

  it('refuses $regex hidden under a root $not', () => {
    expect(refused({ $not: { title: { $regex: '^a' } } })).toMatch(/^filters\.\$not\.title: operator \$regex/);
  });

  it('refuses an object smuggled as the operand of a value operator', () => {
    expect(refused({ title: { $eq: { $raw: '1=1' } } })).toBe(
      'filters.title.$eq: expected a string, number, boolean or null',
    );
  });

  it.each(cases([{ $in: 'a' }, { $notIn: [{ a: 1 }] }, { $between: [[1], 2] }, { $in: null }]))(
    'refuses a list operator without a list of primitives: %s',
    (_, operand) => {
      const [operator] = Object.keys(operand);
      expect(refused({ title: operand })).toBe(`filters.title.${operator}: expected a list of values`);
    },
  );
});

describe('$and, $or and $not', () => {
  it('checks every branch of $and and $or', () => {
    expect(check({ $or: [{ title: 'a' }, { $and: [{ count: 1 }] }] })).toEqual({
      $or: [{ title: 'a' }, { $and: [{ count: 1 }] }],
    });
    expect(refused({ $or: [{ title: 'a' }, { reviewNotes: 'b' }] })).toMatch(
      /^filters\.\$or\[1\]\.reviewNotes: cannot/,
    );
  });

  it.each(['$and', '$or'])('refuses %s given an object instead of an array', (key) => {
    expect(refused({ [key]: { title: 'a' } })).toBe(`filters.${key}: expected an array of filters`);
  });

  it.each(['$and', '$or'])('accepts exactly 100 branches under %s and refuses 101', (key) => {
    expect(() => check({ [key]: Array.from({ length: 100 }, () => ({ count: 1 })) })).not.toThrow();
    expect(refused({ [key]: Array.from({ length: 101 }, () => ({ count: 1 })) })).toBe(
      `filters.${key}: at most 100 filters per ${key}`,
    );
  });

  it('refuses a branch that is not an object', () => {
    expect(refused({ $and: ['title'] })).toBe('filters.$and[0]: expected an object');
  });
});

describe('nesting depth', () => {
  const nestAnd = (levels: number): Record<string, unknown> =>
    levels === 0 ? { title: 'x' } : { $and: [nestAnd(levels - 1)] };

  it('accepts filters exactly at maxFilterDepth and refuses one level more', () => {
    expect(() => check(nestAnd(2), { maxFilterDepth: 3 })).not.toThrow();
    expect(refused(nestAnd(3), { maxFilterDepth: 3 })).toBe(
      'filters.$and[0].$and[0].$and[0]: filters may nest at most 3 levels',
    );
  });

  it('counts a field-level $not as a level', () => {
    expect(() => check({ $and: [{ title: { $eq: 'x' } }] }, { maxFilterDepth: 2 })).not.toThrow();
    expect(refused({ $and: [{ title: { $not: { $eq: 'x' } } }] }, { maxFilterDepth: 2 })).toBe(
      'filters.$and[0].title.$not: filters may nest at most 2 levels',
    );
  });

  it('counts a relation as a level', () => {
    expect(() => check({ category: { name: 'x' } }, { maxFilterDepth: 2 })).not.toThrow();
    expect(refused({ category: { name: 'x' } }, { maxFilterDepth: 1 })).toBe(
      'filters.category: filters may nest at most 1 levels',
    );
  });

  it('bounds id-within-id nesting by the same limit', () => {
    expect(() => check({ id: { id: { id: 1 } } }, { maxFilterDepth: 3 })).not.toThrow();
    expect(refused({ id: { id: { id: { id: 1 } } } }, { maxFilterDepth: 3 })).toBe(
      'filters.id.id.id.id: filters may nest at most 3 levels',
    );
  });
});

describe('relations carry their target scope', () => {
  it('ANDs the target scope into a filter through a scoped relation', () => {
    expect(check({ related: { title: 'x' } })).toEqual({ related: scoped({ title: 'x' }) });
  });

  it('refuses a to-many relation reached through another relation (every document would meet its whole group)', () => {
    expect(refused({ category: { articles: { title: 'x' } } })).toMatch(
      /^filters\.category\.articles: articles holds several entries per document and is reached through another relation or component/,
    );
  });

  it('leaves the root type scope to the caller', () => {
    expect(check({ title: 'x' })).toEqual({ title: 'x' });
  });

  it('checks the fields of the target type, not of the source', () => {
    expect(refused({ category: { title: 'x' } })).toMatch(
      /^filters\.category\.title: cannot filter on title; filterable fields: id, documentId, articles, name$/,
    );
  });

  it('refuses a relation whose type the caller may not read', () => {
    expect(refused({ secret: { code: 'x' } })).toBe(
      'filters.secret: cannot filter through secret: its content type is not readable',
    );
    expect(refused({ secret: { $null: true } })).toMatch(/^filters\.secret: cannot filter through secret/);
  });

  it.each(cases([{ $null: true }, { $notNull: true }, { $null: false, $notNull: true }, {}]))(
    'refuses "has any link" %s through a scoped relation (it counts links to hidden documents)',
    (_, value) => {
      expect(refused({ related: value })).toMatch(/^filters\.related: related may link documents you cannot see;/);
    },
  );

  it('refuses "has any link" through a to-many relation behind another one', () => {
    expect(refused({ category: { articles: { $notNull: true } } })).toMatch(
      /^filters\.category\.articles: articles holds several entries per document/,
    );
  });

  it('allows "has any link" through an unscoped relation and a component', () => {
    expect(check({ category: { $null: true }, seo: { $notNull: true } })).toEqual({
      category: { $null: true },
      seo: { $notNull: true },
    });
  });

  it('allows the suggested positive form { id: { $notNull: true } } through a scoped relation', () => {
    expect(check({ related: { id: { $notNull: true } } })).toEqual({
      related: scoped({ id: { $notNull: true } }),
    });
  });

  it('refuses $not through a scoped relation', () => {
    expect(refused({ $not: { related: { title: 'x' } } })).toBe(
      'filters.$not.related: cannot use $not through related, which may link documents you cannot see; filter positively',
    );
  });

  it('refuses $not through a scoped relation hidden under $and, $or or an unscoped relation', () => {
    expect(refused({ $not: { $and: [{ $or: [{ related: { title: 'x' } }] }] } })).toMatch(
      /cannot use \$not through related/,
    );
    expect(refused({ $not: { category: { articles: { title: 'x' } } } })).toMatch(
      /^filters\.\$not\.category\.articles: articles holds several entries per document/,
    );
  });

  it('allows $not through an unscoped relation, a component, and inside a scoped relation', () => {
    expect(check({ $not: { category: { name: 'x' } } })).toEqual({ $not: { category: { name: 'x' } } });
    expect(check({ $not: { seo: { metaTitle: 'x' } } })).toEqual({ $not: { seo: { metaTitle: 'x' } } });
    expect(check({ related: { $not: { title: 'x' } } })).toEqual({
      related: scoped({ $not: { title: 'x' } }),
    });
  });

  it.each(cases<unknown>(['doc-1', 5, [{ title: 'x' }]]))(
    'refuses a relation compared to a bare value %s',
    (_, value) => {
      expect(refused({ category: value })).toBe('filters.category: expected an object');
    },
  );

  it('checks component sub-fields against the component', () => {
    expect(check({ seo: { metaTitle: { $eq: 'x' } } })).toEqual({ seo: { metaTitle: { $eq: 'x' } } });
    expect(refused({ seo: { metaDescription: 'x' } })).toMatch(
      /^filters\.seo\.metaDescription: cannot filter on metaDescription; filterable fields: id, documentId, metaTitle$/,
    );
  });
});

describe('media filters', () => {
  it.each(cases([{ id: 5 }, { id: { $in: [1, 2] } }, { $null: true }, { $notNull: true }]))('allows %s', (_, value) => {
    expect(check({ cover: value })).toEqual({ cover: value });
  });

  it.each(cases<unknown>([{ name: 'x' }, { url: { $contains: 'org-2' } }, { id: 5, mime: 'image/png' }, 5, 'x']))(
    'refuses %s',
    (_, value) => {
      expect(refused({ cover: value })).toBe(
        'filters.cover: media fields can only be filtered by id, $null or $notNull',
      );
    },
  );
});

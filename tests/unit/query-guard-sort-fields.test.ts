/** QueryGuard.checkSort and checkFields: only readable scalar fields, never ordered through hidden documents. */
import { describe, expect, it } from 'vitest';
import { ARTICLE, guard, refusal, SECRET } from '../helpers/query-guard-fixture';

const sort = (value: unknown, uid = ARTICLE) => guard().checkSort(value, uid);
const fields = (value: unknown, uid = ARTICLE) => guard().checkFields(value, uid);

/** it.each rows labelled with their JSON (vitest's %j mangles `$` keys). */
const cases = <T>(values: T[]) => values.map((value) => [JSON.stringify(value), value] as const);

describe('checkSort: forms', () => {
  it('normalises a bare field to ascending', () => {
    expect(sort('title')).toEqual(['title:asc']);
  });

  it('lower-cases the direction', () => {
    expect(sort('title:DESC')).toEqual(['title:desc']);
    expect(sort({ count: 'Asc' })).toEqual(['count:asc']);
  });

  it('splits a comma list and trims its parts', () => {
    expect(sort('title:desc, count')).toEqual(['title:desc', 'count:asc']);
  });

  it('accepts an object and a list mixing strings and objects', () => {
    expect(sort({ title: 'desc', count: 'asc' })).toEqual(['title:desc', 'count:asc']);
    expect(sort(['title:desc', { count: 'desc' }, 'id'])).toEqual(['title:desc', 'count:desc', 'id:asc']);
  });

  it('always allows id and documentId', () => {
    expect(sort('id:desc,documentId')).toEqual(['id:desc', 'documentId:asc']);
  });

  it.each(cases<unknown>([5, null, true, [['title']], [5]]))('refuses %s', (_, value) => {
    expect(refusal(() => sort(value))).toBe('sort: expected "field:asc", a list of them, or { field: "asc" }');
  });

  it.each(['title:up', 'title:1', 'title: desc', 'title:'])('refuses the direction in %s', (value) => {
    expect(refusal(() => sort(value))).toBe('sort.title: direction must be asc or desc');
  });

  it.each(cases<unknown>([{ title: 1 }, { title: { $raw: 'x' } }, { title: true }]))(
    'refuses a non-direction value %s',
    (_, value) => {
      expect(refusal(() => sort(value))).toBe('sort.title: direction must be asc or desc');
    },
  );
});

describe('checkSort: fields', () => {
  it('refuses a hidden field, listing the readable ones', () => {
    const message = refusal(() => sort('reviewNotes'));
    expect(message).toMatch(/^sort: cannot use reviewNotes; readable fields: body, category, count, /);
    expect(message.split('readable fields: ')[1]).not.toContain('reviewNotes');
  });

  it.each(['nope', '', '__proto__', 'constructor', 'toString'])('refuses the unknown field "%s"', (field) => {
    expect(refusal(() => sort(field))).toMatch(/^sort: cannot use .*; readable fields: /);
  });

  it.each(['category', 'cover', 'seo', 'sections', 'related'])('refuses the non-scalar field %s', (field) => {
    expect(refusal(() => sort(field))).toBe(`sort: ${field} is not a scalar field`);
  });

  it('sorts through a readable unscoped relation and a component', () => {
    expect(sort('category.name:desc')).toEqual(['category.name:desc']);
    expect(sort({ 'seo.metaTitle': 'asc' })).toEqual(['seo.metaTitle:asc']);
    expect(sort('category.id')).toEqual(['category.id:asc']);
  });

  it('refuses to sort through a scoped relation (ordering by hidden documents reveals them)', () => {
    expect(refusal(() => sort('related.title'))).toBe(
      'sort: related.title: cannot sort through related, which may link documents you cannot see',
    );
    expect(refusal(() => sort('related.id'))).toMatch(/cannot sort through related/);
  });

  it('refuses a scoped relation behind an unscoped one', () => {
    expect(refusal(() => sort('category.articles.title'))).toBe(
      'sort: category.articles.title: cannot sort through articles, which may link documents you cannot see',
    );
  });

  it('refuses a relation whose type the caller may not read', () => {
    expect(refusal(() => sort('secret.code'))).toBe('sort: secret.code: secret is not readable');
  });

  it('refuses a path through a scalar or a media field', () => {
    expect(refusal(() => sort('title.length'))).toBe('sort: title.length: title has no fields');
    expect(refusal(() => sort('cover.name'))).toBe('sort: cover.name: cover has no fields');
  });

  it('checks the fields of the target type', () => {
    expect(refusal(() => sort('category.title'))).toBe(
      'sort: cannot use category.title; readable fields: articles, name',
    );
    expect(refusal(() => sort('seo.metaDescription'))).toMatch(
      /^sort: cannot use seo\.metaDescription; readable fields: metaTitle$/,
    );
  });

  it('refuses id used as a step of a path', () => {
    expect(refusal(() => sort('id.title'))).toMatch(/^sort: cannot use id\.title;/);
  });

  it('refuses every sort of a type the caller cannot read, except by id', () => {
    expect(refusal(() => sort('code', SECRET))).toBe('sort: cannot use code; readable fields: ');
    expect(sort('id', SECRET)).toEqual(['id:asc']);
  });
});

describe('checkFields', () => {
  it('accepts a comma string, trimming it, and a list', () => {
    expect(fields('title, count')).toEqual(['title', 'count']);
    expect(fields(['title', 'body'])).toEqual(['title', 'body']);
  });

  it('always allows id and documentId', () => {
    expect(fields('id,documentId')).toEqual(['id', 'documentId']);
    expect(fields(['documentId'], SECRET)).toEqual(['documentId']);
  });

  it('refuses a hidden field, listing only the selectable scalars', () => {
    expect(refusal(() => fields(['title', 'reviewNotes']))).toBe(
      'fields: cannot select reviewNotes; selectable fields: body, count, meta, title',
    );
  });

  it.each(['category', 'cover', 'seo', 'sections', 'nope', '', '__proto__', 'constructor'])(
    'refuses "%s", which is not a readable scalar',
    (field) => {
      expect(refusal(() => fields([field]))).toMatch(
        /^fields: cannot select .*; selectable fields: body, count, meta, title$/,
      );
    },
  );

  it('refuses every field of a type the caller cannot read', () => {
    expect(refusal(() => fields('code', SECRET))).toBe('fields: cannot select code; selectable fields: ');
  });

  it.each(cases<unknown>([5, null, { title: true }, [5], ['title', { $raw: 1 }], [['title']]]))(
    'refuses %s',
    (_, value) => {
      expect(refusal(() => fields(value))).toBe('fields: expected a list of field names');
    },
  );
});

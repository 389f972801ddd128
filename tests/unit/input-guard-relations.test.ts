/** checkWriteData on relations: documentIds only, every named document recorded, at most 500 per write. */
import { describe, expect, it } from 'vitest';
import { McpToolError, PolicyRefusal } from '../../server/src/errors';
import { checkWriteData } from '../../server/src/content/guards/input-guard';
import type { CallReadView } from '../../server/src/content/guards/read-view';
import type { Attribute, CompiledPolicy, TypePolicy } from '../../server/src/services/policy';

const SIZES = { maxTextLength: 50_000, maxJsonBytes: 256 * 1024 };

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const TAG = 'api::tag.tag';
const SEO = 'shared.seo';

const typePolicy = (uid: string, attributes: Record<string, Attribute>): TypePolicy => ({
  uid,
  schema: {} as TypePolicy['schema'],
  attributes,
  isSingleType: false,
  hasDraftAndPublish: true,
  isLocalized: true,
  tenantField: null,
  fieldRules: {},
  conditions: [],
  actionOverrides: {},
});
const article = typePolicy(ARTICLE, {
  title: { type: 'string' },
  category: { type: 'relation', relation: 'manyToOne', target: CATEGORY },
  tags: { type: 'relation', relation: 'manyToMany', target: TAG },
  seo: { type: 'component', component: SEO },
});
const types = new Map(
  [article, typePolicy(CATEGORY, { name: { type: 'string' } }), typePolicy(TAG, { label: { type: 'string' } })].map(
    (type) => [type.uid, type],
  ),
);
const policy: CompiledPolicy = { roles: {}, types, findType: (reference) => types.get(reference) };
const view = {
  readable: (uid: string) => (uid === SEO ? new Set(['metaTitle', 'link']) : undefined),
  attributes: (uid: string): Record<string, Attribute> =>
    uid === SEO
      ? { metaTitle: { type: 'string' }, link: { type: 'relation', relation: 'manyToOne', target: CATEGORY } }
      : {},
  scope: () => [],
  typeOf: () => undefined,
  mediaScope: [],
} as CallReadView;

const write = (data: unknown) =>
  checkWriteData(data, article, {
    writable: ['title', 'category', 'tags', 'seo'],
    role: 'Author',
    onForbiddenField: 'reject',
    view,
    policy,
    sizes: SIZES,
  });
const invalid = (data: unknown): string => {
  try {
    write(data);
  } catch (error) {
    expect(error).toBeInstanceOf(McpToolError);
    expect(error).not.toBeInstanceOf(PolicyRefusal);
    return (error as Error).message;
  }
  throw new Error('expected the write to be refused');
};
const targets = (data: unknown, uid: string) => [...(write(data).relationTargets.get(uid) ?? [])].sort();
const ids = (n: number, prefix = 'd') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const DOCUMENT_ID = 'a documentId is 1-64 letters, digits, - or _';

describe('relation values', () => {
  it('takes a documentId string, recording it and the replacement', () => {
    const checked = write({ category: 'cat-1' });
    expect(checked.data).toEqual({ category: 'cat-1' });
    expect(checked.relationTargets.get(CATEGORY)).toEqual(new Set(['cat-1']));
    expect(checked.relationChanges).toEqual([
      { field: 'category', target: CATEGORY, connect: [], disconnect: [], replaceWith: ['cat-1'], positions: [] },
    ]);
  });

  it('takes { documentId, locale }', () => {
    expect(write({ category: { documentId: 'cat-1', locale: 'fr' } }).relationChanges[0].replaceWith).toEqual([
      'cat-1',
    ]);
    expect(() => write({ category: { documentId: 'cat-1', locale: null } })).not.toThrow();
  });

  it.each(['en', 'fr-FR', 'pt_BR', 'zh-Hant-TW'])('accepts the locale %s', (locale) => {
    expect(() => write({ category: { documentId: 'c', locale } })).not.toThrow();
  });

  it.each(['english!', 'e', '../fr', 'fr-', 5, { $ne: 'fr' }].map((locale) => [JSON.stringify(locale), locale]))(
    'refuses the locale %s',
    (_, locale) => {
      expect(invalid({ category: { documentId: 'c', locale } })).toBe('data.category.locale: not a locale code');
    },
  );

  it('takes null as "no link" and an empty list as "no links"', () => {
    expect(write({ category: null }).relationChanges[0].replaceWith).toEqual([]);
    expect(write({ tags: [] }).relationChanges[0].replaceWith).toEqual([]);
  });

  it('takes a list for a to-many relation only', () => {
    expect(write({ tags: ['a', { documentId: 'b' }] }).relationChanges[0].replaceWith).toEqual(['a', 'b']);
    expect(invalid({ category: ['a'] })).toBe('data.category: a to-one relation takes one documentId, not a list');
  });

  it.each(['a', 'A-b_9', 'x'.repeat(64)])('accepts the documentId %s', (documentId) => {
    expect(() => write({ category: documentId })).not.toThrow();
  });

  it.each(['../x', '', 'x'.repeat(65), 'a b', 'abc\n', 'é', 'a/b', 'a%00'])(
    'refuses the documentId %j',
    (documentId) => {
      expect(invalid({ category: documentId })).toBe(`data.category: ${DOCUMENT_ID}`);
      expect(invalid({ tags: { connect: [{ documentId }] } })).toBe(`data.tags.connect[0].documentId: ${DOCUMENT_ID}`);
    },
  );

  it.each([
    ['a number', 5],
    ['true', true],
    ['a nested list', [['a']]],
  ])('refuses %s as a relation item', (_, value) => {
    expect(invalid({ tags: [value] })).toBe(
      'data.tags[0]: relations take documentIds (a string, or { documentId, locale? })',
    );
  });

  it.each([
    ['a published status', { documentId: 'a', status: 'published' }],
    ['a numeric id beside the documentId', { documentId: 'a', id: 5 }],
    ['a numeric id alone', { id: 5 }],
    ['a prototype key', JSON.parse('{ "documentId": "a", "__proto__": { "id": 1 } }')],
  ])('refuses %s on a relation item', (_, item) => {
    expect(invalid({ category: item })).toMatch(
      /^data\.category: unknown key (status|id|__proto__); a relation item is \{ documentId, locale\?, position\? \}$/,
    );
  });

  it('refuses an item without a documentId', () => {
    expect(invalid({ category: {} })).toBe(`data.category.documentId: ${DOCUMENT_ID}`);
  });
});

describe('connect, disconnect and set', () => {
  it('records connect and disconnect, and every document both name', () => {
    const checked = write({ tags: { connect: ['a', 'b'], disconnect: [{ documentId: 'c' }] } });
    expect(checked.relationChanges).toEqual([
      { field: 'tags', target: TAG, connect: ['a', 'b'], disconnect: ['c'], positions: [] },
    ]);
    expect(checked.relationTargets.get(TAG)).toEqual(new Set(['a', 'b', 'c']));
  });

  it('records set as a replacement', () => {
    expect(write({ tags: { set: ['a'] } }).relationChanges[0]).toEqual({
      field: 'tags',
      target: TAG,
      connect: [],
      disconnect: [],
      replaceWith: ['a'],
      positions: [],
    });
  });

  it.each([
    { set: ['a'], connect: ['b'] },
    { set: [], disconnect: ['b'] },
    { connect: ['b'], set: [] },
  ])('refuses set combined with connect or disconnect', (value) => {
    expect(invalid({ tags: value })).toBe('data.tags: set cannot be combined with connect or disconnect');
  });

  it.each([
    ['delete', { connect: ['a'], delete: ['b'] }],
    ['documentId', { documentId: 'a', connect: ['b'] }],
    ['__proto__', JSON.parse('{ "connect": ["a"], "__proto__": ["b"] }')],
  ])('refuses the unknown operation %s', (operation, value) => {
    expect(invalid({ tags: value })).toBe(
      `data.tags: unknown relation operation ${operation}; use connect, disconnect or set`,
    );
  });

  it.each([
    ['a string', 'a'],
    ['an object', { documentId: 'a' }],
    ['null', null],
  ])('refuses %s instead of a list of documentIds', (_, items) => {
    expect(invalid({ tags: { connect: items } })).toBe('data.tags.connect: expected a list of documentIds');
  });

  it('names the bad item of an operation', () => {
    expect(invalid({ tags: { disconnect: ['a', 7] } })).toMatch(/^data\.tags\.disconnect\[1\]: relations take/);
  });
  it('records one change per top-level relation field, in the order given', () => {
    const checked = write({ tags: { disconnect: ['t1'] }, title: 'x', category: null });
    expect(checked.relationChanges).toEqual([
      { field: 'tags', target: TAG, connect: [], disconnect: ['t1'], positions: [] },
      { field: 'category', target: CATEGORY, connect: [], disconnect: [], replaceWith: [], positions: [] },
    ]);
  });
});

describe('position', () => {
  const connect = (position: unknown) => ({ tags: { connect: [{ documentId: 'a', position }] } });

  it('adds a before/after neighbour to the documents to check, not to the links', () => {
    const checked = write(connect({ before: 'b' }));
    expect(checked.relationTargets.get(TAG)).toEqual(new Set(['a', 'b']));
    expect(checked.relationChanges[0].connect).toEqual(['a']);
    expect(targets(connect({ after: 'c', locale: 'fr' }), TAG)).toEqual(['a', 'c']);
  });

  it('accepts { start: true } and { end: true } without a neighbour', () => {
    expect(targets(connect({ start: true }), TAG)).toEqual(['a']);
    expect(targets(connect({ end: true }), TAG)).toEqual(['a']);
  });

  it.each([{}, { before: 'b', after: 'c' }, { start: true, end: true }, { locale: 'fr' }])(
    'refuses a position naming other than exactly one place: %j',
    (position) => {
      expect(invalid(connect(position))).toBe(
        'data.tags.connect[0].position: name exactly one of before, after, start, end',
      );
    },
  );

  it.each([false, 'yes', 1])('refuses start: %j', (start) => {
    expect(invalid(connect({ start }))).toBe('data.tags.connect[0].position.start: expected true');
    expect(invalid(connect({ end: start }))).toBe('data.tags.connect[0].position.end: expected true');
  });

  it.each(['../b', '', 5, { documentId: 'b' }])('refuses the neighbour %j', (before) => {
    expect(invalid(connect({ before }))).toBe(`data.tags.connect[0].position.before: ${DOCUMENT_ID}`);
  });

  it.each(['middle', 'documentId', 'id'])('refuses the unknown position key %s', (key) => {
    expect(invalid(connect({ end: true, [key]: 'x' }))).toBe(
      `data.tags.connect[0].position: unknown key ${key}; use before, after, start or end`,
    );
  });

  it('validates the locale of a position', () => {
    expect(invalid(connect({ before: 'b', locale: 'xx!' }))).toBe(
      'data.tags.connect[0].position.locale: not a locale code',
    );
  });

  it.each(['start', ['before', 'b'], null])('refuses a position that is not an object: %j', (position) => {
    expect(invalid(connect(position))).toBe(
      'data.tags.connect[0].position: expected { before }, { after }, { start: true } or { end: true }',
    );
  });
});

describe('relations inside components', () => {
  it('records the documents they name, but no change of the document itself', () => {
    const checked = write({ seo: { link: 'cat-9' }, category: 'cat-1' });
    expect(checked.relationTargets.get(CATEGORY)).toEqual(new Set(['cat-9', 'cat-1']));
    expect(checked.relationChanges.map((change) => change.field)).toEqual(['category']);
    expect(checked.data.seo).toEqual({ link: 'cat-9' });
  });

  it('checks them like top-level relations', () => {
    expect(invalid({ seo: { link: { documentId: 'c', status: 'draft' } } })).toMatch(
      /^data\.seo\.link: unknown key status/,
    );
    expect(invalid({ seo: { link: 5 } })).toMatch(/^data\.seo\.link: relations take documentIds/);
  });
});

describe('the 500-document cap', () => {
  const cap = 'one write may name at most 500 related documents';

  it('accepts 500 documents and refuses the 501st, naming where', () => {
    expect(() => write({ tags: { connect: ids(500) } })).not.toThrow();
    expect(invalid({ tags: { connect: ids(501) } })).toBe(`data.tags.connect[500]: ${cap}`);
  });

  it('counts a document named twice twice: a repeated list is no cheaper to send', () => {
    expect(invalid({ tags: { connect: [...ids(300), ...ids(300)] } })).toBe(`data.tags.connect[500]: ${cap}`);
  });

  it('counts position neighbours', () => {
    const items = (n: number) => ids(n).map((documentId, i) => ({ documentId, position: { before: `n${i}` } }));
    expect(() => write({ tags: { connect: items(250) } })).not.toThrow();
    expect(invalid({ tags: { connect: items(251) } })).toBe(`data.tags.connect[250]: ${cap}`);
  });

  it('counts over every field and target type together', () => {
    expect(invalid({ category: 'c', tags: ids(500) })).toBe(`data.tags[499]: ${cap}`);
    expect(invalid({ tags: ids(500), seo: { link: 'c' } })).toBe(`data.seo.link: ${cap}`);
  });
});

describe('positions are recorded with their neighbour', () => {
  it('records each positioned item, its neighbour and where it was named', () => {
    const checked = write({ tags: { connect: [{ documentId: 'a', position: { after: 'b' } }, 'c'] } });
    expect(checked.relationChanges[0].positions).toEqual([
      { documentId: 'a', neighbour: 'b', at: 'data.tags.connect[0].position' },
    ]);
  });
});

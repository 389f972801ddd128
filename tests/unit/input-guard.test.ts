/** checkWriteData: which keys a write may hold, and how media and components are checked and normalised. */
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
const QUOTE = 'shared.quote';

const typePolicy = (uid: string, attributes: Record<string, Attribute>, tenantField: string | null): TypePolicy => ({
  uid,
  schema: {} as TypePolicy['schema'],
  attributes,
  isSingleType: false,
  hasDraftAndPublish: true,
  isLocalized: false,
  tenantField,
  fieldRules: {},
  conditions: [],
  actionOverrides: {},
});

const article = typePolicy(
  ARTICLE,
  {
    title: { type: 'string' },
    body: { type: 'text' },
    views: { type: 'integer' },
    slug: { type: 'uid' },
    reviewNotes: { type: 'text', private: true },
    secretKey: { type: 'password' },
    tenantId: { type: 'string' },
    category: { type: 'relation', relation: 'manyToOne', target: CATEGORY },
    tags: { type: 'relation', relation: 'manyToMany', target: TAG },
    author: { type: 'relation', relation: 'manyToOne', target: 'admin::user' },
    cover: { type: 'media', multiple: false },
    gallery: { type: 'media', multiple: true },
    seo: { type: 'component', component: SEO },
    quotes: { type: 'component', component: QUOTE, repeatable: true },
    sections: { type: 'dynamiczone', components: [SEO, QUOTE] },
  },
  'tenantId',
);
const category = typePolicy(CATEGORY, { name: { type: 'string' } }, null);
const types = new Map([article, category, typePolicy(TAG, { label: { type: 'string' } }, null)].map((t) => [t.uid, t]));
const policy: CompiledPolicy = { roles: {}, types, findType: (reference) => types.get(reference) };

const COMPONENT_ATTRIBUTES = new Map<string, Record<string, Attribute>>([
  [
    SEO,
    {
      metaTitle: { type: 'string' },
      image: { type: 'media', multiple: false },
      link: { type: 'relation', relation: 'manyToOne', target: CATEGORY },
      secretNote: { type: 'string', private: true },
    },
  ],
  [QUOTE, { text: { type: 'string' }, picture: { type: 'media', multiple: false } }],
]);
const COMPONENT_READABLE = new Map<string, ReadonlySet<string>>([
  [SEO, new Set(['metaTitle', 'image', 'link'])],
  [QUOTE, new Set(['text', 'picture'])],
]);
const view = {
  readable: (uid: string) => COMPONENT_READABLE.get(uid),
  attributes: (uid: string) => COMPONENT_ATTRIBUTES.get(uid) ?? {},
  scope: () => [],
  typeOf: () => undefined,
  mediaScope: [],
} as CallReadView;

const WRITABLE = ['title', 'body', 'category', 'tags', 'cover', 'gallery', 'seo', 'quotes', 'sections'];
type Options = Partial<Parameters<typeof checkWriteData>[2]>;
const write = (data: unknown, options: Options = {}) =>
  checkWriteData(data, article, {
    writable: WRITABLE,
    role: 'Author',
    onForbiddenField: 'reject',
    view,
    policy,
    sizes: SIZES,
    ...options,
  });

/** The error the write fails with; fails when it does not. */
const failure = (run: () => unknown): McpToolError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(McpToolError);
    return error as McpToolError;
  }
  throw new Error('expected the write to be refused');
};
const invalid = (data: unknown, options: Options = {}) => {
  const error = failure(() => write(data, options));
  expect(error).not.toBeInstanceOf(PolicyRefusal);
  return error.message;
};

describe('the shape of data', () => {
  it.each([null, [], 'title', 5])('refuses data that is not an object: %s', (data) => {
    expect(invalid(data)).toBe('data must be an object of field values');
  });

  it('passes writable scalar fields through', () => {
    expect(write({ title: 'x', body: 'y' }).data).toEqual({ title: 'x', body: 'y' });
  });
});

describe('managed keys', () => {
  it.each([
    'id',
    'documentId',
    'createdAt',
    'updatedAt',
    'publishedAt',
    'createdBy',
    'updatedBy',
    'locale',
    'localizations',
  ])('refuses %s, even when forbidden fields are stripped', (key) => {
    const message = `data.${key}: ${key} is managed by Strapi and cannot be written`;
    expect(invalid({ title: 'x', [key]: 1 })).toBe(message);
    expect(invalid({ [key]: 1 }, { onForbiddenField: 'strip' })).toBe(message);
  });
});

describe('unknown, private and forbidden fields', () => {
  const unknown = (key: string) => `data.${key}: unknown field; writable fields: ${WRITABLE.join(', ')}`;

  it.each([
    ['an unknown field', 'nope'],
    ['a private field', 'reviewNotes'],
    ['a password field', 'secretKey'],
    ['a relation to a type outside the policy', 'author'],
  ])('reports %s as unknown, never as forbidden', (_, key) => {
    expect(invalid({ [key]: 'x' })).toBe(unknown(key));
    expect(invalid({ [key]: 'x' }, { onForbiddenField: 'strip' })).toBe(unknown(key));
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'reports the prototype key %s as an unknown field (it is no attribute)',
    (key) => {
      const data = JSON.parse(`{ "${key}": "x" }`);
      expect(invalid(data)).toBe(unknown(key));
      expect(invalid(data, { onForbiddenField: 'strip' })).toBe(unknown(key));
    },
  );

  it('bounds an unknown key in the message and replaces its control characters', () => {
    const message = invalid({ [`a\nforged\r${'x'.repeat(10_000)}`]: 1 });
    expect(message.length).toBeLessThan(300);
    expect(message).not.toMatch(/[\n\r]/);
  });

  it('refuses a forbidden field with the writable list', () => {
    const error = failure(() => write({ title: 'x', views: 10 }));
    expect(error).toBeInstanceOf(PolicyRefusal);
    expect(error.message).toBe(`field views is not writable for role Author; writable: ${WRITABLE.join(', ')}`);
    expect(error.details).toEqual({ refused: ['views'], writable: WRITABLE });
  });

  it('names every forbidden field at once', () => {
    expect(failure(() => write({ views: 1, slug: 'a' })).message).toMatch(
      /^fields views, slug are not writable for role/,
    );
  });

  it('strips forbidden fields under onForbiddenField: strip, reporting them', () => {
    const checked = write({ title: 'x', views: { $raw: 1 }, slug: 'a' }, { onForbiddenField: 'strip' });
    expect(checked.data).toEqual({ title: 'x' });
    expect(checked.dropped).toEqual(['views', 'slug']);
  });

  it('refuses an unknown field before it reports forbidden ones', () => {
    expect(invalid({ views: 1, nope: 1 })).toBe(unknown('nope'));
  });
});

describe('the tenant field', () => {
  it('captures the tenant value for the caller to check, and never writes it', () => {
    const checked = write({ title: 'x', tenantId: 'org-2' });
    expect(checked.tenantValue).toBe('org-2');
    expect(checked.data).toEqual({ title: 'x' });
  });

  it('keeps a hostile tenant value as given, for the caller to refuse', () => {
    expect(write({ tenantId: { $ne: 'org-1' } }).tenantValue).toEqual({ $ne: 'org-1' });
  });

  it('leaves tenantValue undefined when none is sent', () => {
    expect(write({ title: 'x' }).tenantValue).toBeUndefined();
  });

  it('treats the field as unknown on a type without a tenant field', () => {
    const error = failure(() =>
      checkWriteData({ tenantId: 'org-2' }, category, {
        writable: ['name'],
        role: 'Author',
        onForbiddenField: 'reject',
        view,
        policy,
        sizes: SIZES,
      }),
    );
    expect(error.message).toBe('data.tenantId: unknown field; writable fields: name');
  });
});

describe('media', () => {
  it('accepts a file id and { id }, writing bare ids', () => {
    expect(write({ cover: 5 }).data.cover).toBe(5);
    const checked = write({ cover: { id: 5 }, gallery: [1, { id: 2 }] });
    expect(checked.data).toEqual({ cover: 5, gallery: [1, 2] });
    expect([...checked.mediaIds].sort()).toEqual([1, 2, 5]);
  });

  it('accepts null to clear a media field', () => {
    expect(write({ cover: null }).data).toEqual({ cover: null });
  });

  it.each([
    ['a string', '5'],
    ['zero', 0],
    ['a negative id', -1],
    ['a fraction', 1.5],
    ['an unsafe integer', 2 ** 53],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['{ documentId }', { documentId: 'abc' }],
    ['{ id, documentId }', { id: 5, documentId: 'abc' }],
    ['{ id, url }', { id: 5, url: 'https://evil.example/x.png' }],
    ['{ id: "5" }', { id: '5' }],
    ['{ id: { id } }', { id: { id: 5 } }],
  ])('refuses %s', (_, value) => {
    expect(invalid({ cover: value })).toBe(
      'data.cover: media takes file ids (numbers, or { id }) from list_media or upload_media',
    );
  });

  it('refuses a list for a single media field', () => {
    expect(invalid({ cover: [1] })).toBe('data.cover: takes one media file id');
  });

  it('names the bad item of a media list', () => {
    expect(invalid({ gallery: [1, { documentId: 'x' }] })).toMatch(/^data\.gallery\[1\]: media takes file ids/);
  });

  it('normalises media inside components and dynamic zones', () => {
    const checked = write({
      seo: { image: { id: 7 } },
      sections: [{ __component: QUOTE, picture: { id: 8 } }],
    });
    expect(checked.data).toEqual({ seo: { image: 7 }, sections: [{ __component: QUOTE, picture: 8 }] });
    expect([...checked.mediaIds].sort()).toEqual([7, 8]);
  });

  it('refuses a bad media value inside a component', () => {
    expect(invalid({ seo: { image: { id: 7, documentId: 'x' } } })).toMatch(/^data\.seo\.image: media takes file ids/);
  });
});

describe('components', () => {
  it('rebuilds a component from its checked keys', () => {
    const seo = { metaTitle: 'x' };
    const checked = write({ seo });
    expect(checked.data.seo).toEqual(seo);
    expect(checked.data.seo).not.toBe(seo);
  });

  it('collects entry ids by component uid, in repeatable components and dynamic zones too', () => {
    const checked = write({
      seo: { id: 3, metaTitle: 'x' },
      quotes: [{ id: 4, text: 'a' }, { id: 5 }, { text: 'new' }],
      sections: [
        { __component: SEO, id: 6 },
        { __component: QUOTE, id: 7, text: 'b' },
      ],
    });
    expect([...(checked.componentIds.get(SEO) ?? [])].sort()).toEqual([3, 6]);
    expect([...(checked.componentIds.get(QUOTE) ?? [])].sort()).toEqual([4, 5, 7]);
  });

  it.each([
    ['a string', '3'],
    ['zero', 0],
    ['a negative id', -1],
    ['a fraction', 1.5],
    ['null', null],
    ['an object', { $gt: 0 }],
  ])('refuses %s as an entry id', (_, id) => {
    expect(invalid({ seo: { id } })).toBe('data.seo.id: a component entry id is a positive integer');
    expect(invalid({ quotes: [{ id }] })).toBe('data.quotes[0].id: a component entry id is a positive integer');
  });

  it.each(['nope', 'secretNote', '__component', 'documentId', '__proto__'])('refuses the sub-field %s', (key) => {
    expect(invalid({ seo: JSON.parse(`{ "${key}": 1 }`) })).toBe(
      `data.seo.${key}: unknown field; fields: image, link, metaTitle`,
    );
  });

  it('narrows sub-fields to what Strapi lets the caller write, never widening them', () => {
    const componentWritable = new Map([[SEO, new Set(['metaTitle', 'secretNote'])]]);
    expect(write({ seo: { metaTitle: 'x' } }, { componentWritable }).data).toEqual({ seo: { metaTitle: 'x' } });
    expect(invalid({ seo: { image: 5 } }, { componentWritable })).toBe(
      'data.seo.image: unknown field; fields: metaTitle',
    );
    expect(invalid({ seo: { secretNote: 'x' } }, { componentWritable })).toMatch(
      /^data\.seo\.secretNote: unknown field/,
    );
  });

  it.each([
    ['a string', 'x'],
    ['a list', [{ metaTitle: 'x' }]],
  ])('refuses %s for a single component', (_, value) => {
    expect(invalid({ seo: value })).toBe('data.seo: expected an object');
  });

  it('refuses a non-list for a repeatable component and accepts null', () => {
    expect(invalid({ quotes: { text: 'a' } })).toBe('data.quotes: a repeatable component takes a list');
    expect(write({ seo: null, quotes: null }).data).toEqual({ seo: null, quotes: null });
  });
});

describe('dynamic zones', () => {
  const mustBe = `__component must be one of ${SEO}, ${QUOTE}`;

  it('keeps a valid __component and accepts an empty list', () => {
    expect(write({ sections: [{ __component: SEO, metaTitle: 'x' }] }).data).toEqual({
      sections: [{ __component: SEO, metaTitle: 'x' }],
    });
    expect(write({ sections: [] }).data).toEqual({ sections: [] });
  });

  it.each([
    ['a missing __component', { metaTitle: 'x' }],
    ['an unknown __component', { __component: 'shared.evil' }],
    ['a non-string __component', { __component: [SEO] }],
    ['an entry that is not an object', SEO],
  ])('refuses %s', (_, entry) => {
    expect(invalid({ sections: [entry] })).toBe(`data.sections[0]: ${mustBe}`);
  });

  it.each([
    ['an object', { __component: SEO }],
    ['null', null],
  ])('refuses %s instead of a list', (_, value) => {
    expect(invalid({ sections: value })).toBe('data.sections: a dynamic zone takes a list of components');
  });

  it('checks each entry against its own component', () => {
    expect(invalid({ sections: [{ __component: QUOTE, metaTitle: 'x' }] })).toBe(
      'data.sections[0].metaTitle: unknown field; fields: picture, text',
    );
  });
});

describe('value sizes: every stored value is scanned by later reads', () => {
  const message = (data: unknown, options: Options = {}) => failure(() => write(data, options)).message;

  it('holds a string to its column: 255 characters pass, 256 are refused', () => {
    expect(() => write({ title: 't'.repeat(255) })).not.toThrow();
    expect(message({ title: 't'.repeat(256) })).toBe('data.title: at most 255 characters (256 sent)');
  });

  it('holds a uid (which has no maxLength in most schemas) to 255 characters: 900 KB slugs are refused', () => {
    expect(message({ slug: 's'.repeat(900_000) }, { writable: ['slug'] })).toBe(
      'data.slug: at most 255 characters (900000 sent)',
    );
  });

  it('holds text to limits.maxTextLength', () => {
    expect(() => write({ body: 'b'.repeat(50_000) })).not.toThrow();
    expect(message({ body: 'b'.repeat(50_001) })).toBe('data.body: at most 50000 characters (50001 sent)');
    expect(message({ body: 'b'.repeat(11) }, { sizes: { maxTextLength: 10, maxJsonBytes: 10 } })).toBe(
      'data.body: at most 10 characters (11 sent)',
    );
  });

  it('holds strings inside components to their column too', () => {
    expect(message({ seo: { metaTitle: 'm'.repeat(300) } })).toBe(
      'data.seo.metaTitle: at most 255 characters (300 sent)',
    );
    expect(message({ quotes: [{ text: 'q' }, { text: 'q'.repeat(256) }] })).toBe(
      'data.quotes[1].text: at most 255 characters (256 sent)',
    );
  });
});

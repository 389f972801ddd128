/** A read view and limits for the query guard's unit tests: an article type with every kind of field, one reader. */
import { expect } from 'vitest';
import { PolicyRefusal } from '../../server/src/errors';
import { QueryGuard, type QueryLimits, type ReadView } from '../../server/src/content/guards/query-guard';
import type { Attribute } from '../../server/src/services/policy';

export const ARTICLE = 'api::article.article';
export const CATEGORY = 'api::category.category';
export const SECRET = 'api::secret.secret';
export const SEO = 'shared.seo';
export const TENANT = { tenantId: 'org-1' };

const ATTRIBUTES = new Map<string, Record<string, Attribute>>([
  [
    ARTICLE,
    {
      title: { type: 'string' },
      body: { type: 'blocks' },
      meta: { type: 'json' },
      reviewNotes: { type: 'text' },
      count: { type: 'integer' },
      tenantId: { type: 'string' },
      category: { type: 'relation', relation: 'manyToOne', target: CATEGORY },
      related: { type: 'relation', relation: 'manyToMany', target: ARTICLE },
      secret: { type: 'relation', relation: 'manyToOne', target: SECRET },
      cover: { type: 'media', multiple: false },
      seo: { type: 'component', component: SEO },
      sections: { type: 'dynamiczone', components: [SEO] },
    },
  ],
  [CATEGORY, { name: { type: 'string' }, articles: { type: 'relation', relation: 'oneToMany', target: ARTICLE } }],
  [SECRET, { code: { type: 'string' } }],
  [SEO, { metaTitle: { type: 'string' } }],
]);
// reviewNotes and tenantId are hidden from this reader; `secret` is listed although its type is not readable, to prove
// the guard checks the target itself (the real read view also drops such relations).
const READABLE = new Map<string, ReadonlySet<string>>([
  [ARTICLE, new Set(['title', 'body', 'meta', 'count', 'category', 'related', 'secret', 'cover', 'seo', 'sections'])],
  [CATEGORY, new Set(['name', 'articles'])],
  [SEO, new Set(['metaTitle'])],
]);
export const view: ReadView = {
  readable: (uid) => READABLE.get(uid),
  attributes: (uid) => ATTRIBUTES.get(uid) ?? {},
  scope: (uid) => (uid === ARTICLE ? [TENANT] : []),
};

export const LIMITS: QueryLimits = {
  maxFilterDepth: 5,
  maxPatternLength: 256,
  maxPatternTerms: 20,
  maxFilterTerms: 200,
  maxFilterBytes: 32 * 1024,
};
export const guard = (limits: Partial<QueryLimits> = {}) => new QueryGuard(view, { ...LIMITS, ...limits });
export const check = (filters: unknown, limits: Partial<QueryLimits> = {}) =>
  guard(limits).checkFilters(filters, ARTICLE);

/** The refusal's message; fails when the call is not refused with a PolicyRefusal. */
export const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyRefusal);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};
export const refused = (filters: unknown, limits: Partial<QueryLimits> = {}) => refusal(() => check(filters, limits));

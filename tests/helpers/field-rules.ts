/** Fixtures shared by tests/api/field-rules-*.test.ts: an article of org-1 owned by author1, and database reads. */
import { ARTICLE, documents, unique, userId, type Doc } from './results';
import type { TestApp } from './test-app';

/** The fixtures of one boot (`getApp` is read when they run). */
export const fieldRulesFixtures = (getApp: () => TestApp) => ({
  /** Every row (draft and published) of the articles matching `where`. */
  rowsOf: (where: Doc): Promise<Doc[]> =>
    getApp()
      .strapi.db.query(ARTICLE)
      .findMany({ where, orderBy: { id: 'asc' } }),
  /** A draft article of org-1 written by author1, with a reviewNotes value. */
  createOwnArticle: async (extra: Doc = {}): Promise<Doc> => {
    const owner = await userId(getApp(), 'author1@example.com');
    return documents(getApp(), ARTICLE).create({
      data: {
        title: unique('field-rules fixture'),
        tenantId: 'org-1',
        reviewNotes: 'Review fixture: check the facts.',
        createdBy: owner,
        updatedBy: owner,
        ...extra,
      },
    });
  },
});

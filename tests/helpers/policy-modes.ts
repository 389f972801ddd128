/** Fixtures shared by tests/api/policy-modes-*.test.ts. */
import { ARTICLE, documents, unique, userId, type Doc } from './results';
import type { TestApp } from './test-app';

/** An org-1 article created directly in Strapi, owned by the given user (author1 by default). */
export const createArticle = async (
  app: TestApp,
  options: { owner?: string; published?: boolean; data?: Doc } = {},
): Promise<Doc> => {
  const owner = await userId(app, options.owner ?? 'author1@example.com');
  return documents(app, ARTICLE).create({
    data: { title: unique('fixture'), tenantId: 'org-1', createdBy: owner, updatedBy: owner, ...options.data },
    status: options.published ? 'published' : 'draft',
  });
};

/**
 * Tenant isolation fixtures, shared by tests/api/tenant-isolation-*.test.ts: the two tenants are org-1 (odd seeded
 * articles) and org-2 (even ones) on the tenant-aware article type, and the shared (not tenant-aware) category type
 * links to articles of both. The caller is of org-1; nothing of org-2 may reach it.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { ARTICLE, CATEGORY, seededArticle, textOf, type Doc } from './results';
import type { TestApp } from './test-app';

/** A refusal, or an answer in which nothing matched: either way, no signal about the other tenant. */
export const expectNothingFound = (result: CallToolResult) => {
  if (result.isError) return;
  const content = result.structuredContent as { data?: Doc[]; count?: number };
  if ('count' in content) expect(content.count).toBe(0);
  else expect(content.data).toEqual([]);
};

/** "document X of article not found", the same words for a foreign document as for one that does not exist. */
export const expectNotFound = (result: CallToolResult, documentId: string) => {
  expect(result.isError).toBe(true);
  expect(textOf(result)).toBe(`document ${documentId} of article not found`);
  expect(result.structuredContent).toBeUndefined();
};

const collectDocumentIds = (value: unknown, into = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) value.forEach((item) => collectDocumentIds(item, into));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'documentId' && typeof item === 'string') into.add(item);
      else collectDocumentIds(item, into);
    }
  }
  return into;
};

/** The documents and checks of one boot (`getApp` is read when they run). */
export const tenantFixtures = (getApp: () => TestApp) => {
  /** The org-2 documentIds: the seeded ones (see loadOrg2Ids) and the ones sharedCategory creates. */
  const org2Ids = new Set<string>();
  let fixtureCount = 0;

  const articles = () => getApp().strapi.documents(ARTICLE as never);
  const categories = () => getApp().strapi.documents(CATEGORY as never);
  const stored = async (documentId: string, status: 'draft' | 'published' = 'draft') =>
    (await articles().findOne({
      documentId,
      status,
      populate: { category: { fields: ['name'] } },
    } as never)) as Doc | null;

  return {
    articles,
    categories,
    /** The seeded article number n (draft). */
    seeded: (n: number): Promise<Doc> => seededArticle(getApp(), n),
    stored,
    countInTenant: (tenantId: string, filters: Doc = {}) =>
      articles().count({ filters: { $and: [{ tenantId }, filters] } } as never) as Promise<number>,

    /** Reads the seeded org-2 documentIds; call it in beforeAll, after the boot. */
    loadOrg2Ids: async () => {
      const all = (await articles().findMany({
        filters: { tenantId: 'org-2' },
        fields: ['documentId'],
      } as never)) as Doc[];
      for (const doc of all) org2Ids.add(doc.documentId);
    },

    /** A fresh shared category holding one published article of each tenant. */
    sharedCategory: async (titles: { own?: string; foreign?: string } = {}) => {
      fixtureCount += 1;
      const own = (await articles().create({
        data: { title: titles.own ?? `Own fixture ${fixtureCount}`, kind: 'news', tenantId: 'org-1' },
        status: 'published',
      } as never)) as Doc;
      const foreign = (await articles().create({
        data: { title: titles.foreign ?? `Zeta merger plan ${fixtureCount}`, kind: 'news', tenantId: 'org-2' },
        status: 'published',
      } as never)) as Doc;
      org2Ids.add(foreign.documentId);
      const category = (await categories().create({
        data: { name: `Shared ${fixtureCount}`, articles: [own.documentId, foreign.documentId] },
      } as never)) as Doc;
      return { own, foreign, category };
    },

    /** Which category the draft and the published version of an article point at. */
    categoryOf: async (documentId: string) => [
      (await stored(documentId, 'draft'))?.category?.name ?? null,
      (await stored(documentId, 'published'))?.category?.name ?? null,
    ],

    /** No org-2 documentId, and not even the word org-2, anywhere in the result. */
    expectNoOrg2: (result: CallToolResult) => {
      const leaked = [...collectDocumentIds(result.structuredContent)].filter((id) => org2Ids.has(id));
      expect(leaked).toEqual([]);
      expect(JSON.stringify(result)).not.toContain('org-2');
    },
  };
};

/**
 * Shared by tests/api/known-traps-*.test.ts (the verified Strapi 5 traps replayed over MCP): the check every successful
 * response goes through (no private field, admin relation or admin-user secret ever reaches the model), the refusal
 * those tests expect, and reads of the seeded articles.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { ConnectedClient } from './mcp-client';
import { ARTICLE, seededArticle, textOf, type Doc } from './results';
import type { TestApp } from './test-app';

/** Nothing of this may appear in any successful tool result. */
export const FORBIDDEN_IN_OUTPUT =
  /internalNotes|createdBy|updatedBy|password|resetPasswordToken|registrationToken|confidential margin note|Internal \d+:|@example\.com/;

/**
 * A refusal without structured content whose text (any text item, joined) matches, and that is not an internal
 * error. Unlike results.ts' expectRefused, it matches the whole text, not only the first item.
 */
export const expectCleanRefusal = (result: CallToolResult, message: RegExp) => {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  expect(textOf(result)).toMatch(message);
  expect(textOf(result)).not.toMatch(/internal error/);
  expect(result.structuredContent).toBeUndefined();
};

/** The checked tool call and the article reads of one boot (`getApp` is read when they run). */
export const trapFixtures = (getApp: () => TestApp) => {
  let successfulResponses = 0;
  const articles = () => getApp().strapi.documents(ARTICLE as never);
  return {
    /** Calls a tool; a successful result is checked at once for anything private. */
    call: async (session: ConnectedClient, tool: string, args: Record<string, unknown> = {}) => {
      const result = await session.callTool(tool, args);
      if (!result.isError) {
        successfulResponses += 1;
        expect(JSON.stringify(result), `${tool} ${JSON.stringify(args)}`).not.toMatch(FORBIDDEN_IN_OUTPUT);
      }
      return result;
    },
    /** How many successful results `call` has checked so far in this file. */
    successfulResponses: () => successfulResponses,
    articles,
    /** The seeded article number n (draft). */
    seeded: (n: number): Promise<Doc> => seededArticle(getApp(), n),
    /** The creator's email, read past the Document Service (which rightly refuses private admin fields). */
    creatorOf: async (documentId: string): Promise<string> =>
      (
        (await getApp()
          .strapi.db.query(ARTICLE as never)
          .findOne({ where: { documentId, publishedAt: null }, populate: { createdBy: { select: ['email'] } } })) as Doc
      ).createdBy.email,
    stored: async (documentId: string, status: 'draft' | 'published' = 'draft') =>
      (await articles().findOne({ documentId, status } as never)) as Doc | null,
    countOrg1: () => articles().count({ filters: { tenantId: 'org-1' } } as never) as Promise<number>,
  };
};

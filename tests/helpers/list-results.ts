/** Reading list results (find_documents, search_documents) in API tests. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import { textOf, type Doc } from './results';

/** The documents of a successful list result; fails the test with the result's text otherwise. */
export const dataOf = (result: CallToolResult): Doc[] => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return (result.structuredContent as { data: Doc[] }).data;
};

/** The pagination of a list result, as it is (no check of isError). */
export const paginationOf = (result: CallToolResult) =>
  (
    result.structuredContent as {
      meta: {
        pagination: {
          page?: number;
          pageSize: number;
          hasMore: boolean;
          nextCursor?: string;
          total?: number;
          pageCount?: number;
        };
      };
    }
  ).meta.pagination;

/** The total of a list result asked with `withCount: true`, as it is (no check of isError). */
export const totalOf = (result: CallToolResult): number | undefined => paginationOf(result).total;

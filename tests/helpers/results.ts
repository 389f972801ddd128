/** Reading tool results and the playground's content in API tests. */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { TestApp } from './test-app';

// Tests read loosely typed documents and tool outputs.
export type Doc = Record<string, any>;

export const ARTICLE = 'api::article.article';
export const CATEGORY = 'api::category.category';
export const HOMEPAGE = 'api::homepage.homepage';
export const FILE = 'plugin::upload.file';

/** A 1×1 transparent PNG. */
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

/** Every text item of a result, joined by newlines. */
export const textOf = (result: CallToolResult) =>
  result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');

/** The structured content of a successful result; fails the test with the result's text otherwise. */
export const expectOk = (result: CallToolResult): Doc => {
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as Doc;
};

/** A refusal: an error result without structured content, whose first text matches. */
export const expectRefused = (result: CallToolResult, message: RegExp | string) => {
  expect(result.isError, JSON.stringify(result.structuredContent)).toBe(true);
  expect(result.structuredContent).toBeUndefined();
  const text = (result.content[0] as { text: string }).text;
  if (typeof message === 'string') expect(text).toBe(message);
  else expect(text).toMatch(message);
};

export const documents = (app: TestApp, uid: string) => (app.strapi as any).documents(uid);

export const userId = async (app: TestApp, email: string) =>
  (await app.strapi.db.query('admin::user').findOne({ where: { email } })).id as number;

/** The article seeded as number n (title "… #n"). */
export const seededArticle = (app: TestApp, n: number, status: 'draft' | 'published' = 'draft'): Promise<Doc> =>
  documents(app, ARTICLE).findFirst({ filters: { title: { $endsWith: ` #${n}` } }, status });

let counter = 0;
/** A title or name no other test uses. */
export const unique = (label: string) => `${label} ${process.pid}-${(counter += 1)}`;

/** Audit rows, oldest first, after the queue was flushed. */
export const auditRows = async (app: TestApp, where: Doc = {}): Promise<Doc[]> => {
  await app.strapi.plugin('mcp-server').service('audit').flush();
  return app.strapi.db.query('plugin::mcp-server.audit-log').findMany({ where, orderBy: { id: 'asc' } });
};

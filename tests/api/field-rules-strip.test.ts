/**
 * Field rules of the playground policy with `onForbiddenField: 'strip'`: a field the role may not write (an Author's
 * reviewNotes, featured, locked) is dropped instead of refused, the rest is written, and `droppedFields` says what was
 * dropped, in dry runs too. Managed keys, unknown and private fields, broken conditions and reads are still refused.
 * The default 'reject' mode is in field-rules-reject.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldRulesFixtures } from '../helpers/field-rules';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { expectOk, expectRefused, unique } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

describe("onForbiddenField: 'strip'", () => {
  let app: TestApp;
  let author: ConnectedClient;
  let publisher: ConnectedClient;
  const { rowsOf, createOwnArticle } = fieldRulesFixtures(() => app);

  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { onForbiddenField: 'strip' } });
    author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    publisher = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'));
  });
  afterAll(async () => {
    await author?.close();
    await publisher?.close();
    await app?.close();
  });

  it('drops forbidden fields from a create, writes the rest, and lists them in droppedFields', async () => {
    const title = unique('strip create');
    const result = expectOk(
      await author.callTool('create_document', {
        contentType: 'article',
        data: { title, kind: 'blog', featured: true, reviewNotes: 'sneaked in' },
      }),
    );
    expect(result.droppedFields).toEqual(['featured', 'reviewNotes']);
    expect(result.data).toMatchObject({ title, kind: 'blog', featured: false });
    expect(result.data).not.toHaveProperty('reviewNotes');
    expect(await rowsOf({ title })).toEqual([
      expect.objectContaining({ title, kind: 'blog', featured: false, reviewNotes: null, tenantId: 'org-1' }),
    ]);
  });

  it('drops forbidden fields from an update, writes the rest, and lists them in droppedFields', async () => {
    const own = await createOwnArticle();
    const title = unique('strip update');
    const result = expectOk(
      await author.callTool('update_document', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title, locked: true, reviewNotes: 'replaced' },
      }),
    );
    expect(result.droppedFields).toEqual(['locked', 'reviewNotes']);
    expect(result.diff).toEqual({ title: { from: own.title, to: title } });
    expect(await rowsOf({ documentId: own.documentId })).toEqual([
      expect.objectContaining({ title, locked: false, reviewNotes: 'Review fixture: check the facts.' }),
    ]);
  });

  it('an update made only of forbidden fields changes none of them', async () => {
    const own = await createOwnArticle();
    const result = expectOk(
      await author.callTool('update_document', {
        contentType: 'article',
        documentId: own.documentId,
        data: { featured: true },
      }),
    );
    expect(result.droppedFields).toEqual(['featured']);
    expect(result.diff).toEqual({});
    expect(await rowsOf({ documentId: own.documentId })).toEqual([
      expect.objectContaining({ title: own.title, featured: false }),
    ]);
  });

  it('a dry-run create lists droppedFields and would store only the writable fields', async () => {
    const title = unique('strip dry create');
    const result = expectOk(
      await author.callTool('create_document', {
        contentType: 'article',
        data: { title, featured: true },
        dryRun: true,
      }),
    );
    expect(result).toMatchObject({ dryRun: true, droppedFields: ['featured'] });
    expect(result.wouldStore).toMatchObject({ title, tenantId: 'org-1' });
    expect(result.wouldStore).not.toHaveProperty('featured');
    expect(await rowsOf({ title })).toEqual([]);
  });

  it('a dry-run update lists droppedFields too, and writes nothing', async () => {
    const own = await createOwnArticle();
    const before = await rowsOf({ documentId: own.documentId });
    const result = expectOk(
      await author.callTool('update_document', {
        contentType: 'article',
        documentId: own.documentId,
        data: { title: 'dry title', featured: true },
        dryRun: true,
      }),
    );
    expect(result).toMatchObject({ dryRun: true, diff: { title: { from: own.title, to: 'dry title' } } });
    expect(result.wouldStore).toMatchObject({ title: 'dry title', featured: false });
    expect(await rowsOf({ documentId: own.documentId })).toEqual(before);
    expect(result.droppedFields).toEqual(['featured']);
  });

  it('strips nothing for a Publisher, who may write every one of those fields', async () => {
    const title = unique('strip publisher');
    const result = expectOk(
      await publisher.callTool('create_document', {
        contentType: 'article',
        data: { title, featured: true, reviewNotes: 'kept' },
      }),
    );
    expect(result).not.toHaveProperty('droppedFields');
    expect(await rowsOf({ title })).toEqual([expect.objectContaining({ featured: true, reviewNotes: 'kept' })]);
  });

  it.each([
    ['a managed key', { createdBy: 1 }, /^data\.createdBy: createdBy is managed by Strapi and cannot be written$/],
    ['an unknown field', { nope: 1 }, /^data\.nope: unknown field; writable fields: title, slug, body/],
    ['a private field', { internalNotes: 'x' }, /^data\.internalNotes: unknown field; writable fields:/],
    [
      'a broken condition',
      { kind: 'press' },
      /^condition "authors-write-news-or-blog" failed: Authors may only write news or blog articles/,
    ],
  ])('still refuses %s (strip only drops fields the role may not write)', async (_label, extra, message) => {
    const title = unique('strip still refuses');
    expectRefused(
      await author.callTool('create_document', { contentType: 'article', data: { title, featured: true, ...extra } }),
      message,
    );
    expect(await rowsOf({ title })).toEqual([]);
  });

  it('does not apply to reads: filtering on reviewNotes is still refused', async () => {
    expectRefused(
      await author.callTool('find_documents', { contentType: 'article', filters: { reviewNotes: { $notNull: true } } }),
      /cannot filter on reviewNotes/,
    );
  });
});

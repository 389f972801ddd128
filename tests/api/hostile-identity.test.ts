/**
 * Findings 10, 11 and 12: an unverified email, a look-alike email that PostgreSQL would fold onto another admin's
 * address, a token minted in the future, a locked article taken offline, and a dry run that passed where the real
 * write would fail on uniqueness.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, type ConnectedClient, openingRequest } from '../helpers/mcp-client';
import { ARTICLE, CATEGORY, documents, expectOk, expectRefused, seededArticle } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let publisher: ConnectedClient;

const initializeWith = async (token: string) => openingRequest(app, credentials(app, token));
const nowSeconds = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  app = await bootTestApp();
  const role = await app.strapi.db.query('admin::role').findOne({ where: { code: 'mcp-reader' } });
  await app.strapi.service('admin::user').create({
    email: 'kim@example.com',
    firstname: 'Kim',
    lastname: 'Reader',
    password: 'Playground123!',
    isActive: true,
    roles: [role.id],
  });
  publisher = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-1'));
});
afterAll(async () => {
  await publisher?.close();
  await app?.close();
});

describe('email claim', () => {
  it.each([false, 'false', 0, null])('refuses a token whose email_verified is %j', async (verified) => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1', {
      claims: { email_verified: verified },
    });
    const response = await initializeWith(token);
    expect(response.status).toBe(401);
    expect(response.json.error.data).toEqual({
      type: 'token',
      reason: 'the identity provider has not verified this email (email_verified is not true)',
    });
    expect(response.headers.get('mcp-session-id')).toBeNull();
  });

  it.each([true, 'true', undefined])('accepts a token whose email_verified is %j', async (verified) => {
    const claims = verified === undefined ? {} : { email_verified: verified };
    const response = await initializeWith(await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1', { claims }));
    expect(response.status).toBe(200);
  });

  it('accepts unverified emails only when claims.requireVerifiedEmail is turned off', async () => {
    const settings = app.strapi.plugin('mcp-server').service('settings');
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1', {
      claims: { email_verified: false },
    });
    settings.update({ claims: { requireVerifiedEmail: false } });
    try {
      expect((await initializeWith(token)).status).toBe(200);
    } finally {
      settings.update({ claims: { requireVerifiedEmail: true } });
    }
    expect((await initializeWith(token)).status).toBe(401);
  });

  it("refuses the Kelvin sign look-alike of kim@example.com: it never becomes Kim's session", async () => {
    const response = await initializeWith(await app.idp.tokenFor('\u212Aim@example.com', 'Reader', 'org-1'));
    expect(response.status).toBe(401);
    expect(response.json.error.data).toEqual({
      type: 'token',
      reason: 'email claim contains compatibility characters (look-alikes of other letters)',
    });
    expect((await initializeWith(await app.idp.tokenFor('KIM@example.com', 'Reader', 'org-1'))).status).toBe(200);
  });

  it('never matches an admin whose address differs beyond ASCII case', async () => {
    // "ſ" (long s) is NFKC-folded, so refused outright; a Turkish dotless ı is not folded: it must simply not match.
    const response = await initializeWith(await app.idp.tokenFor('k\u0131m@example.com', 'Reader', 'org-1'));
    expect(response.status).toBe(401);
    expect(response.json.error.data).toEqual({ type: 'admin-user', reason: 'no active admin user for this email' });
  });
});

describe('issued-at', () => {
  it('refuses a token issued an hour in the future', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1', { issuedAt: nowSeconds() + 3600 });
    const response = await initializeWith(token);
    expect(response.status).toBe(401);
    expect(response.json.error.data).toEqual({ type: 'token', reason: 'token issued in the future' });
  });

  it('accepts a token issued within the clock tolerance', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1', { issuedAt: nowSeconds() + 10 });
    expect((await initializeWith(token)).status).toBe(200);
  });
});

describe('unpublish applies the stored conditions of a change', () => {
  it('refuses to take a locked article offline; it stays published', async () => {
    const locked = await seededArticle(app, 7);
    const result = await publisher.callTool('unpublish_document', {
      contentType: 'article',
      documentId: locked.documentId,
    });
    expectRefused(
      result,
      'condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it',
    );
    expect(
      await documents(app, ARTICLE).findOne({ documentId: locked.documentId, status: 'published' }),
    ).not.toBeNull();
  });

  it('still unpublishes an unlocked article', async () => {
    const article = await seededArticle(app, 11);
    expectOk(
      await publisher.callTool('unpublish_document', { contentType: 'article', documentId: article.documentId }),
    );
    expect(await documents(app, ARTICLE).findOne({ documentId: article.documentId, status: 'published' })).toBeNull();
  });
});

describe('dry runs validate as the real write would', () => {
  it('refuses a dry-run category whose name is taken, as the real create does', async () => {
    const args = { contentType: 'category', data: { name: 'Product' } };
    const dry = await publisher.callTool('create_document', { ...args, dryRun: true });
    const real = await publisher.callTool('create_document', args);
    expectRefused(dry, 'Strapi refused the data: name: This attribute must be unique');
    expectRefused(real, 'Strapi refused the data: name: This attribute must be unique');
    expect(await documents(app, CATEGORY).count({ filters: { name: 'Product' } })).toBe(1);
  });

  it('refuses a dry-run update that would publish a slug another published article holds', async () => {
    const target = await seededArticle(app, 13);
    const taken = await seededArticle(app, 1, 'published');
    const args = {
      contentType: 'article',
      documentId: target.documentId,
      data: { slug: taken.slug },
      status: 'published',
    };
    expectRefused(
      await publisher.callTool('update_document', { ...args, dryRun: true }),
      'Strapi refused the data: slug: This attribute must be unique',
    );
    expectRefused(
      await publisher.callTool('update_document', args),
      'Strapi refused the data: slug: This attribute must be unique',
    );
    expect((await documents(app, ARTICLE).findOne({ documentId: target.documentId })).slug).toBe(target.slug);
  });

  it('lets a dry run of a published update keep the slug the document already holds', async () => {
    const target = await seededArticle(app, 13, 'published');
    const dry = await publisher.callTool('update_document', {
      contentType: 'article',
      documentId: target.documentId,
      data: { slug: target.slug, title: `${target.title} (edited)` },
      status: 'published',
      dryRun: true,
    });
    expect(expectOk(dry).dryRun).toBe(true);
  });
});

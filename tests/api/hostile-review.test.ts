/**
 * What an outside review of the running playground found after the first round: values too large to scan, one caller
 * holding many calls at once, a delete that unlinks other tenants' articles, ids enumerated through a refusal, a
 * locked article published, oversized audit rows and answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import {
  ARTICLE,
  auditRows,
  CATEGORY,
  type Doc,
  documents,
  expectOk,
  expectRefused,
  seededArticle,
  textOf,
  unique,
} from '../helpers/results';
import { blackPng } from '../helpers/png';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let author: ConnectedClient;
let publisher: ConnectedClient;
let publisherWithoutTenant: ConnectedClient;
let admin1: ConnectedClient;
let admin2: ConnectedClient;

const settings = () => app.strapi.plugin('mcp-server').service('settings');

/** A 5000×5000 black 8-bit PNG: Strapi's image processing takes a while on it. */
const slowPng = () => blackPng(5000, 5000, 8).toString('base64');

beforeAll(async () => {
  app = await bootTestApp();
  const token = (email: string, role: string, tenant?: string) => app.idp.tokenFor(email, role, tenant ?? null);
  author = await connectClient(app, await token('author1@example.com', 'Author', 'org-1'));
  publisher = await connectClient(app, await token('publisher@example.com', 'Publisher', 'org-1'));
  publisherWithoutTenant = await connectClient(app, await token('publisher@example.com', 'Publisher'));
  admin1 = await connectClient(app, await token('admin@example.com', 'Admin', 'org-1'));
  admin2 = await connectClient(app, await token('admin@example.com', 'Admin', 'org-2'));
});
afterAll(async () => {
  await Promise.all([author, publisher, publisherWithoutTenant, admin1, admin2].map((client) => client?.close()));
  await app?.close();
});

describe('stored values are bounded, so reads that scan them are', () => {
  it('refuses a 900 KB slug (a uid has no maxLength): nothing is stored', async () => {
    const before = await documents(app, ARTICLE).count();
    const result = await author.callTool('create_document', {
      contentType: 'article',
      data: { title: unique('long slug'), kind: 'news', slug: 's'.repeat(900_000) },
    });
    expectRefused(result, 'data.slug: at most 255 characters (900000 sent)');
    expect(await documents(app, ARTICLE).count()).toBe(before);
  });

  it('refuses a category description longer than limits.maxTextLength', async () => {
    const result = await publisher.callTool('create_document', {
      contentType: 'category',
      data: { name: unique('long description'), description: 'd'.repeat(50_001) },
    });
    expectRefused(result, 'data.description: at most 50000 characters (50001 sent)');
  });

  it('counts $eqi and $nei as scans: LOWER() reads the whole value', async () => {
    const filters = {
      $or: Array.from({ length: 21 }, (_, index) => ({ title: { [index % 2 ? '$nei' : '$eqi']: `t${index}` } })),
    };
    expectRefused(
      await author.callTool('count_documents', { contentType: 'article', filters }),
      /a call may hold at most 20 pattern conditions/,
    );
  });
});

describe('joins that multiply rows', () => {
  it('refuses a second filter through a to-many relation: each one multiplies the rows joined', async () => {
    const throughArticles = (count: number) => ({
      $or: Array.from({ length: count }, (_, index) => ({ articles: { title: { $eq: `nomatch${index}` } } })),
    });
    expectOk(await author.callTool('count_documents', { contentType: 'category', filters: throughArticles(1) }));
    expectRefused(
      await author.callTool('count_documents', { contentType: 'category', filters: throughArticles(7) }),
      /a call may filter through at most 1 to-many relation or repeatable component \(articles is one more\)/,
    );
  });
});

describe('populated relations are previews', () => {
  it('populates a to-many relation of up to 25 entries, and refuses to load one of more, naming the document', async () => {
    const product = await documents(app, CATEGORY).findFirst({ filters: { slug: 'product' } });
    const populate = { articles: { fields: ['title'] } };
    const small = expectOk(
      await admin1.callTool('get_document', { contentType: 'category', documentId: product.documentId, populate }),
    );
    expect(small.data.articles.length).toBeGreaterThan(0);
    expect(small.data.articles.length).toBeLessThanOrEqual(25);
    for (let index = 0; index < 30; index += 1) {
      await documents(app, ARTICLE).create({
        data: { title: unique(`many ${index}`), kind: 'news', tenantId: 'org-1', category: product.documentId },
      });
    }
    const linked = 30 + small.data.articles.length;
    expectRefused(
      await admin1.callTool('get_document', { contentType: 'category', documentId: product.documentId, populate }),
      `populate.articles: document ${product.documentId} links ${linked} entries, more than the 25 a populate may show; list them with find_documents instead`,
    );
    expectRefused(
      await admin1.callTool('find_documents', { contentType: 'category', populate }),
      /^populate\.articles: document \w+ links \d+ entries, more than the 25 a populate may show/,
    );
  });

  it("refuses a to-many relation populated inside another relation: every document would bring all of its group's", async () => {
    expectRefused(
      await admin1.callTool('find_documents', {
        contentType: 'article',
        populate: { category: { populate: { articles: true } } },
      }),
      /^populate\.category\.populate\.articles: articles holds several entries per document/,
    );
    const page = expectOk(
      await admin1.callTool('find_documents', {
        contentType: 'article',
        pageSize: 2,
        populate: { category: { populate: '*' } },
      }),
    );
    for (const article of page.data as Doc[]) expect(article.category).not.toHaveProperty('articles');
  });

  it("refuses a filter through a category's articles reached from an article", async () => {
    expectRefused(
      await author.callTool('count_documents', {
        contentType: 'article',
        filters: { category: { articles: { title: { $containsi: 'zz' } } } },
      }),
      /^filters\.category\.articles: articles holds several entries per document and is reached through another relation/,
    );
  });
});

describe('one caller, many calls at once', () => {
  it('refuses a call past limits.maxConcurrentCallsPerUser while the others run, and records it', async () => {
    settings().update({ limits: { maxConcurrentCallsPerUser: 1 } });
    try {
      const upload = author.callTool('upload_media', { filename: 'slow.png', base64: slowPng() });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const refused = await author.callTool('whoami');
      expectRefused(refused, 'you already have 1 tool calls running; wait for one to finish');
      expectOk(await upload);
      const [row] = (await auditRows(app, { tool: 'whoami', decision: 'denied' })).slice(-1);
      expect(row.reason).toBe('you already have 1 tool calls running; wait for one to finish');
    } finally {
      settings().update({ limits: { maxConcurrentCallsPerUser: 4 } });
    }
    expectOk(await author.callTool('whoami'));
  });

  it('refuses an upload past media.maxConcurrentUploads from another user', async () => {
    settings().update({ media: { maxConcurrentUploads: 1 } });
    try {
      const upload = author.callTool('upload_media', { filename: 'slow2.png', base64: slowPng() });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = await publisher.callTool('upload_media', {
        filename: 'second.png',
        base64: blackPng(8, 8, 8).toString('base64'),
      });
      expectRefused(second, 'the server is processing 1 uploads; retry in a moment');
      expectOk(await upload);
    } finally {
      settings().update({ media: { maxConcurrentUploads: 2 } });
    }
  });
});

describe('deletes change the documents they unlink', () => {
  it("refuses an Admin of org-1 deleting a category that holds org-2's locked article; the article keeps it", async () => {
    const category = expectOk(
      await admin2.callTool('create_document', { contentType: 'category', data: { name: unique('shared') } }),
    ).data;
    const locked = await seededArticle(app, 8);
    expectOk(
      await admin2.callTool('update_document', {
        contentType: 'category',
        documentId: category.documentId,
        data: { articles: { connect: [locked.documentId] } },
      }),
    );
    const result = await admin1.callTool('delete_document', {
      contentType: 'category',
      documentId: category.documentId,
    });
    expectRefused(
      result,
      'deleting this category unlinks it from articles, which changes article documents linked to it: not found or not yours to change',
    );
    expect(textOf(result)).not.toContain(locked.documentId);
    const stored = await documents(app, ARTICLE).findOne({
      documentId: locked.documentId,
      populate: { category: { fields: ['documentId'] } },
    });
    expect(stored.category.documentId).toBe(category.documentId);
    expect(await documents(app, CATEGORY).findOne({ documentId: category.documentId })).not.toBeNull();
  });

  it("refuses a delete that would unlink the published version of another tenant's article, whose draft moved on", async () => {
    const category = expectOk(
      await admin1.callTool('create_document', { contentType: 'category', data: { name: unique('published link') } }),
    ).data;
    const article = await seededArticle(app, 10);
    const engineering = await documents(app, CATEGORY).findFirst({ filters: { slug: 'engineering' } });
    const moveTo = (documentId: string, status?: 'published') =>
      admin2.callTool('update_document', {
        contentType: 'article',
        documentId: article.documentId,
        data: { category: documentId },
        ...(status ? { status } : {}),
      });
    expectOk(await moveTo(category.documentId, 'published'));
    expectOk(await moveTo(engineering.documentId));
    const publishedCategory = async () =>
      (
        await documents(app, ARTICLE).findOne({
          documentId: article.documentId,
          status: 'published',
          populate: { category: { fields: ['documentId'] } },
        })
      ).category?.documentId;
    expect(await publishedCategory()).toBe(category.documentId);
    for (const dryRun of [true, false]) {
      expectRefused(
        await admin1.callTool('delete_document', { contentType: 'category', documentId: category.documentId, dryRun }),
        /^deleting this category unlinks it from articles, which changes article documents linked to it: not found or not yours to change$/,
      );
    }
    expect(await publishedCategory()).toBe(category.documentId);
  });

  it('lets an Admin delete an empty category', async () => {
    const category = expectOk(
      await admin1.callTool('create_document', { contentType: 'category', data: { name: unique('empty') } }),
    ).data;
    expectOk(await admin1.callTool('delete_document', { contentType: 'category', documentId: category.documentId }));
    expect(await documents(app, CATEGORY).findOne({ documentId: category.documentId })).toBeNull();
  });
});

describe('ids the caller never named', () => {
  it('refuses a tenantless Publisher replacing the articles of a category, without listing any', async () => {
    const product = await documents(app, CATEGORY).findFirst({
      filters: { slug: 'product' },
      populate: { articles: { fields: ['documentId'] } },
    });
    for (const articles of [null, [], { set: [] }]) {
      const result = await publisherWithoutTenant.callTool('update_document', {
        contentType: 'category',
        documentId: product.documentId,
        data: { articles },
        dryRun: true,
      });
      expectRefused(result, /^field articles is not writable for role Publisher/);
      for (const article of product.articles as Doc[]) expect(textOf(result)).not.toContain(article.documentId);
    }
  });
});

describe('publishing a locked article is a change', () => {
  it('refuses a Publisher publishing the draft of a locked article; the live version stays', async () => {
    const locked = await seededArticle(app, 17);
    await documents(app, ARTICLE).update({
      documentId: locked.documentId,
      data: { title: 'Admin draft, not for release' },
    });
    const result = await publisher.callTool('publish_document', {
      contentType: 'article',
      documentId: locked.documentId,
    });
    expectRefused(
      result,
      'condition "locked-articles-admin-only" failed: this article is locked; only an Admin may change or delete it',
    );
    const live = await documents(app, ARTICLE).findOne({ documentId: locked.documentId, status: 'published' });
    expect(live.title).toBe(locked.title);
  });
});

describe('bounded answers and rows', () => {
  it('refuses a get_document answer over limits.maxResponseBytes instead of sending it', async () => {
    settings().update({ limits: { maxResponseBytes: 300 } });
    try {
      const article = await seededArticle(app, 1);
      const result = await admin1.callTool('get_document', { contentType: 'article', documentId: article.documentId });
      expectRefused(result, /^the document is \d+ bytes as requested, over the 300-byte response limit/);
    } finally {
      settings().update({ limits: { maxResponseBytes: 512 * 1024 } });
    }
  });

  it('stores a 900 KB argument list of an unknown tool as its size and keys, from a caller with no role', async () => {
    const nobody = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'nobody', 'org-1'));
    const args = Object.fromEntries(
      Array.from({ length: 9 }, (_, index) => [`k${index}`, Array(100).fill('A'.repeat(900))]),
    );
    expect((await nobody.callTool('no_such_tool', args)).isError).toBe(true);
    await nobody.close();
    const [row] = (await auditRows(app, { tool: 'no_such_tool' })).slice(-1);
    expect(row.arguments).toMatchObject({ truncated: true, keys: Object.keys(args) });
    expect(JSON.stringify(row).length).toBeLessThan(4096);
  });
});

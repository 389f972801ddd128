/**
 * Finding 1: pattern scans that freeze the process. Long `$contains*` operands, many pattern branches, patterns over
 * `blocks` values, the same through populate filters, and JSON-RPC batches that multiply a call. Each refusal comes
 * before any query runs; while an attacker sends them, another tenant's calls answer as fast as before. On PostgreSQL
 * every read also runs within a statement timeout.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, openRawSession, rawRequest, type ConnectedClient } from '../helpers/mcp-client';
import { ARTICLE, auditRows, CATEGORY, documents, expectOk, expectRefused, textOf, unique } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const BULK_ROWS = 60;
const BODY_CHARACTERS = 20_000;

let app: TestApp;
let attacker: ConnectedClient;
let victim: ConnectedClient;
let admin: ConnectedClient;

/** Rows of org-2 whose text is one long run of "a": the worst case for a naive `LIKE '%aaa…b%'`. */
const insertBulkArticles = async () => {
  const now = new Date();
  const run = 'a'.repeat(BODY_CHARACTERS);
  await app.strapi.db.query(ARTICLE).createMany({
    data: Array.from({ length: BULK_ROWS }, (_, index) => ({
      documentId: `bulk${randomBytes(10).toString('hex')}`,
      title: `bulk ${index}`,
      kind: 'news',
      tenantId: 'org-2',
      body: [{ type: 'paragraph', children: [{ type: 'text', text: run }] }],
      reviewNotes: run,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    })),
  });
};

const timed = async <T>(run: () => Promise<T>) => {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
};

beforeAll(async () => {
  app = await bootTestApp();
  await insertBulkArticles();
  attacker = await connectClient(app, await app.idp.tokenFor('publisher@example.com', 'Publisher', 'org-2'));
  victim = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
  admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-2'));
});
afterAll(async () => {
  await Promise.all([attacker?.close(), victim?.close(), admin?.close()]);
  await app?.close();
});

const find = (client: ConnectedClient, filters: unknown, extra: Record<string, unknown> = {}) =>
  client.callTool('find_documents', { contentType: 'article', filters, fields: ['title'], ...extra });

describe('pattern operands', () => {
  it('refuses a 10 000-character $containsi before any query runs', async () => {
    const { value, ms } = await timed(() => find(attacker, { title: { $containsi: 'x'.repeat(10_000) } }));
    expectRefused(value, /^filters\.title\.\$containsi: a \$containsi value may be at most 256 characters$/);
    expect(ms).toBeLessThan(5000);
  });

  it('accepts a pattern of exactly 256 characters, and refuses 257', async () => {
    expectOk(await find(attacker, { title: { $contains: 'y'.repeat(256) } }));
    expectRefused(await find(attacker, { title: { $contains: 'y'.repeat(257) } }), /at most 256 characters/);
  });

  it('refuses any pattern operator over a blocks field (the article body), whatever its length', async () => {
    for (const operator of ['$contains', '$containsi', '$notContainsi', '$startsWith', '$endsWithi']) {
      expectRefused(
        await find(attacker, { body: { [operator]: 'a' } }),
        new RegExp(`^filters\\.body\\.\\${operator}: \\${operator} cannot search blocks fields`),
      );
    }
  });

  it('refuses a pattern over blocks hidden under $not and $or', async () => {
    expectRefused(
      await find(attacker, { $or: [{ title: 'x' }, { body: { $not: { $containsi: 'a' } } }] }),
      /cannot search blocks fields/,
    );
  });

  it('stops a call at 20 pattern conditions, spread over $or branches', async () => {
    const branches = (count: number) => ({
      $or: Array.from({ length: count }, (_, index) => ({ title: { $containsi: `term ${index}` } })),
    });
    expectOk(await find(attacker, branches(20)));
    expectRefused(await find(attacker, branches(21)), /a call may hold at most 20 pattern conditions/);
  });

  it('counts the pattern conditions of populate filters against the same call', async () => {
    const populate = {
      category: { filters: { $or: Array.from({ length: 15 }, (_, index) => ({ name: { $containsi: `c${index}` } })) } },
    };
    expectOk(await find(attacker, undefined, { populate, fields: undefined }));
    const filters = { $or: Array.from({ length: 6 }, (_, index) => ({ title: { $containsi: `t${index}` } })) };
    expectRefused(
      await find(attacker, filters, { populate, fields: undefined }),
      /^populate\.category\.filters.*at most 20 pattern conditions/,
    );
  });

  it('caps the bytes of all string operands of a call, $in lists included', async () => {
    const values = Array.from({ length: 1000 }, (_, index) => `${index}`.padEnd(40, '-'));
    expectRefused(
      await find(attacker, { title: { $in: values } }),
      /the string values of a call's filters may total at most 32768 bytes/,
    );
  });

  it("answers another tenant's whoami promptly while an attacker sends the scans that froze the process", async () => {
    const baseline = await timed(() => victim.callTool('whoami'));
    const attack = '\u0061'.repeat(9_999) + 'b';
    const flood = Array.from({ length: 4 }, () =>
      find(attacker, { $or: Array.from({ length: 50 }, () => ({ body: { $containsi: attack } })) }),
    );
    flood.push(find(attacker, { $or: Array.from({ length: 50 }, () => ({ reviewNotes: { $containsi: attack } })) }));
    const during = await timed(() => victim.callTool('whoami'));
    const results = await Promise.all(flood);
    for (const result of results) expect(result.isError).toBe(true);
    expectOk(during.value);
    expect(during.ms).toBeLessThan(Math.max(10 * baseline.ms, 2000));
  });
});

describe.runIf(process.env.DATABASE_CLIENT !== 'postgres')('scans on SQLite', () => {
  it("runs 20 self-similar scans over 60 texts of 20 000 characters without holding another tenant's whoami", async () => {
    const filters = {
      $or: Array.from({ length: 20 }, (_, index) => ({ reviewNotes: { $containsi: `${'a'.repeat(250)}b${index}` } })),
    };
    const baseline = await timed(() => victim.callTool('whoami'));
    const scan = timed(() => admin.callTool('count_documents', { contentType: 'article', filters }));
    const during = await timed(() => victim.callTool('whoami'));
    const { value, ms } = await scan;
    expect(expectOk(value).count).toBe(0);
    expect(ms).toBeLessThan(5000);
    expect(during.ms).toBeLessThan(Math.max(10 * baseline.ms, 2000));
  });
});

describe('JSON-RPC batches', () => {
  it('refuses a batch of two tool calls whole: neither create runs', async () => {
    const token = await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1');
    const headers = credentials(app, token);
    const { sessionId } = await openRawSession(app, headers);
    const names = [unique('batch one'), unique('batch two')];
    const response = await rawRequest(app, {
      headers: { ...headers, 'mcp-session-id': sessionId },
      body: names.map((name, index) => ({
        jsonrpc: '2.0',
        id: index + 1,
        method: 'tools/call',
        params: { name: 'create_document', arguments: { contentType: 'category', data: { name } } },
      })),
    });
    expect(response.status).toBe(400);
    expect(response.json.error.data).toEqual({
      type: 'batch-limit',
      reason: 'at most 1 tool call(s) per request; send the others separately',
    });
    expect(await documents(app, CATEGORY).count({ filters: { name: { $in: names } } })).toBe(0);
    const rows = await auditRows(app, { action: 'call-tools' });
    expect(rows.at(-1)).toMatchObject({ decision: 'denied', adminUserEmail: 'admin@example.com', count: 1 });
  });
});

describe.runIf(process.env.DATABASE_CLIENT === 'postgres')('read time budget (PostgreSQL)', () => {
  it('stops a read that runs past limits.readTimeoutMs and says so; the next call works', async () => {
    const settings = app.strapi.plugin('mcp-server').service('settings');
    settings.update({ limits: { readTimeoutMs: 20 } });
    try {
      const filters = {
        $or: Array.from({ length: 20 }, (_, index) => ({ reviewNotes: { $containsi: `${'a'.repeat(200)}${index}` } })),
      };
      const result = await admin.callTool('count_documents', { contentType: 'article', filters });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe('the query took longer than 20 ms and was stopped; narrow the filters or the page');
    } finally {
      settings.update({ limits: { readTimeoutMs: 5000 } });
    }
    expectOk(await admin.callTool('count_documents', { contentType: 'article' }));
  });
});

/**
 * The production fence, on one boot in the production environment: mutations are off by default there (not listed,
 * refused with the reason, audited); `enabled` works as before; `confirm` lets a change run only with the token of the
 * same call's dry run, once, and refuses replays, payload swaps, other documents, other callers, other tools, expired
 * and forged tokens. The modes are switched at runtime through the settings service. With Redis at 127.0.0.1:6379
 * the token is spent there, where a token spent by another replica is refused; a Redis that does not answer refuses
 * confirmed calls (that part needs no Redis).
 */
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectClient, type ConnectedClient } from '../helpers/mcp-client';
import { createArticle } from '../helpers/policy-modes';
import {
  ARTICLE,
  auditRows,
  documents,
  expectOk,
  expectRefused,
  FILE,
  PNG_BASE64,
  textOf,
  unique,
  type Doc,
} from '../helpers/results';
import { SHARED_REDIS_URL, sharedRedisUp } from '../helpers/redis-probe';
import { bootTestApp, type TestApp } from '../helpers/test-app';
import { MUTATION_TOOLS, READ_TOOLS } from '../helpers/tool-names';

const REDIS_URL = SHARED_REDIS_URL;
const redisUp = await sharedRedisUp('mutation-fence', 'the Redis store tests');

/** A tool of another plugin that writes (it does not say it only reads). */
const EXTENSION_TOOL = 'stamp_note';

let app: TestApp;
const infoLines: string[] = [];
const savedNodeEnv = process.env.NODE_ENV;
const settings = () => app.strapi.plugin('mcp-server').service('settings');

beforeAll(async () => {
  app = await bootTestApp({
    env: { NODE_ENV: 'production', MCP_MUTATIONS: undefined },
    onLog: (entry) => entry.level === 'info' && infoLines.push(entry.message),
  });
  app.strapi
    .plugin('mcp-server')
    .service('tools')
    .registerTool({
      name: EXTENSION_TOOL,
      description: 'Stamps a note (a write of another plugin).',
      annotations: { readOnlyHint: false },
      handler: async () => ({ content: [{ type: 'text', text: 'stamped' }] }),
    });
});
afterAll(async () => {
  await app?.close();
  process.env.NODE_ENV = savedNodeEnv;
});

const connectAs = async (email: string, role: string) =>
  connectClient(app, await app.idp.tokenFor(email, role, 'org-1'));
const toolNames = async (client: ConnectedClient) =>
  (await client.client.listTools()).tools.map((tool) => tool.name).sort();
const articleArgs = (documentId: string, title: string) => ({
  contentType: 'article',
  documentId,
  data: { title },
});
const stored = (documentId: string): Promise<Doc> => documents(app, ARTICLE).findOne({ documentId });
/** The token's id, as its (signed, not secret) claims say. */
const jtiOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')).jti;

describe("production default: mutations: 'disabled'", () => {
  let admin: ConnectedClient;
  beforeAll(async () => {
    admin = await connectAs('admin@example.com', 'Admin');
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('the boot says so', () => {
    expect(infoLines).toContain(
      "[mcp-server] mutations: 'disabled', the production default: no mutation tool is offered (set mutations or " +
        "MCP_MUTATIONS: 'enabled', 'confirm' or 'disabled')",
    );
  });

  it('whoami says so, and no tool that writes is listed', async () => {
    expect(expectOk(await admin.callTool('whoami')).mutations).toBe('disabled');
    expect(await toolNames(admin)).toEqual([...READ_TOOLS].sort());
  });

  it('refuses a mutation called anyway, dry run included, and audits it as denied', async () => {
    const title = unique('fenced');
    const reason =
      "mutations are switched off in production (mutations: 'disabled'); an administrator sets mutations: " +
      "'enabled' or 'confirm' (MCP_MUTATIONS)";
    for (const dryRun of [false, true]) {
      expectRefused(
        await admin.callTool('create_document', { contentType: 'article', data: { title }, dryRun }),
        reason,
      );
    }
    expect(await documents(app, ARTICLE).findFirst({ filters: { title } })).toBeNull();
    const rows = (await auditRows(app, { tool: 'create_document', decision: 'denied' })).filter(
      (row) => row.arguments?.data?.title === title,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ contentType: ARTICLE, action: 'create', reason });
  });

  it("hides another plugin's write tool altogether", async () => {
    expectRefused(await admin.callTool(EXTENSION_TOOL), /Tool stamp_note not found/);
  });

  it('cannot be switched on by a stored admin-panel row written by other means, and a row removed is forgotten', async () => {
    const store = app.strapi.store({ type: 'plugin', name: 'mcp-server' });
    const errors = vi.spyOn(app.strapi.log, 'error');
    // Written straight into Strapi's plugin store (the database, another plugin): not through the admin routes.
    await store.set({
      key: 'admin-changes',
      value: { changes: { mutations: 'enabled', mutationConfirmation: { ttlSeconds: 3600 }, enabled: true } },
    });
    await settings().loadStoredChanges();
    expect(settings().get().mutations).toBeUndefined();
    expect(settings().get().mutationConfirmation.ttlSeconds).toBe(300);
    expect(errors.mock.calls.map(([message]) => String(message))).toContain(
      '[mcp-server] stored admin-panel settings name keys the admin panel may not change; ignored: mutations, mutationConfirmation',
    );
    expectRefused(
      await admin.callTool('create_document', { contentType: 'article', data: { title: unique('stored') } }),
      /^mutations are switched off in production/,
    );

    // A stored switch-off, then the row removed: the config file's settings apply again, not the last row read.
    await store.set({ key: 'admin-changes', value: { changes: { enabled: false } } });
    await settings().loadStoredChanges();
    expect(settings().get().enabled).toBe(false);
    await store.set({ key: 'admin-changes', value: null });
    await settings().loadStoredChanges();
    expect(settings().get().enabled).toBe(true);
  });
});

describe("mutations: 'enabled'", () => {
  let admin: ConnectedClient;
  beforeAll(async () => {
    settings().update({ mutations: 'enabled' });
    admin = await connectAs('admin@example.com', 'Admin');
  });
  afterAll(async () => {
    await admin?.close();
  });

  it('offers and runs every tool as before, without any token', async () => {
    expect(expectOk(await admin.callTool('whoami')).mutations).toBe('enabled');
    expect(await toolNames(admin)).toEqual([...READ_TOOLS, ...MUTATION_TOOLS, EXTENSION_TOOL].sort());
    const article = await createArticle(app);
    const dry = expectOk(
      await admin.callTool('update_document', { ...articleArgs(article.documentId, 'X'), dryRun: true }),
    );
    expect(dry.confirmation).toBeUndefined();
    expectOk(await admin.callTool('update_document', articleArgs(article.documentId, 'Enabled edit')));
    expect((await stored(article.documentId)).title).toBe('Enabled edit');
    expect(textOf(await admin.callTool(EXTENSION_TOOL))).toBe('stamped');
  });
});

describe("mutations: 'confirm'", () => {
  let admin: ConnectedClient;
  let publisher: ConnectedClient;
  beforeAll(async () => {
    settings().update({ mutations: 'confirm' });
    admin = await connectAs('admin@example.com', 'Admin');
    publisher = await connectAs('publisher@example.com', 'Publisher');
  });
  afterAll(async () => {
    await admin?.close();
    await publisher?.close();
  });

  /** A dry run of the call, and the token its answer hands out. */
  const tokenFor = async (client: ConnectedClient, tool: string, args: Doc): Promise<string> => {
    const answer = expectOk(await client.callTool(tool, { ...args, dryRun: true }));
    expect(answer.dryRun).toBe(true);
    return answer.confirmation.token;
  };

  it('lists the mutation tools, not the write tool it cannot confirm, and whoami says confirm', async () => {
    expect(expectOk(await admin.callTool('whoami')).mutations).toBe('confirm');
    expect(await toolNames(admin)).toEqual([...READ_TOOLS, ...MUTATION_TOOLS].sort());
    expectRefused(await admin.callTool(EXTENSION_TOOL), /Tool stamp_note not found/);
  });

  it('refuses a change without a token, saying how to get one', async () => {
    const article = await createArticle(app);
    expectRefused(
      await admin.callTool('update_document', articleArgs(article.documentId, 'No token')),
      "this server confirms every change (mutations: 'confirm'): run this call with dryRun: true first, check its " +
        'answer, then repeat the call unchanged without dryRun and with confirmationToken set to its confirmation.token',
    );
    expect((await stored(article.documentId)).title).toBe(article.title);
  });

  it('runs the change with the token of its dry run, once; both audit rows name the token', async () => {
    const article = await createArticle(app);
    const args = articleArgs(article.documentId, 'Confirmed edit');
    const before = Date.now();
    const answer = expectOk(await admin.callTool('update_document', { ...args, dryRun: true }));
    expect(answer).toMatchObject({ dryRun: true, diff: { title: { from: article.title, to: 'Confirmed edit' } } });
    const expiresAt = Date.parse(answer.confirmation.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 300_000);
    expect((await stored(article.documentId)).title).toBe(article.title);

    const { token } = answer.confirmation;
    const done = expectOk(await admin.callTool('update_document', { ...args, confirmationToken: token }));
    expect(done.data.title).toBe('Confirmed edit');
    const written = await stored(article.documentId);
    expect(written.title).toBe('Confirmed edit');

    expectRefused(
      await admin.callTool('update_document', { ...args, confirmationToken: token }),
      'confirmationToken was already used: a token confirms one call; run the call with dryRun: true for a new token',
    );
    expect((await stored(article.documentId)).updatedAt).toEqual(written.updatedAt);

    // Mutations write their row with the change, other rows are queued: in the order the calls started.
    const rows = (await auditRows(app, { tool: 'update_document', targetDocumentId: article.documentId })).sort(
      (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt),
    );
    const jti = jtiOf(token);
    expect(rows.map((row) => [row.decision, row.reason])).toEqual([
      ['dry-run', expect.stringMatching(new RegExp(`^confirmation token ${jti} issued, good until `))],
      ['allowed', `confirmed by token ${jti} of a dry run`],
      ['denied', expect.stringMatching(/^confirmationToken was already used/)],
    ]);
    expect(rows[1].arguments.confirmationToken).toBe('[redacted]');
  });

  it('refuses the token of one document on another', async () => {
    const [first, second] = [await createArticle(app), await createArticle(app)];
    const token = await tokenFor(admin, 'update_document', articleArgs(first.documentId, 'Same change'));
    expectRefused(
      await admin.callTool('update_document', {
        ...articleArgs(second.documentId, 'Same change'),
        confirmationToken: token,
      }),
      `confirmationToken was issued for document ${first.documentId}, not document ${second.documentId}; run the ` +
        'call with dryRun: true for a new token',
    );
    expect((await stored(second.documentId)).title).toBe(second.title);
  });

  it('refuses a payload swapped after the dry run', async () => {
    const article = await createArticle(app);
    const token = await tokenFor(admin, 'update_document', articleArgs(article.documentId, 'Harmless'));
    expectRefused(
      await admin.callTool('update_document', {
        ...articleArgs(article.documentId, 'Harmless'),
        data: { title: 'Harmless', locked: true },
        confirmationToken: token,
      }),
      /^confirmationToken was issued for other arguments/,
    );
    expect(await stored(article.documentId)).toMatchObject({ title: article.title, locked: false });
  });

  it("refuses another user's token, and then still accepts it from its owner", async () => {
    const article = await createArticle(app);
    const args = articleArgs(article.documentId, 'Owner only');
    const token = await tokenFor(admin, 'update_document', args);
    expectRefused(
      await publisher.callTool('update_document', { ...args, confirmationToken: token }),
      /^confirmationToken was issued to another caller \(another user, role, tenant or credential\)/,
    );
    expect((await stored(article.documentId)).title).toBe(article.title);
    expectOk(await admin.callTool('update_document', { ...args, confirmationToken: token }));
    expect((await stored(article.documentId)).title).toBe('Owner only');
  });

  it('refuses the token of one tool on another', async () => {
    const article = await createArticle(app);
    const token = await tokenFor(admin, 'update_document', articleArgs(article.documentId, 'Edit'));
    expectRefused(
      await admin.callTool('delete_document', {
        contentType: 'article',
        documentId: article.documentId,
        confirmationToken: token,
      }),
      /^confirmationToken was issued for content-type:update, not content-type:delete/,
    );
    expect(await stored(article.documentId)).not.toBeNull();
  });

  it('refuses forged and altered tokens', async () => {
    const article = await createArticle(app);
    const args = articleArgs(article.documentId, 'Forged');
    const token = await tokenFor(admin, 'update_document', articleArgs(article.documentId, 'Something else'));
    // Its claims changed, its signature kept.
    const [version, claims, signature] = token.split('.');
    const altered = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8'));
    const forged = `${version}.${Buffer.from(JSON.stringify({ ...altered, args: 'x' })).toString('base64url')}.${signature}`;
    expectRefused(
      await admin.callTool('update_document', { ...args, confirmationToken: forged }),
      /^confirmationToken was altered or signed elsewhere/,
    );
    expectRefused(
      await admin.callTool('update_document', { ...args, confirmationToken: 'I-confirm-this-change' }),
      /^confirmationToken is not a confirmation token of this server/,
    );
    // The same signature spelled otherwise (padding): only the spelling the server issued counts.
    const own = await tokenFor(admin, 'update_document', args);
    expectRefused(
      await admin.callTool('update_document', { ...args, confirmationToken: `${own}=` }),
      /^confirmationToken was altered or signed elsewhere/,
    );
    expect((await stored(article.documentId)).title).toBe(article.title);
  });

  it('confirms a create, which has no document yet', async () => {
    const args = { contentType: 'article', data: { title: unique('confirmed create') } };
    const token = await tokenFor(admin, 'create_document', args);
    const created = expectOk(await admin.callTool('create_document', { ...args, confirmationToken: token }));
    expect(await stored(created.data.documentId)).toMatchObject({ title: args.data.title });
  });

  it('confirms an upload, which names no content type', async () => {
    const args = { filename: 'confirmed.png', base64: PNG_BASE64 };
    const token = await tokenFor(admin, 'upload_media', args);
    expectRefused(
      await admin.callTool('upload_media', { ...args, filename: 'other.png', confirmationToken: token }),
      /^confirmationToken was issued for other arguments/,
    );
    const uploaded = expectOk(await admin.callTool('upload_media', { ...args, confirmationToken: token }));
    expect(await app.strapi.db.query(FILE).findOne({ where: { id: uploaded.data.id } })).toMatchObject({
      name: 'confirmed.png',
    });
  });

  it('refuses an expired token', async () => {
    settings().update({ mutationConfirmation: { ttlSeconds: 1 } });
    try {
      const article = await createArticle(app);
      const args = articleArgs(article.documentId, 'Too late');
      const token = await tokenFor(admin, 'update_document', args);
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expectRefused(
        await admin.callTool('update_document', { ...args, confirmationToken: token }),
        /^confirmationToken expired at \S+; run the call with dryRun: true for a new token$/,
      );
      expect((await stored(article.documentId)).title).toBe(article.title);
    } finally {
      settings().update({ mutationConfirmation: { ttlSeconds: 300 } });
    }
  });

  it('refuses a confirmed call while the Redis that holds spent tokens does not answer, spending nothing', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const article = await createArticle(app);
    const args = articleArgs(article.documentId, 'While Redis is down');
    const token = await tokenFor(admin, 'update_document', args);
    settings().update({ redis: { url: `redis://127.0.0.1:${port}` } });
    try {
      expectRefused(
        await admin.callTool('update_document', { ...args, confirmationToken: token }),
        'cannot check the confirmation token now (Redis, where spent tokens are kept, does not answer); nothing ' +
          'was changed, retry shortly with the same token',
      );
      expect((await stored(article.documentId)).title).toBe(article.title);
    } finally {
      settings().update({ redis: { url: undefined } });
    }
    // Not spent: the same token works once the store answers again.
    expectOk(await admin.callTool('update_document', { ...args, confirmationToken: token }));
  });

  describe.runIf(redisUp)('with Redis as the store of spent tokens', () => {
    const keyPrefix = `mcp-test:${randomUUID()}`;
    let redis: Redis;
    beforeAll(async () => {
      redis = new Redis(REDIS_URL);
      settings().update({ redis: { url: REDIS_URL, keyPrefix } });
      const client = app.strapi.plugin('mcp-server').service('rate-limits').redisClient();
      const deadline = Date.now() + 5000;
      while (client.status !== 'ready' && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
    });
    afterAll(async () => {
      settings().update({ redis: { url: undefined } });
      if (redis) {
        const keys = await redis.keys(`${keyPrefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
        redis.disconnect();
      }
    });

    it('spends the token in Redis until it expires, and refuses it presented again', async () => {
      const article = await createArticle(app);
      const args = articleArgs(article.documentId, 'Spent in Redis');
      const token = await tokenFor(admin, 'update_document', args);
      expectOk(await admin.callTool('update_document', { ...args, confirmationToken: token }));
      const ttl = await redis.pttl(`${keyPrefix}:confirm:${jtiOf(token)}`);
      expect(ttl).toBeGreaterThan(290_000);
      expect(ttl).toBeLessThanOrEqual(300_000);
      expectRefused(
        await admin.callTool('update_document', { ...args, confirmationToken: token }),
        /^confirmationToken was already used/,
      );
    });

    it('refuses a token another replica spent (its key set in the shared Redis)', async () => {
      const article = await createArticle(app);
      const args = articleArgs(article.documentId, 'Spent elsewhere');
      const token = await tokenFor(admin, 'update_document', args);
      await redis.set(`${keyPrefix}:confirm:${jtiOf(token)}`, '1', 'PX', 60_000);
      expectRefused(
        await admin.callTool('update_document', { ...args, confirmationToken: token }),
        /^confirmationToken was already used/,
      );
      expect((await stored(article.documentId)).title).toBe(article.title);
    });
  });
});

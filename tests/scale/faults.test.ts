/**
 * Faults under Strapi, with servers of the test's own (the machine's PostgreSQL and Redis are never touched):
 * - PostgreSQL stopped in the middle of a write load and started again: calls fail with a clear error meanwhile (no
 *   stack, no SQL), the health route says 503, no write is left without its audit row nor an audit row without its
 *   write, and the replica serves again without a restart.
 * - Redis stopped under two replicas, one failing open and one failing closed: the first serves and its health says
 *   `degraded`, the second refuses with 503 and its health says so; both recover when Redis is back, and the change
 *   broadcast works again (a permission removed through one is refused by the other at once).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/test-app';
import { startPrivatePostgres, type PrivatePostgres } from './helpers/private-postgres';
import { startPrivateRedis, type PrivateRedis } from './helpers/private-redis';
import { startReplicas, type ReplicaSet } from './helpers/replicas';
import { removeRolePermission, setMcpAccess } from './helpers/strapi-admin';
import { callTool, refusalOf, resultOf } from './helpers/tool-calls';

const ARTICLE = 'api::article.article';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const health = async (app: TestApp) => {
  const response = await fetch(`${app.baseUrl}/api/mcp-server/health`);
  return { status: response.status, body: await response.json() };
};

describe('PostgreSQL restarted under a write load', () => {
  let postgres: PrivatePostgres;
  let cluster: ReplicaSet;
  let app: TestApp;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    cluster = await startReplicas({
      count: 1,
      postgres,
      // A request waits at most 3 s for a connection while the database is away, instead of a minute.
      env: { DATABASE_CONNECTION_TIMEOUT: '3000', DATABASE_POOL_MIN: '0' },
    });
    [app] = cluster.apps;
  });
  afterAll(async () => {
    await cluster?.close();
    postgres?.close();
  });

  it('fails clearly during the outage, writes nothing partial, and recovers without a restart', async () => {
    const tokens = await Promise.all(
      ['author1@example.com', 'author2@example.com'].map((email) =>
        cluster.idp.tokenFor(email, 'Author', 'org-1', { expiresIn: '30m' }),
      ),
    );
    const outcomes: Array<{ ok: boolean; title: string; documentId?: string; error?: string }> = [];
    let running = true;
    let sequence = 0;
    const writer = async (token: string) => {
      while (running) {
        const title = `Fault load ${(sequence += 1)}`;
        const response = await callTool(app, token, 'create_document', { contentType: ARTICLE, data: { title } }).catch(
          (error: Error) => ({ status: 0, text: error.message, json: undefined, headers: new Headers() }),
        );
        const result = response.json?.result;
        if (response.status === 200 && result && !result.isError) {
          outcomes.push({ ok: true, title, documentId: result.structuredContent.data.documentId });
        } else {
          outcomes.push({ ok: false, title, error: `${response.status} ${refusalOf(response)}` });
          await sleep(100);
        }
      }
    };
    const writers = [...tokens, ...tokens].map(writer);

    await sleep(3000);
    postgres.stop();
    await sleep(1500);
    const down = await health(app);
    await sleep(2500);
    postgres.start();

    // Recovery: within 20 s of the restart, a write succeeds again; then the load runs on for a while.
    const restartedAt = outcomes.length;
    const deadline = Date.now() + 20_000;
    while (!outcomes.slice(restartedAt).some((outcome) => outcome.ok) && Date.now() < deadline) await sleep(200);
    await sleep(3000);
    running = false;
    await Promise.all(writers);

    expect(down).toEqual({ status: 503, body: { status: 'unavailable' } });
    expect((await health(app)).status).toBe(200);
    const failures = outcomes.filter((outcome) => !outcome.ok);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.error).toMatch(
        /^200 The tool create_document could not reach the database \(it is unavailable or restarting\); nothing was changed unless a later read shows it\. Retry shortly \(reference [0-9a-f]{8}\)\.$/,
      );
    }
    expect(outcomes.slice(-5).every((outcome) => outcome.ok)).toBe(true);

    // Every failed call is on the record too: its row waited in the queue for the database to come back.
    const errorRows = async () =>
      Number(
        (
          await cluster.sql(
            "SELECT COUNT(*) AS n FROM mcp_audit_logs WHERE tool = 'create_document' AND decision = 'error'",
          )
        )[0].n,
      );
    const flushedBy = Date.now() + 10_000;
    while ((await errorRows()) < failures.length && Date.now() < flushedBy) await sleep(250);
    expect(await errorRows()).toBe(failures.length);

    // Every article of the load has exactly one allowed audit row, and every allowed row its article.
    const articles = await cluster.sql("SELECT DISTINCT document_id FROM articles WHERE title LIKE 'Fault load %'");
    const rows = await cluster.sql(
      "SELECT target_document_id, COUNT(*) AS n FROM mcp_audit_logs WHERE tool = 'create_document' AND decision = 'allowed' GROUP BY target_document_id",
    );
    const audited = new Map(rows.map((row) => [row.target_document_id, Number(row.n)]));
    expect([...audited.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(audited.keys())).toEqual(new Set(articles.map((row) => row.document_id)));
    // Every write the client was told succeeded is there.
    const stored = new Set(articles.map((row) => row.document_id));
    for (const outcome of outcomes.filter((candidate) => candidate.ok))
      expect(stored.has(outcome.documentId)).toBe(true);
  });
});

describe('Redis stopped under two replicas', () => {
  let redis: PrivateRedis;
  let cluster: ReplicaSet;
  let failOpen: TestApp;
  let failClosed: TestApp;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    cluster = await startReplicas({
      count: 2,
      env: { MCP_REDIS_URL: redis.url, MCP_SESSIONS_MODE: 'stateless', MCP_RATE_LIMIT_PER_MINUTE: '1000' },
      replicaEnv: [{ MCP_REDIS_WHEN_UNAVAILABLE: 'fail-open' }, { MCP_REDIS_WHEN_UNAVAILABLE: 'fail-closed' }],
    });
    [failOpen, failClosed] = cluster.apps;
  });
  afterAll(async () => {
    await cluster?.close();
    await redis?.close();
  });

  it('limits fail open or closed as configured, health says so, and both recover with Redis', async () => {
    const token = await cluster.idp.tokenFor('author1@example.com', 'Author', 'org-1', { expiresIn: '30m' });
    for (const app of [failOpen, failClosed]) {
      resultOf(await callTool(app, token, 'whoami'));
      expect(await health(app)).toEqual({ status: 200, body: { status: 'ok' } });
    }

    await redis.stop();
    await sleep(500);
    resultOf(await callTool(failOpen, token, 'whoami'));
    expect(await health(failOpen)).toEqual({ status: 200, body: { status: 'degraded' } });
    const refused = await callTool(failClosed, token, 'whoami');
    expect(refused.status).toBe(503);
    expect(refused.json.error.data.type).toBe('rate-limit-store');
    expect(await health(failClosed)).toEqual({ status: 503, body: { status: 'unavailable' } });

    await redis.start();
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const [open, closed] = await Promise.all([health(failOpen), health(failClosed)]);
      if (open.body.status === 'ok' && closed.body.status === 'ok') break;
      await sleep(250);
    }
    for (const app of [failOpen, failClosed]) {
      expect(await health(app)).toEqual({ status: 200, body: { status: 'ok' } });
      resultOf(await callTool(app, token, 'whoami'));
    }
  });

  it('broadcasts changes again once Redis is back', async () => {
    const reader = await cluster.idp.tokenFor('reader@example.com', 'Reader', 'org-1', { expiresIn: '30m' });
    resultOf(await callTool(failClosed, reader, 'find_documents', { contentType: ARTICLE, pageSize: 1 }));
    await removeRolePermission(failOpen, 'mcp-reader', 'plugin::content-manager.explorer.read', ARTICLE);
    const refused = await callTool(failClosed, reader, 'find_documents', { contentType: ARTICLE, pageSize: 1 });
    expect(refusalOf(refused)).toMatch(/your Strapi admin role does not grant/);
  });

  it('lets a replica that booted while Redis was down join the broadcast when Redis comes back', async () => {
    await redis.stop();
    const late = await cluster.addReplica({ MCP_REDIS_WHEN_UNAVAILABLE: 'fail-open' });
    expect(await health(late)).toEqual({ status: 200, body: { status: 'degraded' } });
    await redis.start();
    const deadline = Date.now() + 15_000;
    for (const app of [late, failOpen, failClosed]) {
      while ((await health(app)).body.status !== 'ok' && Date.now() < deadline) await sleep(250);
      expect(await health(app)).toEqual({ status: 200, body: { status: 'ok' } });
    }

    const author = await cluster.idp.tokenFor('author2@example.com', 'Author', 'org-1', { expiresIn: '30m' });
    resultOf(await callTool(late, author, 'whoami'));
    await setMcpAccess(failOpen, 'author2@example.com', false);
    const refused = await callTool(late, author, 'whoami');
    expect(refused.status).toBe(403);
    expect(refused.json.error.data.type).toBe('access');
  });
});

/**
 * Two replicas of the playground on one PostgreSQL database and one Redis, behind a round-robin proxy that sends
 * consecutive requests to alternate replicas (no stickiness), in `sessions.mode: 'stateless'`: calls of both revisions
 * succeed on both; a write through one is read through the other; a per-user limit of 60 calls a minute holds across
 * both (not 120); a permission removed through one replica's admin API is refused by the other at its next call, its
 * cache notwithstanding; every call is one audit row. Then two replicas in `memory` mode: a session lives on the
 * replica that opened it (a load balancer must route by Mcp-Session-Id), and a user's sessions on every replica count
 * against `sessions.maxPerUser`. Needs PostgreSQL and Redis (.ci/run starts both).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectLegacyClient,
  connectModernClient,
  credentials,
  openRawSession,
  rawRequest,
} from '../helpers/mcp-client';
import { adminApi, adminLogin } from '../helpers/admin-panel';
import { deleteRedisKeys } from '../helpers/redis-probe';
import type { TestApp } from '../helpers/test-app';
import { startHaproxy } from './helpers/haproxy';
import { startReplicas, type ReplicaSet } from './helpers/replicas';
import { removeRolePermission, setMcpAccess } from './helpers/strapi-admin';
import { callTool, refusalOf, resultOf } from './helpers/tool-calls';

const ARTICLE = 'api::article.article';
const REDIS_URL = process.env.MCP_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `mcp-scale:${randomUUID()}`;

let cluster: ReplicaSet;
let first: TestApp;
let second: TestApp;

describe('two replicas behind a round-robin load balancer', () => {
  beforeAll(async () => {
    cluster = await startReplicas({
      count: 2,
      env: {
        MCP_REDIS_URL: REDIS_URL,
        MCP_REDIS_KEY_PREFIX: keyPrefix,
        MCP_REDIS_WHEN_UNAVAILABLE: 'fail-closed',
        MCP_SESSIONS_MODE: 'stateless',
        MCP_RATE_LIMIT_PER_MINUTE: '60',
      },
    });
    [first, second] = cluster.apps;
  });
  afterAll(async () => {
    await cluster?.close();
    await deleteRedisKeys(keyPrefix, REDIS_URL);
  });

  const token = (email: string, role: string, tenant = 'org-1') => cluster.idp.tokenFor(email, role, tenant);

  /** Audit rows of one user's calls of one tool, once the replicas' queues have flushed (they flush within a second). */
  const auditedCalls = async (email: string, tool: string, expected: number) => {
    const count = async () =>
      Number(
        (
          await cluster.sql('SELECT COUNT(*) AS n FROM mcp_audit_logs WHERE admin_user_email = $1 AND tool = $2', [
            email,
            tool,
          ])
        )[0].n,
      );
    const deadline = Date.now() + 10_000;
    while ((await count()) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    // Rows written late would be duplicates: wait a flush more, then count for good.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return count();
  };

  it('serves stateless calls of both revisions on both replicas', async () => {
    const before = [...cluster.proxy.served];
    const modern = await connectModernClient(cluster.balanced, await token('author1@example.com', 'Author'));
    for (let call = 0; call < 4; call += 1) {
      const whoami = await modern.callTool('whoami');
      expect(whoami.structuredContent).toMatchObject({ user: { email: 'author1@example.com' } });
    }
    await modern.close();

    // A 2025-11-25 client: initialize, initialized, list and calls land on alternate replicas.
    const legacy = await connectLegacyClient(cluster.balanced, await token('author1@example.com', 'Author'));
    expect(legacy.sessionId).toBeUndefined();
    expect((await legacy.client.listTools()).tools.map((tool) => tool.name)).toContain('find_documents');
    for (let call = 0; call < 3; call += 1) {
      const found = await legacy.callTool('find_documents', { contentType: ARTICLE, pageSize: 2 });
      expect(found.isError).toBeFalsy();
    }
    await legacy.close();
    const served = cluster.proxy.served.map((count, index) => count - before[index]);
    expect(Math.min(...served)).toBeGreaterThanOrEqual(4);
  });

  it('serves both revisions behind HAProxy with the configuration docker-compose.yml ships', async () => {
    const haproxy = await startHaproxy(cluster.apps.map((app) => app.baseUrl));
    try {
      const balanced = { ...cluster.balanced, baseUrl: haproxy.url, mcpUrl: `${haproxy.url}/api/mcp-server/mcp` };
      const modern = await connectModernClient(balanced, await token('author1@example.com', 'Author'));
      for (let call = 0; call < 4; call += 1) expect((await modern.callTool('whoami')).isError).toBeFalsy();
      await modern.close();
      const legacy = await connectLegacyClient(balanced, await token('author1@example.com', 'Author'));
      for (let call = 0; call < 4; call += 1) {
        expect((await legacy.callTool('find_documents', { contentType: ARTICLE, pageSize: 2 })).isError).toBeFalsy();
      }
      await legacy.close();
    } finally {
      await haproxy.close();
    }
  });

  it('reads on one replica what was written on the other, and pages on with a cursor issued by the other', async () => {
    const author = await token('author1@example.com', 'Author');
    const title = `Written on the first replica ${randomUUID()}`;
    const created = resultOf(
      await callTool(first, author, 'create_document', { contentType: ARTICLE, data: { title } }),
    );
    const read = resultOf(
      await callTool(second, author, 'get_document', { contentType: ARTICLE, documentId: created.data.documentId }),
    );
    expect(read.data.title).toBe(title);

    const page = resultOf(await callTool(first, author, 'find_documents', { contentType: ARTICLE, pageSize: 1 }));
    const cursor = page.meta.pagination.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    const next = resultOf(
      await callTool(second, author, 'find_documents', { contentType: ARTICLE, pageSize: 1, cursor }),
    );
    expect(next.data[0].documentId).not.toBe(page.data[0].documentId);
  });

  it('holds a per-user limit of 60 calls a minute across both replicas, not 60 each', async () => {
    const reader = await token('reader@example.com', 'Reader');
    const statuses: number[] = [];
    for (let call = 0; call < 62; call += 1) {
      statuses.push((await callTool(cluster.balanced, reader, 'whoami')).status);
    }
    expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(60)).toEqual([429, 429]);
    // Both replicas refuse, whichever one the call lands on.
    expect((await callTool(first, reader, 'whoami')).status).toBe(429);
    expect((await callTool(second, reader, 'whoami')).status).toBe(429);
    // Exactly one audit row per call that ran: 60, whichever replica served it.
    expect(await auditedCalls('reader@example.com', 'whoami', 60)).toBe(60);
  });

  it('refuses on one replica, at the next call, a permission removed through the other', async () => {
    const author = await token('author2@example.com', 'Author');
    // The second replica has the author's ability cached from this call.
    resultOf(await callTool(second, author, 'find_documents', { contentType: ARTICLE, pageSize: 1 }));
    resultOf(await callTool(second, author, 'find_documents', { contentType: ARTICLE, pageSize: 1 }));

    // Through the first replica's admin API, as the admin panel does it: the Author role loses reading articles.
    await removeRolePermission(first, 'mcp-author', 'plugin::content-manager.explorer.read', ARTICLE);

    const refused = await callTool(second, author, 'find_documents', { contentType: ARTICLE, pageSize: 1 });
    expect(refusalOf(refused)).toMatch(/your Strapi admin role does not grant/);
  });

  it("refuses on one replica, at once, a user whose MCP access was switched off in the other's admin panel", async () => {
    const publisher = await token('publisher@example.com', 'Publisher');
    resultOf(await callTool(second, publisher, 'whoami'));
    await setMcpAccess(first, 'publisher@example.com', false);
    const refused = await callTool(second, publisher, 'whoami');
    expect(refused.status).toBe(403);
    expect(refused.json.error.data.type).toBe('access');
    await setMcpAccess(first, 'publisher@example.com', true);
    resultOf(await callTool(second, publisher, 'whoami'));
  });
});

describe("two replicas in sessions.mode 'memory' (sticky routing needed)", () => {
  let sticky: ReplicaSet;
  let one: TestApp;
  let other: TestApp;
  const stickyPrefix = `mcp-scale:${randomUUID()}`;

  beforeAll(async () => {
    sticky = await startReplicas({
      count: 2,
      env: { MCP_REDIS_URL: REDIS_URL, MCP_REDIS_KEY_PREFIX: stickyPrefix, MCP_SESSIONS_MAX_PER_USER: '2' },
    });
    [one, other] = sticky.apps;
  });
  afterAll(async () => {
    await sticky?.close();
    await deleteRedisKeys(stickyPrefix, REDIS_URL);
  });

  const headersFor = async (app: TestApp, email: string) =>
    credentials(app, await sticky.idp.tokenFor(email, 'Author', 'org-1'));

  it('does not know on one replica a session opened on the other', async () => {
    const opened = await openRawSession(one, await headersFor(one, 'author1@example.com'));
    expect(opened.sessionId).not.toBe('');
    const elsewhere = await rawRequest(other, {
      headers: { ...(await headersFor(other, 'author1@example.com')), 'mcp-session-id': opened.sessionId },
      body: { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
    });
    expect(elsewhere.status).toBe(404);
    await rawRequest(one, {
      method: 'DELETE',
      headers: { ...(await headersFor(one, 'author1@example.com')), 'mcp-session-id': opened.sessionId },
    });
  });

  it('counts a user’s sessions on every replica against sessions.maxPerUser (Redis)', async () => {
    const email = 'author2@example.com';
    const first = await openRawSession(one, await headersFor(one, email));
    const second = await openRawSession(one, await headersFor(one, email));
    expect([first.status, second.status]).toEqual([200, 200]);

    const refused = await openRawSession(other, await headersFor(other, email));
    expect(refused.status).toBe(429);
    expect(refused.json.error.data.reason).toMatch(/sessions of this user are busy or held by other instances/);

    await rawRequest(one, {
      method: 'DELETE',
      headers: { ...(await headersFor(one, email)), 'mcp-session-id': first.sessionId },
    });
    const opened = await openRawSession(other, await headersFor(other, email));
    expect(opened.status).toBe(200);
    expect(opened.sessionId).not.toBe('');
  });

  it("ends, from one replica's admin panel, a session the other holds, and says so", async () => {
    const email = 'reader@example.com';
    const held = await openRawSession(other, await headersFor(other, email));
    const api = adminApi(one, await adminLogin(one, 'admin@example.com'));
    const ended = await api.del(`/sessions/${held.sessionId}`);
    expect([ended.status, ended.json.data]).toEqual([200, { ended: 1 }]);
    const gone = await rawRequest(other, {
      headers: { ...(await headersFor(other, email)), 'mcp-session-id': held.sessionId },
      body: { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} },
    });
    expect(gone.status).toBe(404);
    expect((await api.del(`/sessions/${held.sessionId}`)).status).toBe(404);
  });
});

describe('two replicas without Redis', () => {
  let apart: ReplicaSet;

  beforeAll(async () => {
    apart = await startReplicas({ count: 2, env: { MCP_ACCESS_CACHE_MAX_AGE_MS: '1000' } });
  });
  afterAll(async () => {
    await apart?.close();
  });

  it("applies one replica's admin panel changes on the other within accessCache.maxAgeMs", async () => {
    const [one, other] = apart.apps;
    const author = await apart.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    resultOf(await callTool(other, author, 'whoami'));
    await setMcpAccess(one, 'author1@example.com', false);
    const switchedAt = Date.now();
    let refused = await callTool(other, author, 'whoami');
    while (refused.status === 200 && Date.now() - switchedAt < 5000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      refused = await callTool(other, author, 'whoami');
    }
    expect(refused.status).toBe(403);
    expect(refused.json.error.data.type).toBe('access');
    // Reread on a timer of accessCache.maxAgeMs (1 s here), not at once: nothing told the other replica.
    expect(Date.now() - switchedAt).toBeLessThan(3000);
  });
});

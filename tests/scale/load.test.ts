/**
 * Sixteen clients for a minute against one replica on PostgreSQL: half 2026-07-28 clients, half 2025-11-25 clients on
 * sessions, each looping over lists, reads, counts, whoami and, for authors, updates of their own draft. Not one
 * call may fail, and the replica's heap after the minute (full collection, at rest) may not exceed the heap before it
 * (after a warm-up, at rest) by more than 10 %. `MCP_LOAD_SECONDS` shortens the minute for a local run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectLegacyClient, connectModernClient, type ConnectedClient } from '../helpers/mcp-client';
import { startReplicas, type ReplicaSet } from './helpers/replicas';

const ARTICLE = 'api::article.article';
const CLIENTS = 16;
const LOAD_MS = Number(process.env.MCP_LOAD_SECONDS ?? 60) * 1000;
const WARM_UP_MS = 15_000;

const USERS = [
  { email: 'author1@example.com', role: 'Author', writes: true },
  { email: 'author2@example.com', role: 'Author', writes: true },
  { email: 'reader@example.com', role: 'Reader', writes: false },
  { email: 'publisher@example.com', role: 'Publisher', writes: false },
];

interface LoadClient {
  client: ConnectedClient;
  writes: boolean;
  draft?: string;
  /** Documents of its tenant it reads by id. */
  known: string[];
  calls: number;
  errors: string[];
}

let cluster: ReplicaSet;
let clients: LoadClient[];

beforeAll(async () => {
  cluster = await startReplicas({ count: 1, execArgv: ['--expose-gc'] });
  const [app] = cluster.apps;
  clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, index) => {
      // Four clients per user and at most six per tenant: within the default concurrency limits of each.
      const user = USERS[index % USERS.length];
      const tenant = `org-${(index % 3) + 1}`;
      const token = await cluster.idp.tokenFor(user.email, user.role, tenant, { expiresIn: '30m' });
      const client = index % 2 === 0 ? await connectModernClient(app, token) : await connectLegacyClient(app, token);
      return { client, writes: user.writes, known: [], calls: 0, errors: [] };
    }),
  );
  for (const [index, load] of clients.entries()) {
    const listed = await load.client.callTool('find_documents', { contentType: ARTICLE, pageSize: 20 });
    load.known = (listed.structuredContent as { data: Array<{ documentId: string }> }).data.map(
      (doc) => doc.documentId,
    );
    if (!load.writes) continue;
    const created = await load.client.callTool('create_document', {
      contentType: ARTICLE,
      data: { title: `Load draft ${index}` },
    });
    load.draft = (created.structuredContent as { data: { documentId: string } }).data.documentId;
    load.known.push(load.draft);
  }
});
afterAll(async () => {
  await Promise.all((clients ?? []).map((load) => load.client.close().catch(() => undefined)));
  await cluster?.close();
});

/** One call of the mix, chosen by the client's call count. */
const nextCall = (load: LoadClient): [string, Record<string, unknown>] => {
  const step = load.calls % 10;
  if (load.writes && step === 9) {
    return ['update_document', { contentType: ARTICLE, documentId: load.draft, data: { title: `Load ${load.calls}` } }];
  }
  if (step % 4 === 0) return ['find_documents', { contentType: ARTICLE, pageSize: 5, sort: ['title:asc'] }];
  if (step % 4 === 1 && load.known.length > 0) {
    return ['get_document', { contentType: ARTICLE, documentId: load.known[load.calls % load.known.length] }];
  }
  if (step % 4 === 2) return ['count_documents', { contentType: ARTICLE }];
  return ['whoami', {}];
};

const runFor = async (ms: number) => {
  const until = Date.now() + ms;
  await Promise.all(
    clients.map(async (load) => {
      while (Date.now() < until) {
        const [name, args] = nextCall(load);
        load.calls += 1;
        try {
          const result = await load.client.callTool(name, args);
          if (result.isError) load.errors.push(`${name}: ${JSON.stringify(result.content).slice(0, 300)}`);
        } catch (error) {
          load.errors.push(`${name}: ${(error as Error).message.slice(0, 300)}`);
        }
      }
    }),
  );
};

describe('16 clients for a minute on PostgreSQL', () => {
  it('answers every call, and the heap stays flat', async () => {
    const [replica] = cluster.replicas;
    await runFor(WARM_UP_MS);
    const heapBefore = await replica.heapUsed();
    const callsBefore = clients.reduce((sum, load) => sum + load.calls, 0);

    const started = Date.now();
    await runFor(LOAD_MS);
    const seconds = (Date.now() - started) / 1000;
    const heapAfter = await replica.heapUsed();

    const calls = clients.reduce((sum, load) => sum + load.calls, 0) - callsBefore;
    const errors = clients.flatMap((load) => load.errors);
    console.info(
      `[load] ${calls} calls in ${seconds.toFixed(1)} s (${(calls / seconds).toFixed(0)}/s) by ${CLIENTS} clients; ` +
        `heap ${(heapBefore / 1e6).toFixed(1)} MB before, ${(heapAfter / 1e6).toFixed(1)} MB after; ${errors.length} errors`,
    );
    expect(errors).toEqual([]);
    expect(calls).toBeGreaterThan(CLIENTS * 10);
    expect(heapAfter).toBeLessThanOrEqual(heapBefore * 1.1);
  });
});

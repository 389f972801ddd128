/**
 * The load generator: a separate process (forked by the bench, commands over IPC) that drives the contenders over
 * loopback HTTP, so the client's work is not counted in the server's CPU. Every call's result is checked: an error
 * ends the run rather than flatter a contender.
 */
import { performance } from 'node:perf_hooks';
import {
  closeIdleSession,
  connectLegacy,
  connectModern,
  createCountingFetch,
  openIdleSession,
} from './mcp-clients.mjs';

/** Sequential phases make at least this many calls, however slow the contender. */
const MIN_SEQUENTIAL_CALLS = 3;
/** Idle sessions are opened this many at a time. */
const OPEN_PARALLEL = 8;

const contenders = new Map();
const pools = new Map();
let idleSessions = [];

const connect = (contender, customFetch) =>
  contender.client === 'mcp-2025'
    ? connectLegacy(contender.url, contender.headers, customFetch)
    : connectModern(contender.url, contender.headers, customFetch);

/** One call through one client; resolves to the response's size in bytes when it is known (plain HTTP). */
const callWith = async (contender, client) => {
  if (contender.client === 'http') {
    const response = await fetch(contender.url, { headers: contender.headers });
    const body = await response.arrayBuffer();
    if (!response.ok) {
      throw new Error(`${contender.id}: HTTP ${response.status} ${Buffer.from(body).toString('utf8').slice(0, 300)}`);
    }
    return body;
  }
  const result = await client.callTool({ name: contender.tool, arguments: contender.args });
  if (result.isError) throw new Error(`${contender.id}: ${JSON.stringify(result.content).slice(0, 500)}`);
  return result;
};

/** The documents a list call returned, wherever the contender puts them: the first array of objects with a documentId. */
const findListed = (value) => {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((item) => typeof item?.documentId === 'string')) return value;
    for (const item of value) {
      const found = findListed(item);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) {
      const found = findListed(item);
      if (found) return found;
    }
  }
  return null;
};

/** The documentIds of a list call's answer (a fairness check: do the contenders list the same rows?). */
const listedIds = (contender, result) => {
  const parsed =
    contender.client === 'http'
      ? JSON.parse(Buffer.from(result).toString('utf8'))
      : (result.structuredContent ??
        JSON.parse(result.content?.find((block) => block.type === 'text')?.text ?? 'null'));
  return findListed(parsed)?.map((document) => document.documentId) ?? [];
};

const poolFor = (contender) => pools.get(contender.pool ?? contender.id) ?? [];

const ops = {
  /** Registers the contenders, opens their clients (`concurrency` per pool) and measures one response of each. */
  async prepare({ contenders: list, concurrency }) {
    const probes = {};
    for (const contender of list) {
      contenders.set(contender.id, contender);
      const key = contender.pool ?? contender.id;
      if (contender.client !== 'http' && !pools.has(key)) {
        pools.set(key, await Promise.all(Array.from({ length: concurrency }, () => connect(contender))));
      }
      const counting = createCountingFetch();
      const probeClient = contender.client === 'http' ? undefined : await connect(contender, counting.fetch);
      const result = await callWith(contender, probeClient);
      probes[contender.id] = {
        bytes: contender.client === 'http' ? result.byteLength : counting.counter.lastBytes,
        listed: contender.lists ? listedIds(contender, result) : undefined,
      };
      await probeClient?.close();
    }
    return probes;
  },

  /** One client, one call after the other, for `ms` (at least MIN_SEQUENTIAL_CALLS calls): the latencies. */
  async sequential({ id, ms }) {
    const contender = contenders.get(id);
    const [client] = poolFor(contender);
    const latencies = [];
    const deadline = performance.now() + ms;
    while (latencies.length < MIN_SEQUENTIAL_CALLS || performance.now() < deadline) {
      const started = performance.now();
      await callWith(contender, client);
      latencies.push(performance.now() - started);
    }
    return { latencies };
  },

  /** Every client of the pool calling in a loop until `ms` has passed; calls in flight then finish and count. */
  async concurrent({ id, ms, concurrency }) {
    const contender = contenders.get(id);
    const clients = contender.client === 'http' ? Array.from({ length: concurrency }) : poolFor(contender);
    let calls = 0;
    const started = performance.now();
    const deadline = started + ms;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          await callWith(contender, client);
          calls += 1;
        }
      }),
    );
    return { calls, elapsedMs: performance.now() - started };
  },

  async openIdle({ url, headers, count }) {
    idleSessions = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: OPEN_PARALLEL }, async () => {
        while (next < count) {
          next += 1;
          idleSessions.push({ url, headers, id: await openIdleSession(url, headers) });
        }
      }),
    );
    return { opened: idleSessions.length };
  },

  async closeIdle() {
    const closing = idleSessions;
    idleSessions = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: OPEN_PARALLEL }, async () => {
        while (next < closing.length) {
          const session = closing[next];
          next += 1;
          await closeIdleSession(session.url, session.headers, session.id);
        }
      }),
    );
    return { closed: closing.length };
  },

  async shutdown() {
    const clients = [...pools.values()].flat();
    pools.clear();
    await Promise.allSettled(clients.map((client) => client.close()));
    return {};
  },
};

process.on('message', async ({ id, op, params }) => {
  try {
    process.send({ id, ok: true, result: await ops[op](params ?? {}) });
  } catch (error) {
    process.send({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
// The bench is gone (it ended or crashed): so is the load.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the bench closes this process's sessions first, then disconnects.
process.on('SIGINT', () => {});

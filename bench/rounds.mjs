/**
 * Interleaved rounds: in each round every contender gets a sequential phase (one client, latencies) and a
 * concurrent phase (N clients, calls/s, and the server process's CPU over the phase), in an order rotated each round,
 * so drift (JIT, caches, the neighbours on a shared machine) hits every contender alike. A warm-up round comes first
 * and is not counted. The in-process contender runs here, in the Strapi process, without HTTP.
 */
import { performance } from 'node:perf_hooks';
import { IN_PROCESS } from './contenders.mjs';
import { findFloorArticles } from './floor-query.mjs';
import { round2, summarize } from './stats.mjs';

const MIN_SEQUENTIAL_CALLS = 3;

const cpuMicros = (usage) => usage.user + usage.system;

const rotate = (list, by) => list.map((_, index) => list[(index + by) % list.length]);

const inProcessSequential = async (strapi, ms) => {
  const latencies = [];
  const deadline = performance.now() + ms;
  while (latencies.length < MIN_SEQUENTIAL_CALLS || performance.now() < deadline) {
    const started = performance.now();
    await findFloorArticles(strapi);
    latencies.push(performance.now() - started);
  }
  return { latencies };
};

const inProcessConcurrent = async (strapi, ms, concurrency) => {
  let calls = 0;
  const started = performance.now();
  const deadline = started + ms;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await findFloorArticles(strapi);
        calls += 1;
      }
    }),
  );
  return { calls, elapsedMs: performance.now() - started };
};

/**
 * @param {{ strapi, link, ids: string[], settings, onProgress?: (text: string) => void, sequentialOnly?: boolean,
 *   beforeContender?: (id: string) => void }} options
 *   ids: contender ids (IN_PROCESS for the in-process call); the link's contenders must be prepared. `beforeContender`
 *   runs before each contender's phases (the stateless contenders switch the plugin's sessions mode there).
 * @returns {Promise<Record<string, { latency, callsPerSecond, cpuPerCallMs, concurrentCalls }>>}
 */
export const runRounds = async ({
  strapi,
  link,
  ids,
  settings,
  onProgress = () => {},
  sequentialOnly = false,
  beforeContender = () => {},
}) => {
  const { rounds, concurrency } = settings;
  const totals = Object.fromEntries(ids.map((id) => [id, { latencies: [], calls: 0, elapsedMs: 0, cpuMicros: 0 }]));

  const sequential = (id, ms) =>
    id === IN_PROCESS ? inProcessSequential(strapi, ms) : link.call('sequential', { id, ms });
  const concurrent = async (id, ms) => {
    const before = process.cpuUsage();
    const result =
      id === IN_PROCESS
        ? await inProcessConcurrent(strapi, ms, concurrency)
        : await link.call('concurrent', { id, ms, concurrency });
    return { ...result, cpuMicros: cpuMicros(process.cpuUsage(before)) };
  };

  const runRound = async (round, { sequentialMs, concurrentMs, counted }) => {
    for (const id of rotate(ids, round)) {
      beforeContender(id);
      const { latencies } = await sequential(id, sequentialMs);
      if (counted) totals[id].latencies.push(...latencies);
      if (sequentialOnly) continue;
      const phase = await concurrent(id, concurrentMs);
      if (counted) {
        totals[id].calls += phase.calls;
        totals[id].elapsedMs += phase.elapsedMs;
        totals[id].cpuMicros += phase.cpuMicros;
      }
    }
  };

  onProgress('warm-up round');
  await runRound(0, { sequentialMs: settings.warmupMs, concurrentMs: settings.warmupMs, counted: false });
  for (let round = 0; round < rounds; round += 1) {
    onProgress(`round ${round + 1}/${rounds}`);
    await runRound(round, { sequentialMs: settings.sequentialMs, concurrentMs: settings.concurrentMs, counted: true });
  }

  return Object.fromEntries(
    Object.entries(totals).map(([id, total]) => [
      id,
      {
        latency: summarize(total.latencies),
        ...(sequentialOnly
          ? {}
          : {
              concurrentCalls: total.calls,
              callsPerSecond: round2((total.calls * 1000) / total.elapsedMs),
              cpuPerCallMs: round2(total.cpuMicros / 1000 / total.calls),
            }),
      },
    ]),
  );
};

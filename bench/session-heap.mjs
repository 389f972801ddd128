/**
 * Heap per idle session, in the Strapi process (run with --expose-gc): the load generator opens N 2025-11-25
 * sessions (initialize + initialized, nothing else) and leaves them idle; after a full GC the heap growth ÷ N is
 * the cost of one session. Then it ends them all (DELETE) and, after another GC, the heap that came back says
 * whether closing a session frees what it held.
 */
import { setImmediate, setTimeout as delay } from 'node:timers/promises';
import { round2 } from './stats.mjs';

/** Lets closes finished in the background (transports, timers) settle before the heap is read. */
const SETTLE_MS = 500;

const heapAfterGc = async () => {
  await delay(SETTLE_MS);
  for (let pass = 0; pass < 3; pass += 1) {
    globalThis.gc();
    await setImmediate();
  }
  return process.memoryUsage().heapUsed;
};

/**
 * @param {{ link, url: string, headers: Record<string, string>, count: number }} target
 * @returns {Promise<{ sessions, heapBeforeMB, heapOpenMB, heapClosedMB, perSessionKB, heldAfterClosePerSessionKB, returnedPercent }>}
 */
export const measureIdleSessionHeap = async ({ link, url, headers, count }) => {
  const before = await heapAfterGc();
  const { opened } = await link.call('openIdle', { url, headers, count });
  const open = await heapAfterGc();
  await link.call('closeIdle', {});
  const closed = await heapAfterGc();
  const grown = open - before;
  return {
    sessions: opened,
    heapBeforeMB: round2(before / 2 ** 20),
    heapOpenMB: round2(open / 2 ** 20),
    heapClosedMB: round2(closed / 2 ** 20),
    perSessionKB: round2(grown / opened / 1024),
    heldAfterClosePerSessionKB: round2((closed - before) / opened / 1024),
    returnedPercent: grown > 0 ? round2(((open - closed) / grown) * 100) : null,
  };
};

export const canMeasureHeap = () => typeof globalThis.gc === 'function';

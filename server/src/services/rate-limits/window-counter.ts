import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';

export const WINDOW_SECONDS = 60;

/** What was counted under a key in its current minute. */
export interface WindowCount {
  consumed: number;
  msBeforeNext: number;
}

/** `unavailable`: the store could not answer and the configuration says to fail closed. */
export type Counted = WindowCount | 'unavailable';

/** Points counted per key in fixed one-minute windows. */
export interface WindowCounter {
  add(key: string, points: number): Promise<Counted>;
  /** Undoes an `add` of a request that was refused, so it does not spend what the caller has left. */
  takeBack(key: string, points: number): Promise<void>;
  /** `null` when nothing was counted under the key this minute. */
  peek(key: string): Promise<Counted | null>;
}

/**
 * Budgets differ per key (overrides) and change at runtime, while a rate-limiter-flexible limiter holds one: the
 * limiter is used as the counter (`penalty` adds without refusing) and the budget is compared by the caller.
 */
const UNBOUNDED_POINTS = Number.MAX_SAFE_INTEGER;

const toCount = (res: { consumedPoints: number; msBeforeNext: number }): WindowCount => ({
  consumed: res.consumedPoints,
  msBeforeNext: res.msBeforeNext,
});

const countWith = (limiter: RateLimiterAbstract): WindowCounter => ({
  add: async (key, points) => toCount(await limiter.penalty(key, points)),
  takeBack: async (key, points) => {
    await limiter.reward(key, points);
  },
  peek: async (key) => {
    const res = await limiter.get(key);
    return res ? toCount(res) : null;
  },
});

export const createMemoryCounter = (name: string): WindowCounter =>
  countWith(new RateLimiterMemory({ points: UNBOUNDED_POINTS, duration: WINDOW_SECONDS, keyPrefix: name }));

export interface RedisCounterOptions {
  client: Redis;
  keyPrefix: string;
  /** Resolves once the first connection attempt ended (connected, refused or timed out). */
  firstConnection: Promise<void>;
  /** Counts in this instance's memory while Redis cannot answer (fail-open); `undefined` fails closed. */
  fallback?: WindowCounter;
  onUnavailable(error: unknown): void;
  onAvailable(): void;
}

/** A counter in Redis, shared by every Strapi instance that uses the same Redis and key prefix. */
export const createRedisCounter = (name: string, options: RedisCounterOptions): WindowCounter => {
  const redis = countWith(
    new RateLimiterRedis({
      storeClient: options.client,
      points: UNBOUNDED_POINTS,
      duration: WINDOW_SECONDS,
      keyPrefix: `${options.keyPrefix}:${name}`,
      // Without it a command waits for a reconnection; with it, it fails at once and the fallback answers.
      rejectIfRedisNotReady: true,
    }),
  );

  const attempt = async <T>(run: (counter: WindowCounter) => Promise<T>): Promise<T | 'unavailable'> => {
    await options.firstConnection;
    try {
      const result = await run(redis);
      options.onAvailable();
      return result;
    } catch (error) {
      options.onUnavailable(error);
      return options.fallback ? run(options.fallback) : 'unavailable';
    }
  };

  return {
    add: (key, points) => attempt((counter) => counter.add(key, points)),
    takeBack: async (key, points) => {
      await attempt((counter) => counter.takeBack(key, points));
    },
    peek: (key) => attempt((counter) => counter.peek(key)),
  };
};

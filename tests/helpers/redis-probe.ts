/** Whether a Redis answers, for tests that need one (the shared one at 127.0.0.1:6379, or one of their own). */
import { Redis } from 'ioredis';

export const SHARED_REDIS_URL = 'redis://127.0.0.1:6379';

export const redisAnswers = async (url: string, timeoutMs = 1000): Promise<boolean> => {
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
};

/**
 * Whether the shared Redis answers. Under .ci/run (`MCP_TEST_REQUIRE_REDIS`) its absence fails the file instead of
 * skipping its Redis tests; elsewhere the file says what it skips.
 */
export const sharedRedisUp = async (file: string, skipped: string): Promise<boolean> => {
  const up = await redisAnswers(SHARED_REDIS_URL);
  if (!up) {
    if (process.env.MCP_TEST_REQUIRE_REDIS)
      throw new Error(`Redis is required at ${SHARED_REDIS_URL} and does not answer`);
    console.warn(`[${file}] Redis does not answer at ${SHARED_REDIS_URL}: ${skipped} are skipped`);
  }
  return up;
};

/** Deletes every key under a test's prefix from the shared Redis. */
export const deleteRedisKeys = async (prefix: string, url = SHARED_REDIS_URL): Promise<void> => {
  const redis = new Redis(url);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
};

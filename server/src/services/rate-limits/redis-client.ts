import { Redis } from 'ioredis';
import type { RedisConfig } from '../../config/rate-limits-schema';

interface Log {
  warn(message: string): void;
  info(message: string): void;
}

/** How often, at most, an outage that goes on is logged again. */
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/** Where Redis is, for the log: never the URL itself, which can hold a password. */
const describeServer = (url: string) => {
  const { hostname, port } = new URL(url);
  return `${hostname}:${port || 6379}`;
};

/**
 * The Redis connection of the rate limits. Commands never queue while disconnected (`enableOfflineQueue: false`)
 * and time out quickly, so an outage answers at once by the configured rule instead of holding requests. An outage
 * is logged when it starts and then at most once a minute, with how many limit checks it touched; its end once.
 */
export const connectRedis = (config: RedisConfig & { url: string }, log: Log) => {
  const server = describeServer(config.url);
  const rule =
    config.whenUnavailable === 'fail-open'
      ? 'limits are counted in this instance memory until it is back'
      : 'requests are refused (503) until it is back';
  const client = new Redis(config.url, {
    enableOfflineQueue: false,
    connectTimeout: config.connectTimeoutMs,
    commandTimeout: config.commandTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempts) => Math.min(attempts * 200, 2000),
  });

  let outage: { since: number; loggedAt: number; checks: number } | undefined;
  const unavailable = (error: unknown, isCheck: boolean) => {
    const now = Date.now();
    const reason = (error as Error)?.message ?? String(error);
    if (!outage) {
      outage = { since: now, loggedAt: now, checks: isCheck ? 1 : 0 };
      log.warn(`[mcp-server] rate limits: Redis at ${server} is unavailable (${reason}); ${rule}`);
      return;
    }
    if (isCheck) outage.checks += 1;
    if (now - outage.loggedAt >= OUTAGE_LOG_INTERVAL_MS) {
      log.warn(
        `[mcp-server] rate limits: Redis at ${server} still unavailable (${reason}) after ` +
          `${Math.round((now - outage.since) / 1000)} s; ${outage.checks} limit check(s) so far; ${rule}`,
      );
      outage.loggedAt = now;
    }
  };
  const available = () => {
    if (!outage) return;
    log.info(`[mcp-server] rate limits: Redis at ${server} is available again (${outage.checks} check(s) affected)`);
    outage = undefined;
  };

  // ioredis reports every failed reconnection as an `error` event; unhandled, it would print each one.
  client.on('error', (error) => unavailable(error, false));
  client.on('ready', available);

  const firstConnection = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, config.connectTimeoutMs);
    timer.unref();
    const settle = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', settle);
    client.once('error', settle);
    client.once('end', settle);
  });

  return {
    client,
    firstConnection,
    onUnavailable: (error: unknown) => unavailable(error, true),
    onAvailable: available,
    close: async () => {
      client.disconnect();
    },
  };
};

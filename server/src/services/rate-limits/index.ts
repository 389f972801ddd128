import type { Core } from '@strapi/strapi';
import type { Redis } from 'ioredis';
import type { RateLimitsConfig, RedisConfig } from '../../config/rate-limits-schema';
import { accept, refuse, type Outcome, type Refusal, type RefusalType } from '../../outcome';
import { getService } from '../get-service';
import { retryAfterSeconds, selectCallBudget, type BudgetHolder } from './budgets';
import { connectRedis } from './redis-client';
import { createMemoryCounter, createRedisCounter, type Counted, type WindowCounter } from './window-counter';

/** Refusals that spend an address's failed-authentication budget: the caller's credentials were wrong. */
const FAILED_AUTHENTICATIONS: ReadonlySet<RefusalType> = new Set(['secret', 'token', 'admin-user']);

const UNAVAILABLE = refuse(
  'rate-limit-store',
  'rate limits cannot be checked because their store (Redis) is unavailable; retry shortly',
);

interface Limiters {
  /** The Redis connection, when limits are counted there. */
  redis?: Redis;
  calls: WindowCounter;
  failedAuth: WindowCounter;
  /** Whether limits can be enforced as configured: always in memory; with Redis, when it answers a PING. */
  available(): Promise<boolean>;
  close(): Promise<void>;
}

const buildLimiters = (redis: RedisConfig, log: Core.Strapi['log']): Limiters => {
  if (!redis.url) {
    return {
      calls: createMemoryCounter('calls'),
      failedAuth: createMemoryCounter('failed-auth'),
      available: async () => true,
      close: async () => {},
    };
  }
  const connection = connectRedis({ ...redis, url: redis.url }, log);
  const failOpen = redis.whenUnavailable === 'fail-open';
  const counter = (name: string) =>
    createRedisCounter(name, {
      ...connection,
      keyPrefix: redis.keyPrefix,
      fallback: failOpen ? createMemoryCounter(name) : undefined,
    });
  return {
    redis: connection.client,
    calls: counter('calls'),
    failedAuth: counter('failed-auth'),
    available: () =>
      connection.client.status === 'ready'
        ? connection.client.ping().then(
            () => true,
            () => false,
          )
        : Promise.resolve(false),
    close: connection.close,
  };
};

/**
 * Calls per admin user (or per credential with a budget of its own) and failed authentications per IP address,
 * counted per minute in memory or, with `redis.url`, in Redis shared by every instance. Budgets are read at every
 * check, so a change of `rateLimits` applies at the next request; a change of `redis` replaces the store (and
 * closes the old connection).
 */
const createRateLimitsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = getService(strapi, 'settings');
  const sections = settings.derived((config) => ({
    signature: JSON.stringify(config.redis),
    limits: config.rateLimits,
    redis: config.redis,
  }));
  let active: { signature: string; limiters: Limiters } | undefined;

  const current = (): { limits: RateLimitsConfig; limiters: Limiters } => {
    const { signature, limits, redis } = sections();
    if (active?.signature !== signature) {
      const previous = active;
      active = { signature, limiters: buildLimiters(redis, strapi.log) };
      void previous?.limiters.close();
    }
    return { limits, limiters: active.limiters };
  };

  const refuseRate = (reason: string, msBeforeNext: number): { ok: false; refusal: Refusal } => {
    const seconds = retryAfterSeconds(msBeforeNext);
    return refuse('rate-limit', `${reason}; retry in ${seconds} s`, seconds);
  };

  const addressKey = (ip: string | null) => ip ?? 'unknown';

  return {
    /** Refuses an address that spent its failed-authentication budget this minute, before any credential is read. */
    async checkAddress(ip: string | null): Promise<Outcome<void>> {
      const { limits, limiters } = current();
      const budget = limits.failedAuthPerMinute;
      if (budget === 0) return accept(undefined);
      const counted: Counted | null = await limiters.failedAuth.peek(addressKey(ip));
      if (counted === 'unavailable') return UNAVAILABLE;
      if (counted && counted.consumed >= budget) {
        return refuseRate(
          `too many failed authentications from this address (${budget} per minute)`,
          counted.msBeforeNext,
        );
      }
      return accept(undefined);
    },

    /** A refused authentication of the kinds a brute force produces costs its address one point. */
    async recordAuthenticationRefusal(ip: string | null, refusal: Refusal): Promise<void> {
      const { limits, limiters } = current();
      if (limits.failedAuthPerMinute === 0 || !FAILED_AUTHENTICATIONS.has(refusal.type)) return;
      await limiters.failedAuth.add(addressKey(ip), 1);
    },

    /**
     * Charges `cost` calls to the caller's budget; over it, the request is refused and the charge taken back, so
     * a refused batch does not spend what is left.
     */
    async chargeCalls(caller: BudgetHolder, cost: number): Promise<Outcome<void>> {
      if (cost === 0) return accept(undefined);
      const { limits, limiters } = current();
      const budget = selectCallBudget(caller, limits);
      if (budget.perMinute === 0) return accept(undefined);
      const counted = await limiters.calls.add(budget.key, cost);
      if (counted === 'unavailable') return UNAVAILABLE;
      if (counted.consumed <= budget.perMinute) return accept(undefined);
      await limiters.calls.takeBack(budget.key, cost);
      const request = cost > 1 ? ` (this request counts ${cost})` : '';
      return refuseRate(
        `rate limit of ${budget.perMinute} calls per minute for this ${budget.holder} reached${request}`,
        counted.msBeforeNext,
      );
    },

    /**
     * For the health route: whether requests can be served as the limits are configured. Only a Redis store that
     * fails closed can stop them; one that fails open counts in memory meanwhile.
     */
    async storeServes(): Promise<boolean> {
      const { redis } = sections();
      if (!redis.url || redis.whenUnavailable === 'fail-open') return true;
      return current().limiters.available();
    },

    /** For the admin panel: whether Redis is configured, and whether it answers now. */
    async redisStatus(): Promise<{ configured: boolean; status: 'ready' | 'down' | null }> {
      if (!sections().redis.url) return { configured: false, status: null };
      return { configured: true, status: (await current().limiters.available()) ? 'ready' : 'down' };
    },

    /**
     * The Redis connection shared by every instance (`redis.url`), or undefined without one. Commands fail at once
     * while it is down (no offline queue).
     */
    redisClient(): Redis | undefined {
      return current().limiters.redis;
    },

    /** Opens the store at boot, so that an unreachable Redis is logged before the first request. */
    connect() {
      current();
    },

    /** Closes the Redis connection (plugin destroy). */
    async close() {
      await active?.limiters.close();
      active = undefined;
    },
  };
};

export default createRateLimitsService;
export type RateLimitsService = ReturnType<typeof createRateLimitsService>;

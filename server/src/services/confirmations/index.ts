import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import { getService } from '../get-service';

/**
 * `spent`: this call spends the token; `used`: a call spent it before; `unavailable`: Redis is configured and did not
 * answer; `full`: this instance holds as many live tokens as it may.
 */
export type SpendOutcome = 'spent' | 'used' | 'unavailable' | 'full';

/** Live spent tokens one instance remembers without Redis (about 100 bytes each). */
export const MAX_SPENT_IN_MEMORY = 100_000;
const OUTAGE_LOG_INTERVAL_MS = 60_000;

/**
 * Confirmation tokens are single use: each spent token id is remembered until the token expires. With `redis.url`,
 * in Redis (`SET <keyPrefix>:confirm:<jti> 1 NX PX <ms left>`), so that a token spent on one replica is refused on
 * every other; when Redis does not answer, the spend is refused (never remembered in this instance only, which would
 * let another replica accept it again), whatever `redis.whenUnavailable` says of rate limits. Without Redis, in this
 * instance's memory: bounded, and full means refused, not forgotten.
 */
const createConfirmationsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const spentHere = new LRUCache<string, true>({ max: MAX_SPENT_IN_MEMORY });
  let lastOutageLog = 0;

  const spendInRedis = async (jti: string, msLeft: number): Promise<SpendOutcome | undefined> => {
    const redis = getService(strapi, 'rate-limits').redisClient();
    if (!redis) return undefined;
    const key = `${getService(strapi, 'settings').get().redis.keyPrefix}:confirm:${jti}`;
    try {
      return (await redis.set(key, '1', 'PX', msLeft, 'NX')) === 'OK' ? 'spent' : 'used';
    } catch (error) {
      if (Date.now() - lastOutageLog >= OUTAGE_LOG_INTERVAL_MS) {
        lastOutageLog = Date.now();
        strapi.log.warn(
          `[mcp-server] confirmation tokens: Redis did not answer (${(error as Error).message}); confirmed mutations ` +
            'are refused until it does',
        );
      }
      return 'unavailable';
    }
  };

  const spendInMemory = (jti: string, msLeft: number): SpendOutcome => {
    if (spentHere.has(jti)) return 'used';
    if (spentHere.size >= MAX_SPENT_IN_MEMORY) spentHere.purgeStale();
    // Evicting a live entry would let its token be used again.
    if (spentHere.size >= MAX_SPENT_IN_MEMORY) return 'full';
    spentHere.set(jti, true, { ttl: msLeft });
    return 'spent';
  };

  return {
    /** Spends the token `jti`, good until `expiresAt` (ms since the epoch): once only. */
    async spend(jti: string, expiresAt: number): Promise<SpendOutcome> {
      const msLeft = Math.max(1, Math.ceil(expiresAt - Date.now()));
      return (await spendInRedis(jti, msLeft)) ?? spendInMemory(jti, msLeft);
    },
  };
};

export default createConfirmationsService;
export type ConfirmationsService = ReturnType<typeof createConfirmationsService>;

import type { Redis } from 'ioredis';

/**
 * Session slots every replica counts, in Redis: one sorted set for the deployment and one per admin user, holding
 * session ids scored by when they lapse. A replica that stops without closing its sessions leaves slots that lapse
 * within `sessions.idleTimeoutMs`: the live ones are renewed at every sweep.
 */
export type SlotClaim = 'ok' | 'server-full' | 'user-full';

// KEYS: all, user. ARGV: now, lapses at, id, max, max per user, key lifetime (ms).
const CLAIM = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[2], ARGV[3]) then return 0 end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 2 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 1 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 0
`;

export interface SlotLimits {
  max: number;
  maxPerUser: number;
  idleTimeoutMs: number;
}

export const createSharedSlots = (redis: Redis, keyPrefix: string) => {
  const allKey = `${keyPrefix}:sessions`;
  const userKey = (adminUserId: number) => `${keyPrefix}:sessions:user:${adminUserId}`;

  return {
    async claim(id: string, adminUserId: number, limits: SlotLimits): Promise<SlotClaim> {
      const now = Date.now();
      const answer = await redis.eval(
        CLAIM,
        2,
        allKey,
        userKey(adminUserId),
        now,
        now + limits.idleTimeoutMs,
        id,
        limits.max,
        limits.maxPerUser,
        limits.idleTimeoutMs * 2,
      );
      return answer === 2 ? 'user-full' : answer === 1 ? 'server-full' : 'ok';
    },

    async release(id: string, adminUserId: number): Promise<void> {
      await redis.multi().zrem(allKey, id).zrem(userKey(adminUserId), id).exec();
    },

    /** Keeps this replica's live sessions counted for another idle timeout. */
    async renew(sessions: Array<{ id: string; adminUserId: number }>, idleTimeoutMs: number): Promise<void> {
      if (sessions.length === 0) return;
      const lapsesAt = Date.now() + idleTimeoutMs;
      const batch = redis.multi();
      for (const { id, adminUserId } of sessions) {
        batch.zadd(allKey, 'XX', lapsesAt, id).zadd(userKey(adminUserId), 'XX', lapsesAt, id);
        batch.pexpire(allKey, idleTimeoutMs * 2).pexpire(userKey(adminUserId), idleTimeoutMs * 2);
      }
      await batch.exec();
    },
  };
};

export type SharedSlots = ReturnType<typeof createSharedSlots>;

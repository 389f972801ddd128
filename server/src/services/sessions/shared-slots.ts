import type { Redis } from 'ioredis';

/**
 * Session slots every replica counts, in Redis: one sorted set for the deployment and one per admin user, holding
 * session ids scored by when they lapse. Every sweep renews (or, after an outage, adds back) the slots of the live
 * sessions, so a replica that stops without closing its sessions leaves slots that lapse within three sweeps.
 */
export type SlotClaim = { outcome: 'ok' } | { outcome: 'server-full' } | { outcome: 'user-full'; userSlots: number };

// KEYS: all, user. ARGV: now, lapses at, id, max, max per user, key lifetime (ms).
const CLAIM = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[2], ARGV[3]) then return {0, 0} end
local userSlots = redis.call('ZCARD', KEYS[2])
if userSlots >= tonumber(ARGV[5]) then return {2, userSlots} end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return {1, 0} end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return {0, 0}
`;

export interface SlotLimits {
  max: number;
  maxPerUser: number;
  /** How long a slot lasts unless renewed: long enough for the next sweeps to renew it. */
  lapseMs: number;
}

export const createSharedSlots = (redis: Redis, keyPrefix: string) => {
  const allKey = `${keyPrefix}:sessions`;
  const userKey = (adminUserId: number) => `${keyPrefix}:sessions:user:${adminUserId}`;

  return {
    async claim(id: string, adminUserId: number, limits: SlotLimits): Promise<SlotClaim> {
      const now = Date.now();
      const [code, userSlots] = (await redis.eval(
        CLAIM,
        2,
        allKey,
        userKey(adminUserId),
        now,
        now + limits.lapseMs,
        id,
        limits.max,
        limits.maxPerUser,
        limits.lapseMs * 2,
      )) as [number, number];
      if (code === 2) return { outcome: 'user-full', userSlots };
      return code === 1 ? { outcome: 'server-full' } : { outcome: 'ok' };
    },

    async release(id: string, adminUserId: number): Promise<void> {
      await redis.multi().zrem(allKey, id).zrem(userKey(adminUserId), id).exec();
    },

    /**
     * Keeps this replica's live sessions counted for another `lapseMs`; adds back those opened while Redis was away
     * (the caps then count them, even past a cap: they exist).
     */
    async renew(sessions: Array<{ id: string; adminUserId: number }>, lapseMs: number): Promise<void> {
      if (sessions.length === 0) return;
      const lapsesAt = Date.now() + lapseMs;
      const batch = redis.multi();
      for (const { id, adminUserId } of sessions) {
        batch.zadd(allKey, lapsesAt, id).zadd(userKey(adminUserId), lapsesAt, id);
        batch.pexpire(allKey, lapseMs * 2).pexpire(userKey(adminUserId), lapseMs * 2);
      }
      await batch.exec();
    },
  };
};

export type SharedSlots = ReturnType<typeof createSharedSlots>;

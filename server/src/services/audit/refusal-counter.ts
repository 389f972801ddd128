import type { AuditEntry } from './index';

const MINUTE_MS = 60_000;
/** Distinct (address, refusal) pairs counted per minute; the rest share one row. */
const MAX_KEYS_PER_MINUTE = 200;

interface Counted {
  entry: AuditEntry;
  count: number;
  minute: number;
}

/**
 * Refusals of the HTTP layer (bad origin, secret, token, unknown user, session limits) can be sent by anyone who
 * reaches the endpoint, as fast as they like. They are counted, one row per address, refusal type, user and minute,
 * holding the first refusal's details and how many followed; past a bound of distinct keys per minute, the rest of
 * that minute shares one row. The trail's size then grows with time, not with the attacker's rate.
 */
export const createRefusalCounter = (maxKeysPerMinute = MAX_KEYS_PER_MINUTE) => {
  const counted = new Map<string, Counted>();
  const keysInMinute = new Map<number, number>();

  const keyOf = (entry: AuditEntry, minute: number) =>
    JSON.stringify([
      minute,
      entry.ip ?? null,
      entry.action ?? null,
      entry.reason?.split(':')[0] ?? null,
      entry.adminUserId ?? null,
    ]);

  return {
    add(entry: AuditEntry, now = Date.now()) {
      const minute = Math.floor(now / MINUTE_MS);
      let key = keyOf(entry, minute);
      let known = counted.get(key);
      if (!known && (keysInMinute.get(minute) ?? 0) >= maxKeysPerMinute) {
        key = JSON.stringify([minute, 'overflow']);
        known = counted.get(key);
        entry = { decision: 'denied', action: 'authenticate', reason: 'refusals from further addresses this minute' };
      }
      if (known) {
        known.count += 1;
        return;
      }
      keysInMinute.set(minute, (keysInMinute.get(minute) ?? 0) + 1);
      counted.set(key, { entry: { ...entry, occurredAt: entry.occurredAt ?? new Date(now) }, count: 1, minute });
    },

    /** The rows of every minute that has ended, or of all minutes; they are then forgotten. */
    drain(now = Date.now(), all = false): AuditEntry[] {
      const current = Math.floor(now / MINUTE_MS);
      const rows: AuditEntry[] = [];
      for (const [key, { entry, count, minute }] of counted) {
        if (!all && minute >= current) continue;
        rows.push({ ...entry, count });
        counted.delete(key);
        keysInMinute.delete(minute);
      }
      return rows;
    },
  };
};

import { createHash } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { LRUCache } from 'lru-cache';
import type { PluginConfig } from '../../config/schema';
import { accept, type Outcome } from '../../outcome';
import { getService } from '../get-service';
import type { McpCaller } from '../identity/caller';

/**
 * Strapi's admin state a caller depends on: users (roles, active, blocked, email), roles, their permissions, admin
 * tokens and theirs. Any change to one of them forgets every cached caller and ability.
 */
export const ADMIN_STATE_MODELS = [
  'admin::user',
  'admin::role',
  'admin::permission',
  'admin::api-token',
  'admin::api-token-permission',
];

const MAX_CALLERS = 10_000;
const MAX_ABILITIES = 2_000;

interface CachedCaller {
  caller: McpCaller;
  until: number;
}

interface CachedAbility {
  ability: Promise<unknown>;
  until: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Until when a verified caller may be reused: its token's expiry, its maximum age, and `accessCache.maxAgeMs` (the
 * bound on what this instance is not told of).
 */
const reusableUntil = (caller: McpCaller, config: PluginConfig, now: number) => {
  const { exp, iat } = caller.claims;
  const bounds = [now + config.accessCache.maxAgeMs];
  if (typeof exp === 'number') bounds.push(exp * 1000);
  const maxAgeSec = caller.credential.kind === 'jwt' ? config.jwt?.maxTokenAgeSec : undefined;
  if (typeof iat === 'number' && typeof maxAgeSec === 'number') bounds.push((iat + maxAgeSec) * 1000);
  return Math.min(...bounds);
};

/**
 * What Strapi says about a caller, kept between calls and forgotten the moment it may have changed: the verified
 * caller of a token (keyed by the token's hash, until its expiry at the latest) and the caller's Strapi ability (per
 * admin user, or per admin token). Building the ability is most of a call's cost; Strapi itself rebuilds it per
 * request.
 *
 * Invalidation is whole and immediate: a create, update or delete of any `ADMIN_STATE_MODELS` row (through Strapi's
 * query engine, which every admin panel and service change goes through) or a settings change forgets everything,
 * and once more when the surrounding transaction commits, so a caller that read the old rows in between is not kept.
 * Work started before a change never lands in the cache after it (`generation`). Other instances are told through
 * Redis when `redis.url` is set (the cluster service); what this instance is not told of (another instance without
 * Redis, a Redis outage, raw SQL) is bounded by `accessCache.maxAgeMs`: no entry is older.
 */
const createAccessCacheService = ({ strapi }: { strapi: Core.Strapi }) => {
  const callers = new LRUCache<string, CachedCaller>({ max: MAX_CALLERS });
  const abilities = new LRUCache<string, CachedAbility>({ max: MAX_ABILITIES });
  const maxAgeMs = () => getService(strapi, 'settings').get().accessCache.maxAgeMs;
  /**
   * When each caller's admin user was read. An ability is built from that record (its roles decide conditions such as
   * "has same role as creator"), so it is kept no longer than `maxAgeMs` after the read, not after its own build.
   */
  const readAt = new WeakMap<McpCaller, number>();
  let generation = 0;
  const counts = { callerHits: 0, callerMisses: 0, abilityHits: 0, abilityMisses: 0, invalidations: 0 };

  const forgetAll = () => {
    generation += 1;
    counts.invalidations += 1;
    callers.clear();
    abilities.clear();
  };

  /** Forgets here and tells the other instances to forget too. */
  const forgetEverywhere = () => {
    forgetAll();
    void getService(strapi, 'cluster').publish({ type: 'admin-state' });
  };

  /** Forget now and, inside a transaction, again when it commits: a read in between saw the old rows. */
  const forgetOnChange = () => {
    forgetEverywhere();
    if (strapi.db.inTransaction()) {
      void strapi.db.transaction(async ({ onCommit }) => onCommit(forgetEverywhere));
    }
  };

  return {
    /** Subscribes to Strapi's admin models and to the plugin's settings; bootstrap calls it once. */
    watch() {
      strapi.db.lifecycles.subscribe({
        models: ADMIN_STATE_MODELS,
        afterCreate: forgetOnChange,
        afterCreateMany: forgetOnChange,
        afterUpdate: forgetOnChange,
        afterUpdateMany: forgetOnChange,
        afterDelete: forgetOnChange,
        afterDeleteMany: forgetOnChange,
      });
    },

    forgetAll,

    /**
     * The verified caller of this token: from the cache while it holds, else `authenticate()`, whose accepted caller is
     * kept. Refusals are never kept: each is decided and recorded anew.
     */
    async caller(
      token: string,
      config: PluginConfig,
      authenticate: () => Promise<Outcome<McpCaller>>,
    ): Promise<Outcome<McpCaller>> {
      const key = hashToken(token);
      const cached = callers.get(key);
      if (cached && cached.until > Date.now()) {
        counts.callerHits += 1;
        return accept(cached.caller);
      }
      counts.callerMisses += 1;
      const started = generation;
      const outcome = await authenticate();
      const now = Date.now();
      if (outcome.ok) readAt.set(outcome.value, now);
      if (outcome.ok && started === generation) {
        const until = reusableUntil(outcome.value, config, now);
        if (until > now) callers.set(key, { caller: outcome.value, until }, { ttl: until - now });
      }
      return outcome;
    },

    /**
     * The caller's Strapi ability, built once per admin user (or admin token) until their admin state changes, and
     * at most until `accessCache.maxAgeMs` after the admin user it is built from was read.
     */
    ability<T>(caller: McpCaller, build: () => Promise<T>): Promise<T> {
      const key =
        caller.credential.kind === 'jwt'
          ? `user:${caller.adminUser.id}`
          : `token:${caller.credential.tokenId}:user:${caller.adminUser.id}`;
      const now = Date.now();
      const cached = abilities.get(key);
      if (cached && cached.until > now) {
        counts.abilityHits += 1;
        return cached.ability as Promise<T>;
      }
      counts.abilityMisses += 1;
      const built = build();
      const until = (readAt.get(caller) ?? now) + maxAgeMs();
      if (until > now) {
        const entry = { ability: built, until };
        abilities.set(key, entry, { ttl: until - now });
        built.catch(() => {
          if (abilities.get(key) === entry) abilities.delete(key);
        });
      }
      return built;
    },

    /** Sizes and hit counts, for the benchmark and the health of the cache. */
    stats: () => ({ callers: callers.size, abilities: abilities.size, ...counts }),
  };
};

export default createAccessCacheService;
export type AccessCacheService = ReturnType<typeof createAccessCacheService>;

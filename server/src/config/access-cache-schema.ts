import { z } from 'zod';
import { envInt, fromEnv, section } from './env-fallback';

/** The default: a change Strapi's lifecycles do not report is seen within five minutes. */
export const DEFAULT_ACCESS_CACHE_MAX_AGE_MS = 5 * 60_000;

/**
 * How long a verified caller and a Strapi ability are reused at most (docs/authentication-flow.md, step 5). Changes
 * made through this Strapi apply at the next call whatever the value; changes this instance is not told of (another
 * Strapi instance on the same database, raw SQL) apply once the entries expire. `0` caches nothing.
 */
export const accessCacheSchema = section(
  z.strictObject({
    maxAgeMs: fromEnv(
      z.number().int().min(0).max(3_600_000),
      () => envInt('MCP_ACCESS_CACHE_MAX_AGE_MS'),
      DEFAULT_ACCESS_CACHE_MAX_AGE_MS,
    ),
  }),
);

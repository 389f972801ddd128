import { z } from 'zod';
import { env, envInt, fromEnv, section } from './env-fallback';

export const DEFAULT_CALLS_PER_MINUTE = 100;
export const DEFAULT_FAILED_AUTH_PER_MINUTE = 20;
export const DEFAULT_REDIS_KEY_PREFIX = 'mcp-server:rate';

/** A budget per minute; 0 turns that limit off. */
const perMinute = z.number().int().min(0).max(1_000_000);

/**
 * `user:<email>` sets the shared budget of one admin user; any other key is a credential key
 * (`jwt:<issuer>:client:<azp or client_id>`, `jwt:<issuer>:subject:<sub>`, `admin-token:<id>`), whose calls then count
 * against that budget of their own instead of their user's.
 */
const overrideKey = z.string().regex(/^[a-z-]+:.+$/, 'must be user:<email> or a credential key such as jwt:<iss>:…');

export const rateLimitsSchema = section(
  z.strictObject({
    /** Calls (JSON-RPC requests other than the handshake) one admin user may make per minute. */
    perMinute: fromEnv(perMinute, () => envInt('MCP_RATE_LIMIT_PER_MINUTE'), DEFAULT_CALLS_PER_MINUTE),
    /** Failed authentications (secret, token, unknown user) one IP address may make per minute. */
    failedAuthPerMinute: fromEnv(
      perMinute,
      () => envInt('MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE'),
      DEFAULT_FAILED_AUTH_PER_MINUTE,
    ),
    overrides: z.record(overrideKey, perMinute).default({}),
  }),
);

export const redisSchema = section(
  z.strictObject({
    /** Without it, limits are counted in this instance's memory. */
    url: fromEnv(z.url({ protocol: /^rediss?$/ }).optional(), () => env('MCP_REDIS_URL')),
    /** Distinct per deployment when several share one Redis. */
    keyPrefix: fromEnv(z.string().min(1).max(100), () => env('MCP_REDIS_KEY_PREFIX'), DEFAULT_REDIS_KEY_PREFIX),
    /**
     * While Redis cannot be reached: `fail-open` counts in this instance's memory (limits hold per instance),
     * `fail-closed` answers 503.
     */
    whenUnavailable: fromEnv(
      z.enum(['fail-open', 'fail-closed']),
      () => env('MCP_REDIS_WHEN_UNAVAILABLE') as never,
      'fail-open',
    ),
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(2000),
    commandTimeoutMs: z.number().int().min(50).max(60_000).default(500),
  }),
);

export type RateLimitsConfig = z.output<typeof rateLimitsSchema>;
export type RedisConfig = z.output<typeof redisSchema>;

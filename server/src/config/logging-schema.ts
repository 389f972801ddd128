import { z } from 'zod';
import { env, fromEnv, positiveInt, section } from './env-fallback';

export const REFUSAL_LOG_LEVELS = ['off', 'debug', 'info', 'warn'] as const;

/** What the plugin writes to Strapi's log about requests it turns away. */
export const loggingSchema = section(
  z.strictObject({
    /** The level of one line per refused request (authentication, origin, limits...); `off` for none. */
    refusals: fromEnv(z.enum(REFUSAL_LOG_LEVELS), () => env('MCP_LOG_REFUSALS') as never, 'info'),
    /** At most this many refusal lines a minute; the rest are counted and reported in one line. */
    maxRefusalLinesPerMinute: positiveInt.default(30),
  }),
);

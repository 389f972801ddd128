import { z } from 'zod';

/** An environment variable whose value cannot be what its option needs; turned into an issue by `fromEnv`. */
export class InvalidEnvValue extends Error {}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];

/** Reads an environment variable; blank counts as unset. */
export const env = (name: string): string | undefined => {
  const value = process.env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};
export const envList = (name: string): string[] | undefined =>
  env(name)
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
export const envInt = (name: string): number | undefined => {
  const value = env(name);
  if (value === undefined) return undefined;
  const number = /^[+-]?\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(number)) throw new InvalidEnvValue(`env ${name}="${value}" is not an integer`);
  return number;
};
/** true/false, 1/0, yes/no, on/off, in any case; anything else is refused rather than read as false. */
export const envBool = (name: string): boolean | undefined => {
  const value = env(name)?.toLowerCase();
  if (value === undefined) return undefined;
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  throw new InvalidEnvValue(`env ${name}="${env(name)}" is not a boolean (true/false, 1/0, yes/no, on/off)`);
};

/** A config value left out, or set to a blank string (e.g. `env('MCP_JWKS_URI')` of an empty line), is unset. */
export const isUnset = (value: unknown): value is undefined | null | '' =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

/**
 * An option that falls back to an environment variable, then to a static default. Make `schema` itself optional when
 * the option may stay unset: an `.optional()` around the fallback would drop the environment variable's value.
 * The closing pass-through transform makes zod report the problems of an option left out of the config (zod drops
 * them for a key that is absent and optional on both sides, which would hide a bad environment variable).
 */
export const fromEnv = <T extends z.ZodType>(schema: T, read: () => z.input<T> | undefined, fallback?: z.input<T>) =>
  z
    .preprocess((value, ctx) => {
      if (!isUnset(value)) return value;
      try {
        return read() ?? fallback;
      } catch (error) {
        if (!(error instanceof InvalidEnvValue)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return undefined;
      }
    }, schema)
    .transform((value) => value);

/** Drops the blank properties of an object (they count as unset); anything else is returned as it is. */
export const withoutBlankValues = (value: unknown): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, item]) => !isUnset(item)));
};

/**
 * An optional section: when left out, it is parsed as `{}` so its fields still get their defaults; its blank
 * properties count as unset.
 */
export const section = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => withoutBlankValues(value ?? {}), schema);

export const positiveInt = z.number().int().positive();

import { z } from 'zod';

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
  return value === undefined ? undefined : Number(value);
};
export const envBool = (name: string): boolean | undefined => {
  const value = env(name);
  return value === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
};

/** An option that falls back to an environment variable, then to a static default. */
export const fromEnv = <T extends z.ZodType>(schema: T, read: () => z.input<T> | undefined, fallback?: z.input<T>) =>
  z.preprocess((value) => value ?? read() ?? fallback, schema);

/** An optional section: when left out, it is parsed as `{}` so its fields still get their defaults. */
export const section = <T extends z.ZodType>(schema: T) => z.preprocess((value) => value ?? {}, schema);

export const positiveInt = z.number().int().positive();

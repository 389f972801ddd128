import { z } from 'zod';
import { env, envInt, fromEnv, section } from './env-fallback';

/**
 * What the mutation tools may do: `enabled` run when called, `confirm` run only with the confirmation token of the
 * same call's dry run, `disabled` not offered at all (docs/tools.md, "Confirming a change").
 */
export const MUTATION_MODES = ['enabled', 'confirm', 'disabled'] as const;
export type MutationMode = (typeof MUTATION_MODES)[number];

export const DEFAULT_CONFIRMATION_TTL_SECONDS = 300;
export const MAX_CONFIRMATION_TTL_SECONDS = 3600;

/** Left unset, the mode follows Strapi's environment (`mutation-mode.ts`): `disabled` in production. */
export const mutationsSchema = fromEnv(z.enum(MUTATION_MODES).optional(), () => env('MCP_MUTATIONS') as never);

export const mutationConfirmationSchema = section(
  z.strictObject({
    /** How long the token of a dry run stays good; it confirms one call. */
    ttlSeconds: fromEnv(
      z.number().int().min(1).max(MAX_CONFIRMATION_TTL_SECONDS),
      () => envInt('MCP_CONFIRMATION_TTL_SECONDS'),
      DEFAULT_CONFIRMATION_TTL_SECONDS,
    ),
  }),
);

import { z } from 'zod';
import { foldAsciiCase } from '../services/identity/email-claim';
import { envBool, fromEnv, section } from './env-fallback';

const byFoldedEmail = (entries: Record<string, string | null>): Record<string, string> =>
  Object.fromEntries(
    Object.entries(entries)
      .filter((entry): entry is [string, string] => entry[1] !== null)
      .map(([email, value]) => [foldAsciiCase(email.trim()), value]),
  );

/**
 * Strapi admin tokens (Settings → Admin tokens) as a second credential beside JWTs. `tenants` assigns a tenant to an
 * admin user, by email (ASCII case ignored), since an admin token carries no tenant claim; `null` removes an
 * assignment at runtime (settings changes merge objects key by key).
 */
export const adminTokensSchema = section(
  z
    .strictObject({
      enabled: fromEnv(z.boolean(), () => envBool('MCP_ADMIN_TOKENS_ENABLED'), true),
      /** Whether admin-token callers must send X-MCP-Internal-Secret; unset: as the top-level requireInternalSecret. */
      requireInternalSecret: fromEnv(z.boolean().optional(), () => envBool('MCP_ADMIN_TOKENS_REQUIRE_SECRET')),
      tenants: z.record(z.string().trim().min(1).max(254), z.string().trim().min(1).max(255).nullable()).default({}),
      /**
       * The policy role an admin user's tokens act as, by email, in place of the one their Strapi roles map to
       * (`strapiRoles`); `null` removes an assignment.
       */
      roles: z.record(z.string().trim().min(1).max(254), z.string().trim().min(1).max(100).nullable()).default({}),
    })
    .superRefine((adminTokens, ctx) => {
      for (const key of ['tenants', 'roles'] as const) {
        const seen = new Map<string, string>();
        for (const email of Object.keys(adminTokens[key])) {
          const folded = foldAsciiCase(email.trim());
          const previous = seen.get(folded);
          if (previous !== undefined) {
            ctx.addIssue({
              code: 'custom',
              path: [key, email],
              message: `names the same admin user as ${previous} (emails are matched ignoring case)`,
            });
          }
          seen.set(folded, email);
        }
      }
    })
    .transform((adminTokens) => ({
      ...adminTokens,
      // Keyed by the folded email; unassigned (null) entries dropped.
      tenants: byFoldedEmail(adminTokens.tenants),
      roles: byFoldedEmail(adminTokens.roles),
    })),
);

export type AdminTokensConfig = z.output<typeof adminTokensSchema>;

/** Whether admin-token callers must send the internal secret: their own rule, else the top-level one. */
export const adminTokensRequireSecret = (config: {
  requireInternalSecret: boolean;
  adminTokens: AdminTokensConfig;
}): boolean => config.adminTokens.requireInternalSecret ?? config.requireInternalSecret;

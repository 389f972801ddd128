import { z } from 'zod';
import { envBool, envList, fromEnv, section } from './env-fallback';

/**
 * The schema tools of developer mode (docs/tools.md, "Schema tools"). They exist only while Strapi runs under
 * `strapi develop` (autoReload) outside production, whatever this says; here they can only be narrowed.
 */
export const schemaToolsSchema = section(
  z.strictObject({
    enabled: fromEnv(z.boolean(), () => envBool('MCP_SCHEMA_TOOLS'), true),
    /** The policy roles offered the schema tools; their admin users also need the Content-Type Builder permission. */
    roles: fromEnv(z.array(z.string().min(1)), () => envList('MCP_SCHEMA_TOOLS_ROLES'), ['Admin']),
  }),
);

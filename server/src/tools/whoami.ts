import { z } from 'zod';
import { createReadScope } from '../content/read-scope';
import { describePermissions } from '../content/describe';
import type { McpToolDefinition } from '../extension/definitions';
import { toolResult } from '../extension/tool-results';
import { READ_ONLY } from './arguments';

const outputSchema = {
  user: z.object({
    id: z.number(),
    email: z.string(),
    firstname: z.string().nullable(),
    lastname: z.string().nullable(),
  }),
  role: z
    .string()
    .nullable()
    .describe('Your policy role; null when your token names no known role (then only whoami works)'),
  roleClaim: z.string().nullable().describe('The role claim of the token'),
  tenant: z.string().nullable().describe('The tenant claim of the token'),
  subject: z.string().nullable().describe('The JWT sub'),
  sessionId: z.string().nullable().describe('Your 2025-11-25 session; null under 2026-07-28, which has no sessions'),
  protocolVersion: z.string().describe('The MCP revision of this request'),
  permissions: z.array(
    z.object({
      contentType: z.string(),
      actions: z.array(z.string()),
      readableFields: z.array(z.string()),
      writableFields: z.array(z.string()),
    }),
  ),
};

export const whoami: McpToolDefinition = {
  name: 'whoami',
  title: 'Who am I',
  description:
    'Shows the Strapi admin user you act as, the role and tenant from your token, and what you may do: for ' +
    'each content type, your actions and the fields you may read and write. Call it first.',
  inputSchema: {},
  outputSchema,
  annotations: READ_ONLY,
  handler: async (_args, context) => {
    const { caller, sessionId, protocolVersion } = context;
    const scope = createReadScope(context);
    const permissions = await Promise.all(
      scope.policy
        .visibleTypes()
        .map(async (type) => ({ contentType: type.uid, ...(await describePermissions(scope, type)) })),
    );
    return toolResult({
      user: {
        id: caller.adminUser.id,
        email: caller.adminUser.email,
        firstname: caller.adminUser.firstname ?? null,
        lastname: caller.adminUser.lastname ?? null,
      },
      role: scope.policy.role,
      roleClaim: caller.role,
      tenant: caller.tenant,
      subject: caller.subject,
      sessionId: sessionId || null,
      protocolVersion,
      permissions,
    });
  },
};

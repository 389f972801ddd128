import { z } from 'zod';
import type { McpToolDefinition } from '../mcp/definitions';
import { toolResult } from '../mcp/tool-results';

const outputSchema = {
  user: z.object({
    id: z.number(),
    email: z.string(),
    firstname: z.string().nullable(),
    lastname: z.string().nullable(),
  }),
  role: z.string().nullable().describe('The role claim of the token'),
  tenant: z.string().nullable().describe('The tenant claim of the token'),
  subject: z.string().nullable().describe('The JWT sub'),
  sessionId: z.string(),
};

export const whoami: McpToolDefinition = {
  name: 'whoami',
  title: 'Who am I',
  description:
    'Shows the Strapi admin user this session acts as, with the role and tenant taken from your token. ' +
    'Call it first to learn what identity your other calls run under.',
  inputSchema: {},
  outputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: (_args, { caller, sessionId }) =>
    toolResult({
      user: {
        id: caller.adminUser.id,
        email: caller.adminUser.email,
        firstname: caller.adminUser.firstname ?? null,
        lastname: caller.adminUser.lastname ?? null,
      },
      role: caller.role,
      tenant: caller.tenant,
      subject: caller.subject,
      sessionId,
    }),
};

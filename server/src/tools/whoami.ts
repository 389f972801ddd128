import { z } from 'zod';
import { mutationModeOf } from '../config/mutation-mode';
import { MUTATION_MODES } from '../config/mutations-schema';
import { createReadScope } from '../content/read-scope';
import { describePermissions } from '../content/describe';
import type { McpToolDefinition } from '../extension/definitions';
import type { CallPolicy } from '../services/policy';
import { toolResult } from '../extension/tool-results';
import { formatScopes } from '../services/policy/scopes';
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
  roleProblem: z
    .string()
    .nullable()
    .describe('Why you have no policy role, with the role names this server knows; null when you have one'),
  scopes: z
    .array(z.string())
    .nullable()
    .describe("Your token's scopes that narrow the role (<type>:<action>); null when the token carries none"),
  tenant: z.string().nullable().describe('The tenant claim of the token'),
  subject: z.string().nullable().describe('The JWT sub'),
  sessionId: z.string().nullable().describe('Your 2025-11-25 session; null under 2026-07-28, which has no sessions'),
  protocolVersion: z.string().describe('The MCP revision of this request'),
  mutations: z
    .enum(MUTATION_MODES)
    .describe(
      'Whether changes run: enabled; confirm (each change runs only with the confirmationToken its dryRun gave); disabled (no change tool is offered)',
    ),
  permissions: z.array(
    z.object({
      contentType: z.string(),
      actions: z.array(z.string()),
      readableFields: z.array(z.string()),
      writableFields: z.array(z.string()),
    }),
  ),
};

/** Why a caller has no policy role, naming the roles that would work. */
const describeRoleProblem = (policy: CallPolicy): string | null => {
  if (policy.role !== null) return null;
  const known = Object.keys(policy.policy.roles).join(', ');
  if (policy.config.roleSource === 'strapi' || policy.caller.credential.kind === 'admin-token') {
    const mapped = Object.keys(policy.config.strapiRoles).join(', ');
    return `none of your Strapi admin roles is mapped to a policy role (strapiRoles maps: ${mapped || 'nothing'}); roles: ${known}`;
  }
  const claim = policy.config.claims.role;
  return policy.caller.role === null
    ? `your token has no ${claim} claim; roles this server knows: ${known}`
    : `your token's ${claim} claim is not a role this server knows; roles: ${known}`;
};

export const whoami: McpToolDefinition = {
  name: 'whoami',
  title: 'Who am I',
  description:
    'Shows the Strapi admin user you act as, the role and tenant from your token, and what you may do: for ' +
    'each content type, the actions your role, your token scopes and Strapi permissions together allow, and the ' +
    'fields you may read and write. Call it first.',
  inputSchema: {},
  outputSchema,
  annotations: READ_ONLY,
  handler: async (_args, context) => {
    const { caller, sessionId, protocolVersion } = context;
    const scope = createReadScope(context);
    const described = await Promise.all(
      scope.policy
        .visibleTypes()
        .map(async (type) => ({ contentType: type.uid, ...(await describePermissions(scope, type)) })),
    );
    // A type on which Strapi's RBAC leaves no action is not something the caller can use.
    const permissions = described.filter((entry) => entry.actions.length > 0);
    return toolResult({
      user: {
        id: caller.adminUser.id,
        email: caller.adminUser.email,
        firstname: caller.adminUser.firstname ?? null,
        lastname: caller.adminUser.lastname ?? null,
      },
      role: scope.policy.role,
      roleClaim: caller.role,
      roleProblem: describeRoleProblem(scope.policy),
      scopes: formatScopes(caller.scopes),
      tenant: caller.tenant,
      subject: caller.subject,
      sessionId: sessionId || null,
      protocolVersion,
      mutations: mutationModeOf(context.strapi, scope.policy.config),
      permissions,
    });
  },
};

import { z } from 'zod';
import { createReadScope } from '../content/read-scope';
import { summarizeType } from '../content/describe';
import type { McpToolDefinition } from '../extension/definitions';
import { toolResult } from '../extension/tool-results';
import { availableWithAnyType } from './run-content-tool';
import { contentTypeSummary, READ_ONLY } from './arguments';

const summary = z.object({
  ...contentTypeSummary,
  readableFields: z.array(z.string()),
  writableFields: z.array(z.string()),
});

export const listContentTypes: McpToolDefinition = {
  name: 'list_content_types',
  title: 'List content types',
  description:
    'Lists the content types you may use: kind (collection or single type), draft & publish, i18n, tenant, the actions ' +
    'your role has, and the fields you may read and write. Private fields never appear.',
  inputSchema: {},
  outputSchema: { contentTypes: z.array(summary) },
  annotations: READ_ONLY,
  isAvailableTo: availableWithAnyType,
  handler: async (_args, context) => {
    const scope = createReadScope(context);
    // The types listed are those Strapi's RBAC opens too, as in tools/list.
    await scope.policy.loadRbacGrants();
    const types = scope.policy.visibleTypes();
    return toolResult({ contentTypes: await Promise.all(types.map((type) => summarizeType(scope, type))) });
  },
};

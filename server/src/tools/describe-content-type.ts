import { z } from 'zod';
import { createReadScope } from '../content/read-scope';
import { describeType } from '../content/describe';
import type { McpToolDefinition } from '../extension/definitions';
import { toolResult } from '../extension/tool-results';
import { availableWithAnyType } from './run-content-tool';
import { contentTypeArg, contentTypeSummary, READ_ONLY } from './arguments';

const inputSchema = { contentType: contentTypeArg };

export const describeContentType: McpToolDefinition<typeof inputSchema> = {
  name: 'describe_content_type',
  title: 'Describe a content type',
  description:
    'The schema of one content type as you may use it: every field you may read, marked writable or not, with its ' +
    'type, enumeration values, relation target, components, and the locales of localized types.',
  inputSchema,
  outputSchema: {
    ...contentTypeSummary,
    tenantField: z.string().optional(),
    locales: z.array(z.object({ code: z.string(), default: z.boolean() })).optional(),
    fields: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.record(z.string(), z.unknown()),
  },
  annotations: READ_ONLY,
  isAvailableTo: availableWithAnyType,
  handler: async ({ contentType }, context) => {
    const scope = createReadScope(context);
    context.audit.note({ action: 'describe' });
    const type = await scope.policy.resolveVisibleType(contentType);
    context.audit.note({ contentType: type.uid });
    return toolResult(await describeType(scope, type));
  },
};

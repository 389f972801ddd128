import type { Struct } from '@strapi/strapi';
import { z } from 'zod';
import type { McpToolDefinition } from '../mcp/definitions';
import { toolResult } from '../mcp/tool-results';
import { getService } from '../services/get-service';

type Attribute = Record<string, unknown> & { type: string; private?: boolean };

/** The attribute facts an agent needs to build a call; never private or password attributes. */
const describeAttribute = (attribute: Attribute) => {
  const described: Record<string, unknown> = { type: attribute.type };
  for (const key of [
    'required',
    'unique',
    'enum',
    'relation',
    'target',
    'component',
    'repeatable',
    'multiple',
    'allowedTypes',
    'minLength',
    'maxLength',
    'min',
    'max',
    'default',
  ] as const) {
    if (attribute[key] !== undefined) described[key] = attribute[key];
  }
  if ((attribute.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === false) {
    described.localized = false;
  }
  return described;
};

export const isHiddenAttribute = (attribute: Attribute) => attribute.private === true || attribute.type === 'password';

export const describeContentType = (contentType: Struct.ContentTypeSchema) => ({
  uid: contentType.uid,
  singularName: contentType.info.singularName,
  pluralName: contentType.info.pluralName,
  displayName: contentType.info.displayName,
  description: contentType.info.description ?? null,
  kind: contentType.kind,
  draftAndPublish: contentType.options?.draftAndPublish === true,
  localized: (contentType.pluginOptions as { i18n?: { localized?: boolean } } | undefined)?.i18n?.localized === true,
  attributes: Object.fromEntries(
    Object.entries(contentType.attributes as Record<string, Attribute>)
      .filter(([, attribute]) => !isHiddenAttribute(attribute))
      .map(([name, attribute]) => [name, describeAttribute(attribute)]),
  ),
});

const contentTypeSummary = z.object({
  uid: z.string(),
  singularName: z.string(),
  pluralName: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  kind: z.enum(['collectionType', 'singleType']),
  draftAndPublish: z.boolean(),
  localized: z.boolean(),
  attributes: z.record(z.string(), z.record(z.string(), z.unknown())),
});

export const listContentTypes: McpToolDefinition = {
  name: 'list_content_types',
  title: 'List content types',
  description:
    'Lists the Strapi content types this server exposes, with their kind (collection or single type), ' +
    'draft & publish and i18n settings, and their attributes (private fields are never shown).',
  inputSchema: {},
  outputSchema: { contentTypes: z.array(contentTypeSummary) },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: (_args, { strapi }) =>
    toolResult({
      contentTypes: [...getService(strapi, 'policy').exposedContentTypes().values()].map(describeContentType),
    }),
};

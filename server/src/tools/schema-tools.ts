import type { Core } from '@strapi/strapi';
import { z } from 'zod';
import { McpToolError } from '../errors';
import type { AvailabilityCheck, McpToolContext, McpToolDefinition } from '../extension/definitions';
import { toolResult } from '../extension/tool-results';
import { getService } from '../services/get-service';
import { contentTypeBuilderOf, type BuilderModel } from '../schema/content-type-builder';
import { modelDataAtRisk } from '../schema/data-at-risk';
import { schemaToolsOfferedTo } from '../schema/developer-mode';
import {
  assertEditable,
  assertTargetsExist,
  componentUidFor,
  contentTypeUidFor,
  createdAttributes,
  editComponent,
  editContentType,
  relationsTo,
  usesOfComponent,
  type AttributeProperties,
} from '../schema/model-edits';
import { assertSchemaToolsAllowed, runSchemaChange } from '../schema/schema-change';
import { READ_ONLY } from './arguments';

/**
 * Developer mode's schema tools: the content model read and changed through the Content-Type Builder's own code.
 * Registered only under `strapi develop` (register.ts), offered only to the configured policy roles.
 */

const offered: AvailabilityCheck = (_caller, strapi, policy) =>
  schemaToolsOfferedTo(strapi, getService(strapi, 'settings').get(), policy);

const attributeProperties = z
  .looseObject({ type: z.string().min(1) })
  .describe(
    'An attribute as the Content-Type Builder writes it in schema.json: { type, ...options }. E.g. { type: "string", ' +
      'required: true, maxLength: 120 }, { type: "enumeration", enum: ["a","b"] }, { type: "relation", relation: ' +
      '"manyToOne", target: "api::category.category", targetAttribute: "articles" }, { type: "component", component: ' +
      '"shared.seo", repeatable: false }, { type: "media", multiple: false, allowedTypes: ["images"] }, ' +
      '{ type: "dynamiczone", components: [...] }. Localized types: pluginOptions.i18n.localized per attribute.',
  );
const attributesArg = z.record(z.string(), attributeProperties);
const attributeEdits = {
  add: attributesArg.optional().describe('New attributes by name.'),
  change: z
    .record(z.string(), z.record(z.string(), z.unknown()))
    .optional()
    .describe('Attributes to change, by name: the options given replace those options; a new type replaces them all.'),
  rename: z
    .record(z.string(), z.string().min(1))
    .optional()
    .describe('Attributes to rename, { old: new }. Like the Content-Type Builder, stored values are not carried over.'),
  remove: z.array(z.string().min(1)).optional().describe('Attributes to remove.'),
};
const dryRun = z
  .boolean()
  .optional()
  .describe('Validate and show the schema before and after and the files that would change, writing nothing.');
const confirm = z
  .boolean()
  .optional()
  .describe('Required when the change drops stored values (removed, renamed or retyped attributes, deleted models).');

const builderModels = async (strapi: Core.Strapi) => {
  const schema = await contentTypeBuilderOf(strapi).getSchema();
  return {
    contentTypes: Object.values(schema.contentTypes).map((model) => ({ ...model, modelType: 'contentType' as const })),
    components: Object.values(schema.components).map((model) => ({ ...model, modelType: 'component' as const })),
  };
};

const findContentType = (models: BuilderModel[], name: string) => {
  const model = models.find((candidate) => candidate.uid === name || candidate.uid === contentTypeUidFor(name));
  if (!model) throw new McpToolError(`No content type ${name}: give its uid (api::article.article) or singular name`);
  return model;
};

const findComponent = (models: BuilderModel[], uid: string) => {
  const model = models.find((candidate) => candidate.uid === uid);
  if (!model) {
    throw new McpToolError(`No component ${uid}; components: ${models.map((candidate) => candidate.uid).join(', ')}`);
  }
  return model;
};

/** What a change means for the plugin's exposure: new types are never exposed by themselves. */
const exposureOf = (strapi: Core.Strapi, uid: string, created: boolean) => {
  const exposed = getService(strapi, 'policy').compiled().types.has(uid);
  if (exposed) {
    return (
      `${uid} is exposed to MCP tools: after the restart its new attributes follow its field rules (readable and ` +
      `writable for the roles with those actions on it, unless contentTypes["${uid}"].fields says otherwise). ` +
      `Strapi admin roles other than Super Admin need new fields ticked in Settings → Roles.`
    );
  }
  return (
    `${uid} ${created ? 'is new and ' : ''}is not exposed to MCP tools. To expose it, add "${uid}" to contentTypes ` +
    `in the mcp-server plugin config (config/plugins) or in Settings → MCP Server → Content types.`
  );
};

const schemaTool = <Shape extends Record<string, z.ZodType>>(
  definition: Omit<McpToolDefinition<Shape>, 'isAvailableTo' | 'annotations'> & { destructive?: boolean },
): McpToolDefinition<Shape> => ({
  ...definition,
  annotations: {
    readOnlyHint: false,
    destructiveHint: definition.destructive ?? false,
    idempotentHint: false,
    openWorldHint: false,
  },
  isAvailableTo: offered,
});

const summaryOf = (model: BuilderModel) => ({
  uid: model.uid,
  category: model.category,
  displayName: model.info.displayName,
  attributes: Object.fromEntries(model.attributes.map((attribute) => [attribute.name, attribute.type])),
});

const listComponentsSchema = {};
export const listComponents: McpToolDefinition<typeof listComponentsSchema> = {
  name: 'list_components',
  title: 'List components (developer mode)',
  description:
    'Developer mode: every component of the content model, with its category, attributes and where it is used.',
  inputSchema: listComponentsSchema,
  annotations: READ_ONLY,
  isAvailableTo: offered,
  handler: async (_args, context) => {
    await assertSchemaToolsAllowed(context);
    context.audit.note({ action: 'schema.list-components' });
    const { contentTypes, components } = await builderModels(context.strapi);
    const all = [...contentTypes, ...components];
    return toolResult({
      components: components.map((model) => ({ ...summaryOf(model), usedBy: usesOfComponent(all, model.uid) })),
    });
  },
};

const describeComponentSchema = { uid: z.string().min(1).describe('The component uid, e.g. shared.seo.') };
export const describeComponent: McpToolDefinition<typeof describeComponentSchema> = {
  name: 'describe_component',
  title: 'Describe a component (developer mode)',
  description: 'Developer mode: one component as the Content-Type Builder sees it: every attribute with its options.',
  inputSchema: describeComponentSchema,
  annotations: READ_ONLY,
  isAvailableTo: offered,
  handler: async ({ uid }, context) => {
    await assertSchemaToolsAllowed(context);
    context.audit.note({ action: 'schema.describe-component', contentType: uid });
    const { contentTypes, components } = await builderModels(context.strapi);
    const model = findComponent(components, uid);
    return toolResult({
      uid: model.uid,
      category: model.category,
      displayName: model.info.displayName,
      icon: model.info.icon,
      description: model.info.description,
      collectionName: model.collectionName,
      attributes: Object.fromEntries(
        model.attributes.map(({ name, ...properties }) => [name, properties as Record<string, unknown>]),
      ),
      usedBy: usesOfComponent([...contentTypes, ...components], uid),
    });
  },
};

const withExposure = (context: McpToolContext, result: Awaited<ReturnType<typeof runSchemaChange>>, created: boolean) =>
  toolResult({ ...result, exposure: exposureOf(context.strapi, result.target, created) });

const createContentTypeSchema = {
  singularName: z.string().min(1).describe('kebab-case, e.g. faq; the uid becomes api::faq.faq.'),
  pluralName: z.string().min(1).describe('kebab-case, e.g. faqs.'),
  displayName: z.string().min(1),
  kind: z.enum(['collectionType', 'singleType']).optional().describe('collectionType (default) or singleType.'),
  description: z.string().optional(),
  draftAndPublish: z.boolean().optional().describe('Draft & publish (default true, as in the Content-Type Builder).'),
  localized: z.boolean().optional().describe('Localized with i18n: every attribute localized unless it says not.'),
  attributes: attributesArg.describe('The attributes by name.'),
  dryRun,
};
export const createContentType = schemaTool({
  name: 'create_content_type',
  title: 'Create a content type (developer mode)',
  description:
    'Developer mode: creates a content type with its API (routes, controller, service), as the Content-Type Builder ' +
    'does, then Strapi restarts. A new type is not exposed to MCP tools until it is configured.',
  inputSchema: createContentTypeSchema,
  handler: async (args, context) => {
    const uid = contentTypeUidFor(args.singularName);
    context.audit.note({ action: 'schema.create-content-type', contentType: uid });
    await assertSchemaToolsAllowed(context);
    assertTargetsExist(context.strapi, args.attributes, { contentType: uid });
    const localized = args.localized ?? false;
    const result = await runSchemaChange(context, {
      action: 'schema.create-content-type',
      target: uid,
      payload: {
        components: [],
        contentTypes: [
          {
            action: 'create',
            uid,
            kind: args.kind ?? 'collectionType',
            singularName: args.singularName,
            pluralName: args.pluralName,
            displayName: args.displayName,
            description: args.description ?? '',
            draftAndPublish: args.draftAndPublish ?? true,
            options: {},
            pluginOptions: localized ? { i18n: { localized: true } } : {},
            attributes: createdAttributes(args.attributes as Record<string, AttributeProperties>, localized),
          },
        ],
      },
      dataAtRisk: [],
      dryRun: args.dryRun ?? false,
      confirm: false,
    });
    return withExposure(context, result, true);
  },
});

const updateContentTypeSchema = {
  uid: z.string().min(1).describe('The content type: uid (api::article.article) or singular name (article).'),
  displayName: z.string().min(1).optional(),
  description: z.string().optional(),
  kind: z.enum(['collectionType', 'singleType']).optional(),
  draftAndPublish: z.boolean().optional().describe('Switching it off discards draft versions.'),
  localized: z.boolean().optional().describe('Switching it off drops the versions in other locales.'),
  ...attributeEdits,
  confirm,
  dryRun,
};
export const updateContentType = schemaTool({
  name: 'update_content_type',
  title: 'Change a content type (developer mode)',
  description:
    'Developer mode: adds, changes, renames or removes attributes (relations included) and changes the settings ' +
    '(name, kind, draft & publish, localization) of a content type, as the Content-Type Builder does; then Strapi ' +
    'restarts. A change that drops stored values names them and needs confirm: true.',
  inputSchema: updateContentTypeSchema,
  destructive: true,
  handler: async ({ uid, confirm: confirmed, dryRun: dry, ...edits }, context) => {
    context.audit.note({ action: 'schema.update-content-type', contentType: uid });
    await assertSchemaToolsAllowed(context);
    const { contentTypes } = await builderModels(context.strapi);
    const model = findContentType(contentTypes, uid);
    const { change, dataAtRisk } = await editContentType(context.strapi, model, edits as never);
    const result = await runSchemaChange(context, {
      action: 'schema.update-content-type',
      target: model.uid,
      payload: { components: [], contentTypes: [change] },
      dataAtRisk,
      dryRun: dry ?? false,
      confirm: confirmed ?? false,
    });
    return withExposure(context, result, false);
  },
});

const deleteContentTypeSchema = {
  uid: z.string().min(1).describe('The content type: uid or singular name.'),
  confirm,
  dryRun,
};
export const deleteContentType = schemaTool({
  name: 'delete_content_type',
  title: 'Delete a content type (developer mode)',
  description:
    'Developer mode: deletes a content type and its API folder, and the relations of other types pointing at it, as ' +
    'the Content-Type Builder does; then Strapi restarts. A type holding documents needs confirm: true.',
  inputSchema: deleteContentTypeSchema,
  destructive: true,
  handler: async ({ uid, confirm: confirmed, dryRun: dry }, context) => {
    context.audit.note({ action: 'schema.delete-content-type', contentType: uid });
    await assertSchemaToolsAllowed(context);
    const { strapi } = context;
    const { contentTypes, components } = await builderModels(strapi);
    const model = findContentType(contentTypes, uid);
    assertEditable(model);
    if (model.plugin)
      throw new McpToolError(`${model.uid} belongs to the ${model.plugin} plugin: it cannot be deleted`);
    const alsoChanges = relationsTo([...contentTypes, ...components], model.uid);
    const result = await runSchemaChange(context, {
      action: 'schema.delete-content-type',
      target: model.uid,
      payload: { components: [], contentTypes: [{ action: 'delete', uid: model.uid }] },
      dataAtRisk: await modelDataAtRisk(strapi, model.uid, 'every document (the type is deleted)'),
      alsoChanges,
      dryRun: dry ?? false,
      confirm: confirmed ?? false,
    });
    return toolResult(result);
  },
});

const createComponentSchema = {
  category: z.string().min(1).describe('The category, e.g. shared; the uid becomes <category>.<name>.'),
  displayName: z.string().min(1),
  icon: z.string().optional(),
  description: z.string().optional(),
  attributes: attributesArg.describe('The attributes by name.'),
  dryRun,
};
export const createComponent = schemaTool({
  name: 'create_component',
  title: 'Create a component (developer mode)',
  description:
    'Developer mode: creates a component, as the Content-Type Builder does; then Strapi restarts. Once it has, use ' +
    'it in a type with update_content_type (an attribute { type: "component", component: "<uid>" }).',
  inputSchema: createComponentSchema,
  handler: async (args, context) => {
    const uid = componentUidFor(args.category, args.displayName);
    context.audit.note({ action: 'schema.create-component', contentType: uid });
    await assertSchemaToolsAllowed(context);
    assertTargetsExist(context.strapi, args.attributes, { component: uid });
    const result = await runSchemaChange(context, {
      action: 'schema.create-component',
      target: uid,
      payload: {
        contentTypes: [],
        components: [
          {
            action: 'create',
            uid,
            category: args.category,
            displayName: args.displayName,
            ...(args.icon ? { icon: args.icon } : {}),
            description: args.description ?? '',
            config: {},
            attributes: createdAttributes(args.attributes as Record<string, AttributeProperties>, false),
          },
        ],
      },
      dataAtRisk: [],
      dryRun: args.dryRun ?? false,
      confirm: false,
    });
    return toolResult(result);
  },
});

const updateComponentSchema = {
  uid: z.string().min(1).describe('The component uid, e.g. shared.seo.'),
  displayName: z.string().min(1).optional(),
  category: z.string().min(1).optional(),
  icon: z.string().optional(),
  description: z.string().optional(),
  ...attributeEdits,
  confirm,
  dryRun,
};
export const updateComponent = schemaTool({
  name: 'update_component',
  title: 'Change a component (developer mode)',
  description:
    'Developer mode: adds, changes, renames or removes attributes of a component, or renames it, as the ' +
    'Content-Type Builder does; then Strapi restarts. A change that drops stored values needs confirm: true.',
  inputSchema: updateComponentSchema,
  destructive: true,
  handler: async ({ uid, confirm: confirmed, dryRun: dry, ...edits }, context) => {
    context.audit.note({ action: 'schema.update-component', contentType: uid });
    await assertSchemaToolsAllowed(context);
    const { components } = await builderModels(context.strapi);
    const model = findComponent(components, uid);
    const { change, dataAtRisk } = await editComponent(context.strapi, model, edits as never);
    const result = await runSchemaChange(context, {
      action: 'schema.update-component',
      target: model.uid,
      payload: { contentTypes: [], components: [change] },
      dataAtRisk,
      dryRun: dry ?? false,
      confirm: confirmed ?? false,
    });
    return toolResult(result);
  },
});

const deleteComponentSchema = { uid: z.string().min(1).describe('The component uid.'), confirm, dryRun };
export const deleteComponent = schemaTool({
  name: 'delete_component',
  title: 'Delete a component (developer mode)',
  description:
    'Developer mode: deletes a component and removes it from the types and components using it, as the ' +
    'Content-Type Builder does; then Strapi restarts. A component holding stored values needs confirm: true.',
  inputSchema: deleteComponentSchema,
  destructive: true,
  handler: async ({ uid, confirm: confirmed, dryRun: dry }, context) => {
    context.audit.note({ action: 'schema.delete-component', contentType: uid });
    await assertSchemaToolsAllowed(context);
    const { strapi } = context;
    const { contentTypes, components } = await builderModels(strapi);
    const model = findComponent(components, uid);
    assertEditable(model);
    const result = await runSchemaChange(context, {
      action: 'schema.delete-component',
      target: model.uid,
      payload: { contentTypes: [], components: [{ action: 'delete', uid: model.uid }] },
      dataAtRisk: await modelDataAtRisk(strapi, model.uid, 'every stored value (the component is deleted)'),
      alsoChanges: usesOfComponent([...contentTypes, ...components], model.uid),
      dryRun: dry ?? false,
      confirm: confirmed ?? false,
    });
    return toolResult(result);
  },
});

export const schemaTools = [
  listComponents,
  describeComponent,
  createContentType,
  updateContentType,
  deleteContentType,
  createComponent,
  updateComponent,
  deleteComponent,
] as McpToolDefinition[];

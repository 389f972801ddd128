import { z } from 'zod';
import { createDocumentOperation } from '../../content/operations/create-document';
import { deleteDocumentOperation } from '../../content/operations/delete-document';
import { findDocumentsOperation } from '../../content/operations/find-documents';
import { getDocumentOperation } from '../../content/operations/get-document';
import { publishDocumentOperation } from '../../content/operations/publish-document';
import { updateDocumentOperation } from '../../content/operations/update-document';
import type { ContentOperation } from '../../content/pipeline/content-call';
import type { ArgsShape, FullInputSchema, McpToolDefinition } from '../../extension/definitions';
import type { CompiledPolicy, Operation, TypePolicy } from '../../services/policy';
import { actionsOn, reachOf } from '../../services/policy/roles';
import { documentIdArg, fieldsArg, filtersArg, populateArg, sortArg } from '../arguments';
import { createDocument } from '../create-document';
import { deleteDocument } from '../delete-document';
import { findDocuments } from '../find-documents';
import { getDocument } from '../get-document';
import { publishDocument } from '../publication-tools';
import { runContentTool } from '../run-content-tool';
import { updateDocument } from '../update-document';
import { dataSchema, readableOf } from './field-schemas';
import type { PerTypeVerb } from './names';

/** Each verb is a generic tool with `contentType` fixed: its operation, its output schema, its annotations. */
const GENERIC: Record<
  PerTypeVerb,
  { tool: McpToolDefinition; operation: ContentOperation<never, unknown>; needs: Operation }
> = {
  list: { tool: findDocuments as McpToolDefinition, operation: findDocumentsOperation, needs: 'read' },
  get: { tool: getDocument as McpToolDefinition, operation: getDocumentOperation, needs: 'read' },
  create: { tool: createDocument as McpToolDefinition, operation: createDocumentOperation, needs: 'create' },
  update: { tool: updateDocument as McpToolDefinition, operation: updateDocumentOperation, needs: 'update' },
  delete: { tool: deleteDocument as McpToolDefinition, operation: deleteDocumentOperation, needs: 'delete' },
  publish: { tool: publishDocument as McpToolDefinition, operation: publishDocumentOperation, needs: 'publish' },
};

/** Collection types get every verb; single types `get`, `update` and `publish`; `publish` needs draft & publish. */
export const verbsOf = (type: TypePolicy): PerTypeVerb[] =>
  (type.isSingleType
    ? (['get', 'update', 'publish'] as PerTypeVerb[])
    : (['list', 'get', 'create', 'update', 'delete', 'publish'] as PerTypeVerb[])
  ).filter((verb) => verb !== 'publish' || type.hasDraftAndPublish);

const listOf = (names: string[]) => (names.length > 0 ? names.join(', ') : 'none');

/** The generic tool's arguments for one type and role: `contentType` fixed, the rest narrowed to what applies. */
const inputShapeOf = (
  verb: PerTypeVerb,
  type: TypePolicy,
  policy: CompiledPolicy,
  role: string,
  crossTenant: boolean,
): ArgsShape => {
  const { contentType: _fixed, ...shape } = GENERIC[verb].tool.inputSchema as ArgsShape;
  const display = type.schema.info.displayName;
  if ('documentId' in shape) {
    if (type.isSingleType) delete shape.documentId;
    else shape.documentId = documentIdArg.unwrap().describe(`The documentId of the ${display} document.`);
  }
  if (!type.isLocalized) delete shape.locale;
  if (!type.hasDraftAndPublish) delete shape.status;
  if ('data' in shape) shape.data = dataSchema(policy, type, role, crossTenant);
  if ('fields' in shape) {
    const { scalar, linked } = readableOf(policy, type, role);
    const selectable = ['id', 'documentId', ...scalar];
    shape.fields = z
      .array(z.enum(selectable as [string, ...string[]]))
      .optional()
      .describe(fieldsArg.description!);
    shape.populate = populateArg.describe(`${populateArg.description} Populatable fields: ${listOf(linked)}.`);
    if ('filters' in shape) {
      shape.filters = filtersArg.describe(`${filtersArg.description} Fields: ${listOf(selectable)}.`);
      shape.sort = sortArg.describe(`${sortArg.description} Sortable fields: ${listOf(scalar)}.`);
    }
  }
  return shape;
};

/** Definitions made here, so the mutation fence knows them as running through the content pipeline. */
const generated = new WeakSet<McpToolDefinition>();
export const isPerTypeTool = (tool: McpToolDefinition) => generated.has(tool);

/**
 * The typed tool `<verb>_<type>` for one role: the generic tool's operation with `contentType` fixed to the type's
 * uid, run through the same pipeline (rules, audit row, dry run, confirmation, mutation fence, limits), with input
 * schemas narrowed to the fields the role may read or write. Offered to a caller whose policy, scopes and Strapi
 * permissions let it perform the operation on this type, as the generic tool's own check decides for any type.
 */
export const perTypeTool = (
  verb: PerTypeVerb,
  name: string,
  type: TypePolicy,
  policy: CompiledPolicy,
  role: string,
  crossTenant: boolean,
): McpToolDefinition => {
  const { tool, operation, needs } = GENERIC[verb];
  const run = runContentTool(operation as ContentOperation<Record<string, unknown>, unknown>);
  const display = type.schema.info.displayName;
  const definition: McpToolDefinition = {
    name,
    title: `${tool.title} (${display})`,
    description: `${display} (${type.uid}) only: ${tool.name} with this contentType, the same rules and audit. ${tool.description}`,
    inputSchema: z.strictObject(inputShapeOf(verb, type, policy, role, crossTenant)) as unknown as FullInputSchema,
    outputSchema: tool.outputSchema,
    annotations: tool.annotations,
    isAvailableTo: (_caller, _strapi, callPolicy) =>
      callPolicy.typesFor(needs).some((candidate) => candidate.uid === type.uid),
    handler: (args, context) => run({ ...args, contentType: type.uid }, context),
  };
  generated.add(definition);
  return definition;
};

/** Whether the policy gives the role the operation of this verb on the type (scopes and Strapi's RBAC aside). */
export const roleMay = (policy: CompiledPolicy, role: string, type: TypePolicy, verb: PerTypeVerb) =>
  reachOf(actionsOn(policy, role, type), GENERIC[verb].needs) !== null;

import { z } from 'zod';
import type { Attribute, CompiledPolicy, TypePolicy } from '../../services/policy';
import { isScalar, isToMany, readableFields, writableFields } from '../../services/policy/fields';
import { actionsOn, reachOf } from '../../services/policy/roles';

/**
 * The field schemas of the typed tools: what a role may read and write on one type, described from the policy's field
 * rules (the same lists the pipeline starts from). They describe; the pipeline still decides every call, with Strapi's
 * field-level permissions on top.
 */

const documentIdItem = z.string().min(1).max(64);
/** A relation item as the generic tools take it: a documentId, or `{ documentId, locale?, position? }`. */
const relationItem = z.union([
  documentIdItem,
  z.looseObject({ documentId: documentIdItem, locale: z.string().optional(), position: z.unknown().optional() }),
]);
const relationOperations = z
  .looseObject({
    connect: z.array(relationItem).optional(),
    disconnect: z.array(relationItem).optional(),
    set: z.array(relationItem).optional(),
  })
  .describe('connect, disconnect or set: lists of documentIds');
const fileId = z.union([z.number().int().min(1), z.object({ id: z.number().int().min(1) })]);

const DATE_FORMATS: Record<string, string> = {
  date: 'a date, YYYY-MM-DD',
  datetime: 'an ISO 8601 date and time',
  timestamp: 'an ISO 8601 date and time',
  time: 'a time, HH:mm:ss.SSS',
};

/** The value a write may give one attribute, as loosely as the generic tools take it (the pipeline checks the rest). */
const valueSchema = (attribute: Attribute): z.ZodType => {
  switch (attribute.type) {
    case 'string':
    case 'text':
    case 'richtext':
    case 'email':
    case 'uid':
      return z.string();
    case 'enumeration':
      return attribute.enum && attribute.enum.length > 0 ? z.enum(attribute.enum as [string, ...string[]]) : z.string();
    case 'integer':
      return z.number().int();
    case 'float':
    case 'decimal':
      return z.number();
    case 'biginteger':
      return z.union([z.string().regex(/^-?\d+$/), z.number().int()]);
    case 'boolean':
      return z.boolean();
    case 'date':
    case 'datetime':
    case 'timestamp':
    case 'time':
      return z.string().describe(DATE_FORMATS[attribute.type]);
    case 'blocks':
      return z.array(z.record(z.string(), z.unknown())).describe('Strapi blocks: a list of block nodes');
    case 'relation':
      return isToMany(attribute)
        ? z
            .union([z.array(relationItem), relationOperations])
            .describe(`documentIds of ${attribute.target} documents you may read`)
        : z
            .union([relationItem, relationOperations])
            .describe(`the documentId of a ${attribute.target} document you may read`);
    case 'media':
      return (attribute.multiple ? z.array(fileId) : fileId).describe('file ids from list_media or upload_media');
    case 'component': {
      const entry = z.record(z.string(), z.unknown());
      return (attribute.repeatable ? z.array(entry) : entry).describe(
        `the ${attribute.component} component (describe_content_type lists its fields)`,
      );
    }
    case 'dynamiczone':
      return z
        .array(z.looseObject({ __component: z.enum((attribute.components ?? ['']) as [string, ...string[]]) }))
        .describe('a list of components, each with its __component');
    default:
      return z.unknown();
  }
};

/** Whether the role may read a relation's target type: a link to a type it cannot read is not writable either. */
const readsTarget = (policy: CompiledPolicy, role: string, attribute: Attribute) => {
  if (attribute.type !== 'relation') return true;
  const target = policy.types.get(attribute.target as string);
  return target !== undefined && reachOf(actionsOn(policy, role, target), 'read') !== null;
};

/** Fields the role may read: scalar ones (for `fields`, `filters`, `sort`) and the others (for `populate`). */
export const readableOf = (policy: CompiledPolicy, type: TypePolicy, role: string) => {
  const readable = readableFields(policy, type, role).filter((name) =>
    readsTarget(policy, role, type.attributes[name]),
  );
  return {
    scalar: readable.filter((name) => isScalar(type.attributes[name])),
    linked: readable.filter((name) => !isScalar(type.attributes[name])),
  };
};

/**
 * `data` of a create or update: an object of the fields this role may write, each typed from its attribute. The
 * listed schema says `additionalProperties: false`, so a model is shown only what it may write; arguments are
 * validated loosely, so a field outside the list reaches the pipeline, which refuses it naming the writable fields
 * (`onForbiddenField: 'reject'`) or drops it into `droppedFields` (`'strip'`), exactly as the generic tools do.
 */
export const dataSchema = (policy: CompiledPolicy, type: TypePolicy, role: string, crossTenant: boolean) => {
  const writable = writableFields(policy, type, role).filter((name) =>
    readsTarget(policy, role, type.attributes[name]),
  );
  const shape: Record<string, z.ZodType> = Object.fromEntries(
    writable.map((name) => [name, valueSchema(type.attributes[name]).nullable().optional()]),
  );
  // A role that works across tenants, called without a tenant claim, names the tenant of a new document.
  if (crossTenant && type.tenantField) {
    shape[type.tenantField] = z
      .string()
      .optional()
      .describe('Set for you from your tenant claim; without one (your role works across tenants) name the tenant.');
  }
  const names = Object.keys(shape);
  return z.looseObject(shape).meta({
    additionalProperties: false,
    description:
      `Field values: ${names.length > 0 ? names.join(', ') : 'none'}. Only these fields are writable for your role; ` +
      'relations by documentId ("abc", ["a", "b"], or { connect, disconnect, set }); media by file id.',
  });
};

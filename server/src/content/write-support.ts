import { errors } from '@strapi/utils';
import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import type { TypePolicy } from '../services/policy';
import { isRelation, isToMany } from '../services/policy/fields';
import type { CallScope } from './call-scope';
import { and } from './filters';
import type { CheckedInput } from './input-guard';

type Doc = Record<string, unknown>;

/**
 * Relation writes (`connect`, `set`, plain documentIds) may only point at documents the caller could read: same tenant,
 * same owner where reads are `*-own`, allowed by Strapi's conditions. Media ids must exist.
 */
export const checkLinkTargets = async (scope: CallScope, input: CheckedInput) => {
  const view = await scope.view();
  for (const [uid, ids] of input.relationTargets) {
    const target = view.typeOf(uid);
    if (!target) throw new PolicyRefusal(`you may not link to ${uid}`);
    const found = (await scope.strapi.documents(uid as never).findMany({
      filters: and([{ documentId: { $in: [...ids] } }, ...target.scope]),
      fields: ['documentId'],
      ...(target.type.isLocalized ? { locale: '*' } : {}),
    } as never)) as Doc[];
    const visible = new Set(found.map((document) => document.documentId));
    const missing = [...ids].filter((id) => !visible.has(id));
    if (missing.length > 0) {
      throw new PolicyRefusal(
        `cannot link to ${target.type.schema.info.singularName} ${missing.join(', ')}: not found or not visible to you`,
      );
    }
  }
  if (input.mediaIds.size > 0) {
    // Linking a file shows it back in the result: the caller must be allowed to read it in the media library.
    const condition = await scope.policy.requireAdminAction(
      'plugin::upload.read',
      'plugin::upload.file',
      'your Strapi admin role may not read the media library, so it may not attach files',
    );
    const files = await scope.strapi.db
      .query('plugin::upload.file')
      .findMany({ where: and([{ id: { $in: [...input.mediaIds] } }, condition]), select: ['id'] });
    const existing = new Set(files.map((file: { id: number }) => file.id));
    const missing = [...input.mediaIds].filter((id) => !existing.has(id));
    if (missing.length > 0) throw new McpToolError(`media file ${missing.join(', ')} not found`);
  }
};

const isPlainObject = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const documentIdOf = (item: unknown) => (typeof item === 'string' ? item : ((item as Doc).documentId as string));

/**
 * Replacing a to-many relation (`set`, a plain list, `null`) would also drop the links the caller cannot see, such as
 * another tenant's articles in a shared category. Such replacements become connect/disconnect against the links the
 * caller can see (`stored` was loaded in scope), leaving the others alone.
 */
export const limitRelationReplacements = async (
  scope: CallScope,
  type: TypePolicy,
  stored: Doc,
  data: Doc,
): Promise<Doc> => {
  const view = await scope.view();
  const limited = { ...data };
  for (const [field, value] of Object.entries(data)) {
    const attribute = type.attributes[field];
    if (!isRelation(attribute) || !isToMany(attribute)) continue;
    if (view.scope(attribute.target as string).length === 0) continue;
    if (isPlainObject(value) && !('set' in value)) continue;
    if (isPlainObject(value) && Object.keys(value).length > 1) {
      throw new McpToolError(`data.${field}: set cannot be combined with connect or disconnect`);
    }
    const wanted = ((value === null ? [] : isPlainObject(value) ? value.set : value) as unknown[]).map(documentIdOf);
    const visible = [...new Set(((stored[field] as Doc[] | null) ?? []).map((link) => link.documentId as string))];
    limited[field] = {
      disconnect: visible.filter((id) => !wanted.includes(id)),
      connect: wanted.filter((id) => !visible.includes(id)),
    };
  }
  return limited;
};

/**
 * How relation values sent as documentIds read in a preview: `"abc"` → `{ documentId: "abc" }`, lists likewise,
 * `{ connect, disconnect, set }` kept as sent.
 */
export const asReferences = (type: TypePolicy, data: Doc): Doc =>
  Object.fromEntries(
    Object.entries(data).map(([field, value]) => {
      if (!isRelation(type.attributes[field])) return [field, value];
      const reference = (item: unknown) => (typeof item === 'string' ? { documentId: item } : item);
      return [field, Array.isArray(value) ? value.map(reference) : reference(value)];
    }),
  );

/** Field-level diff of an update, over the fields it writes: `{ field: { from, to } }`, unchanged fields left out. */
export const diffFields = (before: Doc, changes: Doc): Record<string, { from: unknown; to: unknown }> => {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const [field, to] of Object.entries(changes)) {
    if (field === 'updatedBy' || field === 'createdBy') continue;
    const from = before[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) diff[field] = { from, to };
  }
  return diff;
};

/** Strapi's validation and application errors carry messages meant for users; anything else stays internal. */
export const translateStrapiErrors = async <T>(run: () => Promise<T>): Promise<T> => {
  try {
    return await run();
  } catch (error) {
    if (error instanceof errors.ValidationError) {
      const details = (error.details as { errors?: Array<{ path: string[]; message: string }> } | undefined)?.errors;
      const problems = details?.map((item) => `${item.path.join('.')}: ${item.message}`) ?? [];
      throw new McpToolError(
        `Strapi refused the data: ${problems.length > 0 ? problems.join('; ') : error.message}`,
        undefined,
        'failed',
      );
    }
    if (error instanceof errors.ApplicationError || error instanceof errors.NotFoundError) {
      throw new McpToolError(`Strapi refused the operation: ${error.message}`, undefined, 'failed');
    }
    throw error;
  }
};

/** Validates data as the Document Service would, without writing (dry runs). Relations were checked already. */
export const validateWithoutWriting = async (
  scope: CallScope,
  type: TypePolicy,
  data: Doc,
  options: { isDraft: boolean; locale?: string; stored?: Doc },
) => {
  const withoutRelations = Object.fromEntries(
    Object.entries(data).filter(
      ([field]) => !isRelation(type.attributes[field]) && field !== 'createdBy' && field !== 'updatedBy',
    ),
  );
  const validator = scope.strapi.entityValidator;
  await translateStrapiErrors(() =>
    options.stored
      ? validator.validateEntityUpdate(
          type.schema as never,
          withoutRelations as never,
          { isDraft: options.isDraft, locale: options.locale } as never,
          options.stored as never,
        )
      : validator.validateEntityCreation(
          type.schema as never,
          withoutRelations as never,
          { isDraft: options.isDraft, locale: options.locale } as never,
        ),
  );
};

/**
 * Runs a mutation and writes its audit row in one transaction: the change and its record commit together, or neither.
 */
export const commitWithAudit = async <T>(scope: CallScope, mutate: () => Promise<T>): Promise<T> => {
  const result = await translateStrapiErrors(() =>
    scope.strapi.db.transaction(async () => {
      const value = await mutate();
      await scope.audit.writeInTransaction('allowed');
      return value;
    }),
  );
  scope.audit.markCommitted();
  return result;
};

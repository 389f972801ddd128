import type { TypePolicy } from '../../services/policy';
import { isRelation } from '../../services/policy/fields';
import { shapeDocument } from '../guards/output';
import type { CommonArgs, ContentCall, Doc } from '../pipeline/content-call';
import { typeOf } from '../pipeline/content-call';
import { translateStrapiErrors } from '../strapi-errors';

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

/** The stored target as the caller may read it (the "before" of an update, the document a delete removes). */
export const shapeTarget = async (call: ContentCall<CommonArgs>, document: Doc = call.target!): Promise<Doc> => {
  const view = await call.view();
  const { uid } = typeOf(call);
  return view.typeOf(uid) ? shapeDocument(view, uid, document) : { documentId: document.documentId };
};

/**
 * Validates data as the Document Service would, without writing (dry runs): Strapi's own value validation, including
 * the uniqueness of `unique` and `uid` attributes, which Strapi checks whenever the write makes a published row
 * (always for types without draft & publish). Relations were checked already.
 */
export const validateWithoutWriting = async (
  call: ContentCall<CommonArgs>,
  data: Doc,
  options: { publish: boolean },
) => {
  const type = typeOf(call);
  const withoutRelations = Object.fromEntries(
    Object.entries(data).filter(
      ([field]) => !isRelation(type.attributes[field]) && field !== 'createdBy' && field !== 'updatedBy',
    ),
  );
  const isDraft = type.hasDraftAndPublish && !options.publish;
  const context = { isDraft, locale: call.locale } as never;
  const validator = call.strapi.entityValidator;
  // Publishing replaces the published row: its own values do not count as taken.
  const replaced =
    type.hasDraftAndPublish && options.publish && call.documentId
      ? ((await call.strapi.documents(type.uid as never).findOne({
          documentId: call.documentId,
          locale: call.locale,
          status: 'published',
          fields: ['id'],
        } as never)) as Doc | null)
      : null;
  const entity = replaced ?? call.target;
  await translateStrapiErrors(() =>
    entity
      ? validator.validateEntityUpdate(type.schema as never, withoutRelations as never, context, entity as never)
      : validator.validateEntityCreation(type.schema as never, withoutRelations as never, context),
  );
};

/** What `onForbiddenField: 'strip'` dropped from the data, for the result. */
export const droppedFields = (call: ContentCall<CommonArgs>): Doc =>
  call.input && call.input.dropped.length > 0 ? { droppedFields: call.input.dropped } : {};

import { McpToolError, PolicyRefusal } from '../../errors';
import type { Attribute, Operation, TypePolicy } from '../../services/policy';
import { findBrokenCondition } from '../../services/policy/conditions';
import { isToMany } from '../../services/policy/fields';
import { and } from '../filters';
import { findFilesInScope } from '../media-library';
import { type CommonArgs, type ContentCall, type Doc, typeName, typeOf } from '../pipeline/content-call';
import { CONDITION_POPULATE } from '../stored-document';
import type { RelationChange } from './input-guard';
import { documentIdsOf } from './data-guard';

const refuseLink = (message: string): never => {
  throw new PolicyRefusal(message);
};

/** Documents of a type by documentId, draft versions, in any locale, within filters. */
const findDrafts = (call: ContentCall<CommonArgs>, type: TypePolicy, ids: string[], filters: Doc[], extra: Doc = {}) =>
  call.strapi.documents(type.uid as never).findMany({
    filters: and([{ documentId: { $in: ids } }, ...filters]),
    ...(type.isLocalized ? { locale: '*' } : {}),
    ...extra,
  } as never) as Promise<Doc[]>;

/** Every document a write names must be one the caller may read: same tenant, owner, Strapi conditions. */
const checkReadable = async (call: ContentCall<CommonArgs>) => {
  const view = await call.view();
  for (const [uid, ids] of call.input!.relationTargets) {
    if (ids.size === 0) continue;
    const target = view.typeOf(uid);
    if (!target) refuseLink(`you may not link to ${uid}`);
    const found = await findDrafts(call, target!.type, [...ids], target!.scope, { fields: ['documentId'] });
    const visible = new Set(found.map((document) => document.documentId));
    const missing = [...ids].filter((id) => !visible.has(id));
    if (missing.length > 0) {
      refuseLink(`cannot link to ${typeName(target!.type)} ${missing.join(', ')}: not found or not visible to you`);
    }
  }
};

/** How a refusal names the documents it is about: only those the caller named itself. */
const describeDocuments = (type: TypePolicy, ids: string[], named: ReadonlySet<string>) => {
  const shown = ids.filter((id) => named.has(id));
  return shown.length > 0 ? `${typeName(type)} ${shown.join(', ')}` : `${typeName(type)} documents linked to it`;
};

/**
 * Changing the link of documents is an update of each of them: the role's update right and Strapi's on the type, the
 * caller's update scope (tenant, ownership, Strapi conditions), the field writable, Strapi's entity check, the
 * stored conditions; and where a document has a published version (which Strapi relinks too), the publish right,
 * scope, entity check and conditions as well. Refusals name only the documents the caller named.
 */
const authorizeAsUpdates = async (
  call: ContentCall<CommonArgs>,
  type: TypePolicy,
  field: string,
  ids: string[],
  because: string,
  named: ReadonlySet<string>,
) => {
  const { policy } = call;
  const refuse = (about: string[], reason: string): never =>
    refuseLink(`${because}, which changes ${describeDocuments(type, about, named)}: ${reason}`);
  const inScopeOf = async (operation: Operation, status: 'draft' | 'published') => {
    try {
      const reach = await policy.authorize(type, operation);
      policy.requireTenantClaim(type);
      return await findDrafts(call, type, ids, await policy.scopeFilters(type, operation, reach), {
        status,
        populate: CONDITION_POPULATE,
      });
    } catch (error) {
      if (error instanceof PolicyRefusal) return refuse(ids, error.message);
      throw error;
    }
  };

  if (!(await policy.writable(type, 'update')).includes(field)) {
    refuse(ids, `${field} is not writable for role ${policy.role ?? 'none'}`);
  }
  const drafts = await inScopeOf('update', 'draft');
  const found = new Set(drafts.map((document) => document.documentId as string));
  const outside = ids.filter((id) => !found.has(id));
  if (outside.length > 0) refuse(outside, 'not found or not yours to change');
  for (const document of drafts) {
    const about = [document.documentId as string];
    const allowed =
      (await policy.allowsOn('update', type, document)) && (await policy.allowsOn('update', type, document, field));
    if (!allowed) refuse(about, `${policy.permissionHolder} does not allow that update`);
    const broken = findBrokenCondition(type, { role: policy.role!, action: 'update', stored: document });
    if (broken) refuse(about, broken);
  }

  if (!type.hasDraftAndPublish) return;
  const published = await findDrafts(call, type, ids, [], { status: 'published', fields: ['documentId'] });
  if (published.length === 0) return;
  const publishedIds = new Set(published.map((document) => document.documentId as string));
  const publishable = (await inScopeOf('publish', 'published')).filter((document) =>
    publishedIds.has(document.documentId as string),
  );
  if (publishable.length < publishedIds.size)
    refuse([...publishedIds], 'its published version is not yours to publish');
  for (const document of publishable) {
    const about = [document.documentId as string];
    if (!(await policy.allowsOn('publish', type, document))) {
      refuse(about, `${policy.permissionHolder} does not allow publishing it`);
    }
    const broken = findBrokenCondition(type, { role: policy.role!, action: 'publish', stored: document });
    if (broken) refuse(about, broken);
  }
};

/**
 * The documents linked to the target through a field now, all of them, whether or not the caller sees them: read from
 * this side in its draft and published versions, and from the other side, where the published version of a document
 * may hold a link its draft no longer has.
 */
const currentLinks = async (call: ContentCall<CommonArgs>, field: string): Promise<string[]> => {
  if (!call.documentId) return [];
  const type = typeOf(call);
  const attribute = type.attributes[field];
  const statuses = type.hasDraftAndPublish ? (['draft', 'published'] as const) : (['draft'] as const);
  const versions = await Promise.all(
    statuses.map(
      (status) =>
        call.strapi.documents(type.uid as never).findOne({
          documentId: call.documentId,
          locale: call.locale,
          status,
          fields: ['documentId'],
          populate: { [field]: { fields: ['documentId'] } },
        } as never) as Promise<Doc | null>,
    ),
  );
  const counterpart = (attribute.mappedBy ?? attribute.inversedBy) as string | undefined;
  const otherSide = counterpart
    ? ((await call.strapi.db
        .query(attribute.target as string)
        .findMany({ where: { [counterpart]: { documentId: call.documentId } }, select: ['documentId'] })) as Doc[])
    : [];
  return [
    ...new Set([
      ...versions.flatMap((version) => documentIdsOf(version?.[field])),
      ...otherSide.map((row) => row.documentId as string),
    ]),
  ];
};

/**
 * The other side of a relation field, when writing the field changes the documents there: the field is the side
 * Strapi calls inverse (`mappedBy`), or the other side holds one link only (a document linked here leaves its previous
 * one). `targetType` is undefined when the other side's type is not exposed over MCP.
 */
const changedOtherSide = (call: ContentCall<CommonArgs>, field: string) => {
  const attribute = typeOf(call).attributes[field];
  const counterpartName = (attribute?.mappedBy ?? attribute?.inversedBy) as string | undefined;
  if (!counterpartName) return undefined;
  const targetType = call.policy.policy.types.get(attribute.target as string);
  const targetModel = call.strapi.contentTypes[attribute.target as keyof typeof call.strapi.contentTypes] as
    | { attributes: Record<string, Attribute> }
    | undefined;
  const counterpart = (targetType?.attributes ?? targetModel?.attributes)?.[counterpartName];
  const counterpartIsToOne = counterpart !== undefined && !isToMany(counterpart);
  if (attribute.mappedBy === undefined && !counterpartIsToOne) return undefined;
  return { targetType, counterpartName, counterpartIsToOne, target: attribute.target as string };
};

/**
 * A relation write that changes the documents on the other side authorizes each as an update of its side; a document
 * that loses its only link to one of them (the previous holder) changes too.
 */
const authorizeOtherSides = async (
  call: ContentCall<CommonArgs>,
  change: RelationChange,
  named: ReadonlySet<string>,
) => {
  const other = changedOtherSide(call, change.field);
  if (!other?.targetType) return;
  const type = typeOf(call);
  const linked = [...change.connect, ...(change.replaceWith ?? [])];
  const affected = new Set([...linked, ...change.disconnect]);
  if (change.replaceWith) for (const id of await currentLinks(call, change.field)) affected.add(id);
  if (affected.size === 0) return;
  const because = `linking through ${typeName(type)}.${change.field}`;
  await authorizeAsUpdates(call, other.targetType, other.counterpartName, [...affected], because, named);

  if (!other.counterpartIsToOne || linked.length === 0) return;
  const targets = await findDrafts(call, other.targetType, linked, [], {
    fields: ['documentId'],
    populate: { [other.counterpartName]: { fields: ['documentId'] } },
  });
  const holders = new Set(targets.flatMap((target) => documentIdsOf(target[other.counterpartName])));
  if (call.documentId) holders.delete(call.documentId);
  if (holders.size > 0) await authorizeAsUpdates(call, type, change.field, [...holders], because, named);
};

/**
 * Deleting a document unlinks everything linked to it: where that changes the documents on the other side (a
 * category's articles lose their category), each must be one the caller may update; linked documents of a type not
 * exposed over MCP cannot be, so they keep the delete from happening.
 */
export const checkDeletedLinks = async (call: ContentCall<CommonArgs>) => {
  const type = typeOf(call);
  for (const field of Object.keys(type.attributes)) {
    const other = changedOtherSide(call, field);
    if (!other) continue;
    const links = await currentLinks(call, field);
    if (links.length === 0) continue;
    const because = `deleting this ${typeName(type)} unlinks it from ${field}`;
    if (!other.targetType) refuseLink(`${because}, which changes documents of ${other.target}, not exposed over MCP`);
    await authorizeAsUpdates(call, other.targetType!, other.counterpartName, links, because, new Set());
  }
};

/** Media files attached must exist, be readable in the media library, and be the caller's tenant's. */
const checkMedia = async (call: ContentCall<CommonArgs>) => {
  const ids = [...call.input!.mediaIds];
  if (ids.length === 0) return;
  // Linking a file shows it back in the result: the caller must be allowed to read it in the media library.
  const condition = await call.policy.requireAdminAction(
    'plugin::upload.read',
    'plugin::upload.file',
    `${call.policy.permissionHolder} may not read the media library, so it may not attach files`,
  );
  const view = await call.view();
  const found = await findFilesInScope(call.strapi, ids, [...view.mediaScope, condition]);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new McpToolError(`media file ${missing.join(', ')} not found`);
};

/**
 * The documents and files a write names: readable to the caller; changed by it only with the right to change them.
 */
export const checkLinkedDocuments = async (call: ContentCall<CommonArgs>) => {
  await checkReadable(call);
  const named = new Set([...call.input!.relationTargets.values()].flatMap((ids) => [...ids]));
  for (const change of call.input!.relationChanges) await authorizeOtherSides(call, change, named);
  await checkMedia(call);
};

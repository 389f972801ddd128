import { setCreatorFields } from '@strapi/utils';
import { McpToolError, PolicyRefusal } from '../mcp/definitions';
import { findBrokenCondition } from '../services/policy/conditions';
import type { TypePolicy } from '../services/policy';
import type { CallScope } from './call-scope';
import { checkWriteData, type CheckedInput } from './input-guard';
import { resolveLocale } from './locale-status';
import { shapeDocument } from './output';
import { defaultPopulate, loadTarget } from './stored-document';
import {
  asReferences,
  checkLinkTargets,
  commitWithAudit,
  diffFields,
  limitRelationReplacements,
  validateWithoutWriting,
} from './write-support';

type Doc = Record<string, unknown>;
type Status = 'draft' | 'published';

const typeName = (type: TypePolicy) => type.schema.info.singularName;

const defaultLocaleOf = async (scope: CallScope): Promise<string> =>
  scope.strapi.plugin('i18n').service('locales').getDefaultLocale();

const refuseBrokenCondition = (message: string | undefined) => {
  if (message) throw new PolicyRefusal(message);
};

/** Checks the data against the caller's writable fields; returns it with what `strip` dropped. */
const checkData = async (
  scope: CallScope,
  type: TypePolicy,
  data: unknown,
  operation: 'create' | 'update',
  stored?: Doc,
) => {
  const writable = await scope.policy.writable(type, operation, stored);
  return checkWriteData(data, type, {
    writable,
    role: scope.policy.role ?? 'none',
    onForbiddenField: scope.config.onForbiddenField,
    view: await scope.view(),
    policy: scope.policy.policy,
    componentWritable: await scope.policy.componentFields(type, operation, stored),
  });
};

/** Output of a write: the document as the caller may read it, and what `strip` dropped. */
const writeResult = async (
  scope: CallScope,
  type: TypePolicy,
  document: Doc,
  checked: CheckedInput,
  extra: Doc = {},
) => {
  const view = await scope.view();
  return {
    ...extra,
    data: view.typeOf(type.uid) ? shapeDocument(view, type.uid, document) : { documentId: document.documentId },
    ...(checked.dropped.length > 0 ? { droppedFields: checked.dropped } : {}),
  };
};

export const createDocument = async (
  scope: CallScope,
  args: { contentType: string; data: unknown; locale?: string; status?: Status; dryRun?: boolean },
) => {
  const { policy, strapi } = scope;
  const type = scope.resolveType(args.contentType, 'create');
  await policy.authorize(type, 'create');
  const publish = args.status === 'published' && type.hasDraftAndPublish;
  if (publish) await policy.authorize(type, 'publish');
  const locale = await resolveLocale(strapi, type, args.locale);

  // A single type is one document: a new locale joins the existing document, as in the Content Manager.
  let singleTypeDocumentId: string | undefined;
  if (type.isSingleType) {
    const existing = await strapi.documents(type.uid as never).findFirst({ locale, fields: ['documentId'] } as never);
    if (existing)
      throw new McpToolError(`${typeName(type)} already exists${locale ? ` in ${locale}` : ''}; use update_document`);
    const other = await strapi.db.query(type.uid).findOne({ select: ['documentId'] });
    singleTypeDocumentId = other?.documentId;
  }

  const checked = await checkData(scope, type, args.data, 'create');
  const data: Doc = { ...checked.data };
  if (type.tenantField) {
    const tenant = policy.caller.tenant;
    if (tenant) {
      if (checked.tenantValue !== undefined && checked.tenantValue !== tenant) {
        throw new PolicyRefusal(
          `${type.tenantField} must be your tenant (${tenant}); you cannot create documents for another tenant`,
        );
      }
      data[type.tenantField] = tenant;
    } else {
      if (typeof checked.tenantValue !== 'string' || checked.tenantValue === '') {
        throw new McpToolError(`${type.tenantField} is required: your role works across tenants, so name the tenant`);
      }
      data[type.tenantField] = checked.tenantValue;
    }
  }
  refuseBrokenCondition(
    findBrokenCondition(type, { role: policy.role!, action: 'create', data }) ??
      (publish ? findBrokenCondition(type, { role: policy.role!, action: 'publish', stored: data }) : undefined),
  );
  // Strapi's conditions (locales, "is creator"...) judged on the document as it would be stored.
  const asStored = {
    ...data,
    ...(type.isLocalized ? { locale: locale ?? (await defaultLocaleOf(scope)) } : {}),
    createdBy: { id: policy.caller.adminUser.id, roles: policy.caller.adminUser.roles },
  };
  for (const operation of publish ? (['create', 'publish'] as const) : (['create'] as const)) {
    if (!(await policy.allowsOn(operation, type, asStored))) {
      throw new PolicyRefusal(`your Strapi admin role does not allow ${operation} on this ${typeName(type)}`);
    }
  }
  await checkLinkTargets(scope, checked);

  const stamped = setCreatorFields({ user: policy.caller.adminUser })(data) as Doc;
  if (args.dryRun) {
    await validateWithoutWriting(scope, type, stamped, { isDraft: !publish, locale });
    const view = await scope.view();
    return {
      dryRun: true,
      wouldStore: view.typeOf(type.uid) ? shapeDocument(view, type.uid, asReferences(type, data)) : data,
      ...(checked.dropped.length > 0 ? { droppedFields: checked.dropped } : {}),
    };
  }

  const populate = await defaultPopulate(scope, type);
  const created = await commitWithAudit(scope, async () => {
    const documents = strapi.documents(type.uid as never);
    let document: Doc;
    if (singleTypeDocumentId) {
      document = (await documents.update({
        documentId: singleTypeDocumentId,
        locale,
        data: stamped,
        populate,
      } as never)) as Doc;
      if (publish) {
        await documents.publish({ documentId: singleTypeDocumentId, locale } as never);
        document = (await documents.findOne({
          documentId: singleTypeDocumentId,
          locale,
          status: 'published',
          populate,
        } as never)) as Doc;
      }
    } else {
      document = (await documents.create({
        data: stamped,
        locale,
        status: publish ? 'published' : 'draft',
        populate,
      } as never)) as Doc;
    }
    scope.audit.note({ documentId: document.documentId as string });
    return document;
  });
  return writeResult(scope, type, created, checked);
};

export const updateDocument = async (
  scope: CallScope,
  args: { contentType: string; documentId?: string; data: unknown; locale?: string; status?: Status; dryRun?: boolean },
) => {
  const { policy, strapi } = scope;
  const publish = args.status === 'published';
  const { type, locale, populate, stored, documentId } = await loadTarget(scope, args, {
    action: 'update',
    operation: 'update',
    alsoRequires: publish ? ['publish'] : [],
  });

  const checked = await checkData(scope, type, args.data, 'update', stored);
  if (type.tenantField && checked.tenantValue !== undefined && checked.tenantValue !== stored[type.tenantField]) {
    throw new PolicyRefusal(`${type.tenantField} cannot be changed: a document stays in its tenant`);
  }
  refuseBrokenCondition(
    findBrokenCondition(type, { role: policy.role!, action: 'update', data: checked.data, stored }) ??
      (publish
        ? findBrokenCondition(type, { role: policy.role!, action: 'publish', stored: { ...stored, ...checked.data } })
        : undefined),
  );
  await checkLinkTargets(scope, checked);
  const changes = await limitRelationReplacements(scope, type, stored, checked.data);

  const view = await scope.view();
  const before = view.typeOf(type.uid) ? shapeDocument(view, type.uid, stored) : stored;
  const diff = diffFields(before, checked.data);
  scope.audit.note({ diff });
  const stamped = setCreatorFields({ user: policy.caller.adminUser, isEdition: true })(changes) as Doc;

  if (args.dryRun) {
    await validateWithoutWriting(scope, type, stamped, {
      isDraft: !(publish && type.hasDraftAndPublish),
      locale,
      stored,
    });
    return {
      dryRun: true,
      documentId,
      diff,
      wouldStore: { ...before, ...asReferences(type, checked.data) },
      ...(checked.dropped.length > 0 ? { droppedFields: checked.dropped } : {}),
    };
  }

  const updated = await commitWithAudit(scope, async () => {
    const documents = strapi.documents(type.uid as never);
    let document = (await documents.update({ documentId, locale, data: stamped, populate } as never)) as Doc;
    if (publish && type.hasDraftAndPublish) {
      await documents.publish({ documentId, locale } as never);
      document = (await documents.findOne({ documentId, locale, status: 'published', populate } as never)) as Doc;
    }
    return document;
  });
  return writeResult(scope, type, updated, checked, { diff });
};

export const deleteDocument = async (
  scope: CallScope,
  args: { contentType: string; documentId?: string; locale?: string; dryRun?: boolean },
) => {
  const { policy, strapi } = scope;
  const { type, locale, filters, stored, documentId } = await loadTarget(scope, args, {
    action: 'delete',
    operation: 'delete',
  });
  refuseBrokenCondition(findBrokenCondition(type, { role: policy.role!, action: 'delete', stored }));

  const view = await scope.view();
  const shaped = view.typeOf(type.uid) ? shapeDocument(view, type.uid, stored) : { documentId };
  if (args.dryRun) return { dryRun: true, wouldDelete: shaped };

  await commitWithAudit(scope, async () => {
    // delete honours filters: the scope goes along as a second lock.
    const result = (await strapi
      .documents(type.uid as never)
      .delete({ documentId, locale, filters: { $and: filters } } as never)) as {
      entries: unknown[];
    };
    if (result.entries.length === 0) throw new McpToolError(`document ${documentId} was not deleted`);
  });
  return { deleted: shaped };
};

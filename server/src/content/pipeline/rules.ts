import { PolicyRefusal } from '../../errors';
import type { Operation } from '../../services/policy';
import { CONDITION_ACTIONS, findBrokenCondition, type ConditionAction } from '../../services/policy/conditions';
import { and, mergeFilters } from '../filters';
import { checkFile } from '../guards/file-guard';
import { checkData, describeAsStored } from '../guards/data-guard';
import { checkDeletedLinks, checkLinkedDocuments } from '../guards/linked-documents';
import { checkQuery } from '../guards/query-input';
import { requireDraftAndPublish, resolveLocale, resolveStatus } from '../locale-status';
import { mediaScope } from '../media-library';
import { defaultPopulate, findSingleTypeDocument, loadStoredDocument } from '../stored-document';
import { type CommonArgs, type ContentCall, type Doc, typeName, typeOf } from './content-call';
import { runInMode } from './execution';
import { refuseFencedMutation, requireConfirmation } from './mutation-fence';

/** One step of the tool-call pipeline. Each is small and reads what the earlier ones resolved. */
export interface ContentRule {
  name: string;
  run(call: ContentCall<CommonArgs>): Promise<void> | void;
}

const isMediaLibrary = (call: ContentCall<CommonArgs>) => call.spec.subject === 'media-library';

/** The content type the call names (exposed, and visible to the role), its locale and status. */
const resolveType: ContentRule['run'] = async (call) => {
  const { spec, args, audit } = call;
  audit.note({ action: spec.action });
  if ('documentId' in (args as object)) audit.note({ documentId: args.documentId ?? null });
  if (isMediaLibrary(call)) {
    audit.note({ contentType: 'plugin::upload.file' });
    return;
  }
  const type = call.policy.resolveType(String(args.contentType));
  call.type = type;
  audit.note({ contentType: type.uid });
  if (spec.operation === 'publish') requireDraftAndPublish(type);
  call.locale = await resolveLocale(call.strapi, type, args.locale, { allowAll: spec.locales === 'any' });
  call.status = resolveStatus(type, args.status);
};

/** Role × action, and Strapi's RBAC on the model, for every operation the call performs. */
const authorizeOperations: ContentRule['run'] = async (call) => {
  if (isMediaLibrary(call)) {
    call.operations = [call.spec.operation];
    call.mediaCondition = await call.policy.authorizeMedia(call.spec.operation === 'read' ? 'read' : 'create');
    return;
  }
  const type = typeOf(call);
  call.operations = [call.spec.operation, ...(call.spec.alsoRequires?.(call.args, type) ?? [])];
  for (const operation of call.operations) call.reach[operation] = await call.policy.authorize(type, operation);
};

/** A tenant-aware type (or, where tenants exist, the media library) needs a tenant claim. */
const requireTenantClaim: ContentRule['run'] = (call) => {
  if (isMediaLibrary(call)) call.policy.mediaTenant();
  else call.policy.requireTenantClaim(typeOf(call));
};

/** Tenant, ownership (`*-own`) and Strapi-condition filters of every operation; a new document has none yet. */
const applyScopeFilters: ContentRule['run'] = async (call) => {
  if (isMediaLibrary(call)) {
    call.scope = await mediaScope(call.strapi, call.policy, call.mediaCondition);
  } else if (call.spec.target !== 'new') {
    const type = typeOf(call);
    for (const operation of call.operations) {
      call.scope = mergeFilters(call.scope, await call.policy.scopeFilters(type, operation, call.reach[operation]!));
    }
  }
  call.audit.note({ appliedFilters: and(call.scope) ?? {} });
};

/**
 * The document a mutation acts on, loaded inside the scope: the Document Service ignores `filters` on update, publish
 * and discardDraft, so no mutation relies on them. Another tenant's, another owner's and a missing document are the
 * same "not found" to the caller; the audit row says which.
 */
const loadTargetInScope: ContentRule['run'] = async (call) => {
  if (call.spec.target === 'new') {
    if (typeOf(call).isSingleType) call.joinDocumentId = await findSingleTypeDocument(call);
    return;
  }
  if (call.spec.target !== 'stored') return;
  call.targetPopulate = await defaultPopulate(call);
  call.target = await loadStoredDocument(call, {
    documentId: call.args.documentId,
    status: call.spec.targetStatus?.(call.args) ?? 'draft',
    scope: call.scope,
    populate: call.targetPopulate,
  });
  call.documentId = call.target.documentId as string;
  call.audit.note({ documentId: call.documentId });
};

const refuseEntity = (operation: Operation, call: ContentCall<CommonArgs>): never => {
  throw new PolicyRefusal(
    `${call.policy.permissionHolder} does not allow ${operation} on this ${typeName(typeOf(call))}`,
  );
};

/** Strapi's own permission conditions ("is creator", locales...) evaluated on the stored target. */
const checkStrapiEntity: ContentRule['run'] = async (call) => {
  if (!call.target) return;
  for (const operation of call.operations) {
    if (!(await call.policy.allowsOn(operation, typeOf(call), call.target))) refuseEntity(operation, call);
  }
};

/** Caller input: query parts against readable fields; data against writable fields; files by their bytes. */
const guardInput: ContentRule['run'] = async (call) => {
  const input = call.spec.input;
  if (!input) return;
  if (input.query) call.query = await checkQuery(call, input.query);
  if (input.data) call.input = await checkData(call, input.data);
  if (input.file) call.file = await checkFile(call);
};

/**
 * The policy's conditions on the incoming data and on the stored document, for every action the call performs; a new
 * document is also judged by Strapi's conditions as it would be stored.
 */
const checkConditions: ContentRule['run'] = async (call) => {
  if (!call.type) return;
  const type = call.type;
  const role = call.policy.role!;
  const data = call.input?.data;
  const actions =
    call.spec.conditions ??
    call.operations.filter((operation): operation is ConditionAction =>
      (CONDITION_ACTIONS as readonly string[]).includes(operation),
    );
  for (const action of actions) {
    const broken =
      action === 'publish'
        ? findBrokenCondition(type, { role, action, stored: { ...(call.target ?? {}), ...(data ?? {}) } })
        : findBrokenCondition(type, { role, action, data, stored: call.target });
    if (broken) throw new PolicyRefusal(broken);
  }
  if (call.spec.target === 'new' && data) {
    const asStored = await describeAsStored(call, data);
    for (const operation of call.operations) {
      if (!(await call.policy.allowsOn(operation, type, asStored))) refuseEntity(operation, call);
    }
  }
};

/**
 * Every document a write links, unlinks or positions against must be one the caller may read; a link whose other
 * side holds it changes that document too, so it is authorized as an update of it, as is every document a delete
 * unlinks that way; media files must be the caller's.
 */
const checkRelationAndMediaTargets: ContentRule['run'] = async (call) => {
  if (call.input) await checkLinkedDocuments(call);
  if (call.target && call.operations.includes('delete')) await checkDeletedLinks(call);
};

const execute: ContentRule['run'] = async (call) => {
  if (call.dryRun && call.spec.preview) {
    const preview = await call.spec.preview(call);
    call.output = call.confirmation ? { ...preview, confirmation: call.confirmation } : preview;
    return;
  }
  call.dryRun = false;
  call.result = await runInMode(call);
};

/** Parts of an answer that hold documents: over the response budget they shrink to the documentId. */
const DOCUMENT_KEYS = new Set(['data', 'wouldStore', 'document', 'deleted', 'wouldDelete']);

/**
 * An answer over `limits.maxResponseBytes` (lists are cut at whole documents before) keeps what identifies it: the
 * documentIds, the names of the changed fields, and `truncated: true`. A write has happened by then; its answer
 * must not carry megabytes.
 */
const fitToResponseBudget = (call: ContentCall<CommonArgs>, output: Doc): Doc => {
  const bytes = Buffer.byteLength(JSON.stringify(output));
  if (bytes <= call.config.limits.maxResponseBytes) return output;
  const reduced: Doc = { truncated: true };
  for (const [key, value] of Object.entries(output)) {
    if (DOCUMENT_KEYS.has(key) && value && typeof value === 'object' && !Array.isArray(value)) {
      reduced[key] = { documentId: (value as Doc).documentId };
    } else if (key === 'diff' && value && typeof value === 'object') {
      reduced[key] = Object.fromEntries(Object.keys(value).map((field) => [field, {}]));
    } else reduced[key] = value;
  }
  return reduced;
};

const shapeOutput: ContentRule['run'] = async (call) => {
  call.output = fitToResponseBudget(call, call.output ?? (await call.spec.shape(call, call.result)));
};

const closeAudit: ContentRule['run'] = (call) => {
  call.audit.finish(call.dryRun ? 'dry-run' : 'allowed');
};

/**
 * The tool-call pipeline, in the order docs/policy.md and docs/architecture.md draw it (a test pins the two together).
 * Refusals end the call where they happen; the SDK binding then closes the audit row as denied.
 */
export const CONTENT_RULES: readonly ContentRule[] = [
  { name: 'resolve type', run: resolveType },
  { name: 'mutation fence', run: refuseFencedMutation },
  { name: 'role × action', run: authorizeOperations },
  { name: 'tenant claim', run: requireTenantClaim },
  { name: 'scope filters', run: applyScopeFilters },
  { name: 'load target in scope', run: loadTargetInScope },
  { name: 'Strapi entity check', run: checkStrapiEntity },
  { name: 'input guards', run: guardInput },
  { name: 'conditions', run: checkConditions },
  { name: 'relation and media targets', run: checkRelationAndMediaTargets },
  { name: 'confirmation', run: requireConfirmation },
  { name: 'execute', run: execute },
  { name: 'shape output', run: shapeOutput },
  { name: 'audit', run: closeAudit },
];

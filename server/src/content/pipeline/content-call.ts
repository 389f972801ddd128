import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../config/schema';
import type { McpHandlerContext } from '../../extension/definitions';
import type { CallTrail } from '../../services/audit/call-trail';
import type { CallPolicy, Filter, Operation, Reach, TypePolicy } from '../../services/policy';
import type { ConditionAction } from '../../services/policy/conditions';
import type { CheckedFile } from '../guards/file-guard';
import type { CheckedInput } from '../guards/input-guard';
import type { PopulatePlan } from '../guards/populate';
import type { PageRequest } from '../guards/query-input';
import { QueryGuard } from '../guards/query-guard';
import { buildReadView, type CallReadView } from '../guards/read-view';

export type Doc = Record<string, unknown>;

/** The query parts a read operation takes from the caller, each checked by the query guard; `cursor` pages by keyset. */
export type QueryPart = 'filters' | 'sort' | 'fields' | 'populate' | 'page' | 'cursor';

/** The query parts once checked, ready for the Document Service (the scope is already in `filters`). */
export interface CheckedQuery {
  filters?: Filter;
  sort?: string[];
  fields?: string[];
  populate?: PopulatePlan;
  page?: PageRequest;
}

/**
 * A content operation as a declaration: what it asks of the policy, how it finds its target, which arguments are
 * caller input, and its own `execute` and `shape`. The runner (`run-content-call.ts`) applies every rule in order;
 * no operation sequences them itself.
 */
export interface ContentOperation<Args = Record<string, unknown>, Result = unknown> {
  /** The audit row's action. */
  action: string;
  /** What it asks of the policy on its subject. */
  operation: Operation;
  /** Further operations the call performs, e.g. publish with `status: 'published'`. */
  alsoRequires?(args: Args, type: TypePolicy): Operation[];
  /** A content type named by `args.contentType` (default), or the media library. */
  subject?: 'content-type' | 'media-library';
  /** `one`: a single installed locale; `any`: also `*` (lists). Default `one`. */
  locales?: 'one' | 'any';
  /**
   * How it finds what it acts on: nothing (lists, searches, get, which reads through its own checked query), the
   * stored document in scope (every mutation of an existing document), or a new document (create).
   */
  target: 'none' | 'stored' | 'new';
  /** The version a stored target is loaded in; default draft. */
  targetStatus?(args: Args): 'draft' | 'published';
  /** The caller input the input guards check. */
  input?: { query?: QueryPart[]; data?: 'create' | 'update'; file?: boolean };
  /** Policy conditions to check; default: the call's own operations. */
  conditions?: ConditionAction[];
  /**
   * `read`: within the read time budget; `write`: in one transaction with its audit row; `write-then-audit`: outside
   * any transaction (slow work such as image processing must not hold the database), then the audit row, and `undo`
   * when the row cannot be written.
   */
  runs: 'read' | 'write' | 'write-then-audit';
  /** With `dryRun: true`: what would happen, after every check and Strapi's validation, without writing. */
  preview?(call: ContentCall<Args>): Promise<Doc>;
  execute(call: ContentCall<Args>): Promise<Result>;
  undo?(call: ContentCall<Args>, result: Result): Promise<void>;
  shape(call: ContentCall<Args>, result: Result): Promise<Doc> | Doc;
}

/** One content tool call as the rules fill it in. */
export interface ContentCall<Args = Record<string, unknown>> {
  readonly strapi: Core.Strapi;
  readonly config: PluginConfig;
  readonly policy: CallPolicy;
  readonly audit: CallTrail;
  readonly spec: ContentOperation<Args, unknown>;
  readonly args: Args;
  /** Everything the caller may read in this call, built once. */
  view(): Promise<CallReadView>;
  /** The query guard of this call: its budget (pattern terms, bytes) spans every filter of the call. */
  guard(): Promise<QueryGuard>;

  type?: TypePolicy;
  locale?: string;
  status?: 'draft' | 'published';
  /** The operations the call performs, and how far each reaches. */
  operations: Operation[];
  reach: Partial<Record<Operation, Reach>>;
  /** Tenant, ownership and Strapi-condition filters of every operation of the call. */
  scope: Filter[];
  /** Media library calls: Strapi's condition on the media library permission. */
  mediaCondition?: Filter;
  target?: Doc;
  targetPopulate?: Doc;
  documentId?: string;
  /** Create on a single type: the document a new locale joins. */
  joinDocumentId?: string;
  query?: CheckedQuery;
  input?: CheckedInput;
  file?: CheckedFile;
  dryRun: boolean;
  /** A dry run under `mutations: 'confirm'`: the token that confirms the same call, handed out with the preview. */
  confirmation?: { token: string; expiresAt: string };
  result?: unknown;
  output?: Doc;
}

/** The argument names every content operation shares. */
export interface CommonArgs {
  contentType?: string;
  documentId?: string;
  locale?: string;
  status?: 'draft' | 'published';
  dryRun?: boolean;
  /** Under `mutations: 'confirm'`: the token of this call's dry run. */
  confirmationToken?: string;
}

export const createContentCall = <Args>(
  spec: ContentOperation<Args, unknown>,
  args: Args,
  context: Pick<McpHandlerContext, 'strapi' | 'policy'> & { audit: CallTrail },
): ContentCall<Args> => {
  const { strapi, policy, audit } = context;
  let view: Promise<CallReadView> | undefined;
  let guard: Promise<QueryGuard> | undefined;
  // Built on first use, after the type is resolved: for that type and the types it leads to, not every exposed one.
  const getView = () => (view ??= buildReadView(strapi, policy, call.type ? [call.type.uid] : []));
  const call: ContentCall<Args> = {
    strapi,
    config: policy.config,
    policy,
    audit,
    spec,
    args,
    view: getView,
    guard: () => (guard ??= getView().then((readView) => new QueryGuard(readView, policy.config.limits))),
    operations: [],
    reach: {},
    scope: [],
    dryRun: (args as CommonArgs).dryRun === true,
  };
  return call;
};

export const typeOf = (call: ContentCall<unknown>): TypePolicy => {
  if (!call.type) throw new Error('mcp-server: a content rule ran before the type was resolved');
  return call.type;
};

export const typeName = (type: TypePolicy) => type.schema.info.singularName;

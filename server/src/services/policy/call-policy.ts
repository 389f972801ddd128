import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../../config/schema';
import { PolicyRefusal } from '../../errors';
import type { McpCaller } from '../identity';
import { createAdminPermissions, describePermissionHolder, type AdminPermissions } from './admin-permissions';
import { MEDIA_UID, type CompiledPolicy, type TypePolicy } from './compile-policy';
import { allowedComponentFields, permissionPaths } from './component-fields';
import { readableFields, writableFields } from './fields';
import type { Action } from '../../config/policy-schema';
import { actionsOn, reachOf, resolvePolicyRole, type Operation, type Reach } from './roles';
import { narrowByScopes } from './scopes';

export type Filter = Record<string, unknown>;
type MediaOperation = 'read' | 'create';

/** The operation an action performs, `*-own` included. */
const operationOf = (action: Action): Operation => action.replace(/-own$/, '') as Operation;

const OPERATION_VERBS: Record<Operation, string> = {
  read: 'read',
  create: 'create',
  update: 'update',
  delete: 'delete',
  publish: 'publish or unpublish',
};

/**
 * The policy as it applies to one caller for one tool call: role × action, Strapi RBAC, tenant and ownership scope,
 * readable and writable fields. Every tool goes through it; nothing here reads tool arguments for the role.
 */
export const createCallPolicy = (
  strapi: Core.Strapi,
  config: PluginConfig,
  policy: CompiledPolicy,
  caller: McpCaller,
) => {
  const role = resolvePolicyRole(caller, config, policy);
  // An admin token's own permissions are the point of the token: that lock holds whatever enforceAdminPermissions says.
  const enforced = config.enforceAdminPermissions || caller.credential.kind === 'admin-token';
  const admin = enforced ? createAdminPermissions(strapi, caller) : null;
  const holder = describePermissionHolder(caller);
  const noTenant =
    caller.credential.kind === 'jwt'
      ? 'your token carries no tenant claim'
      : 'no tenant is assigned to your admin user for admin tokens (adminTokens.tenants)';
  const readableCache = new Map<string, Promise<ReadonlySet<string>>>();

  const roleName = () => role ?? 'none';
  const typeName = (type: TypePolicy) => type.schema.info.singularName;
  const grantor = () => (caller.scopes === null ? `role ${roleName()}` : `role ${roleName()} with your token's scopes`);

  /** The role's actions on a type, narrowed by the token's scopes. */
  const actionsFor = (type: TypePolicy): ReadonlySet<Action> =>
    narrowByScopes(actionsOn(policy, role, type), type, caller.scopes);

  /**
   * Strapi's RBAC at model level, per type uid: the operations it grants among the role's. Loaded by
   * `loadRbacGrants` for what is offered (lists, and the offer check of a call); `authorize` checks each call itself,
   * conditions included.
   */
  let rbacGrants: ReadonlyMap<string, ReadonlySet<Operation>> | undefined;
  /** The media library operations Strapi's RBAC grants, loaded with `rbacGrants`. */
  let mediaGrants: ReadonlySet<MediaOperation> | undefined;
  const rbacAllows = (type: TypePolicy, operation?: Operation) => {
    if (rbacGrants === undefined) return true;
    const granted = rbacGrants.get(type.uid);
    return operation === undefined ? (granted?.size ?? 0) > 0 : (granted?.has(operation) ?? false);
  };

  /** Publishing needs draft & publish on the type: without it, publish tools and actions are not offered. */
  const isOperable = (type: TypePolicy, operation: Operation) => operation !== 'publish' || type.hasDraftAndPublish;

  /** The operations the role and scopes grant on a type that the type supports. */
  const operationsOn = (type: TypePolicy): Operation[] => [
    ...new Set([...actionsFor(type)].map(operationOf).filter((operation) => isOperable(type, operation))),
  ];

  /** Types the caller has any operation on (and, once loaded, that Strapi's RBAC opens). */
  const visibleTypes = () =>
    [...policy.types.values()].filter((type) => operationsOn(type).length > 0 && rbacAllows(type));

  /**
   * What Strapi's RBAC (model level) grants among `operationsOn(type)`. Writing needs Strapi's read too: only fields
   * the caller may read are writable (`writable`), so create and update without it would be refused field by field.
   */
  const grantedOperations = async (permissions: AdminPermissions, type: TypePolicy): Promise<Set<Operation>> => {
    const operations = operationsOn(type);
    const [readable, ...allowed] = await Promise.all([
      permissions.allows('read', type.uid),
      ...operations.map((operation) => permissions.allows(operation, type.uid)),
    ]);
    return new Set(
      operations.filter(
        (operation, index) => allowed[index] && (readable || (operation !== 'create' && operation !== 'update')),
      ),
    );
  };

  /** Types the caller may perform this operation on: policy and scopes, and Strapi's RBAC once loaded. */
  const typesFor = (operation: Operation) =>
    [...policy.types.values()].filter(
      (type) =>
        reachOf(actionsFor(type), operation) !== null && rbacAllows(type, operation) && isOperable(type, operation),
    );

  /** Types the policy and scopes let the caller perform this operation on, whatever Strapi's RBAC says. */
  const policyTypesFor = (operation: Operation) =>
    [...policy.types.values()].filter((type) => reachOf(actionsFor(type), operation) !== null);

  const isCrossTenant = role !== null && config.crossTenantRoles.includes(role);

  const tenantFilter = (type: TypePolicy): Filter | null => {
    if (!type.tenantField) return null;
    if (caller.tenant) return { [type.tenantField]: caller.tenant };
    if (isCrossTenant) return null;
    throw new PolicyRefusal(
      `${typeName(type)} is tenant-aware and ${noTenant}; only roles listed in crossTenantRoles may work across tenants`,
    );
  };

  /** A type the caller may not use, refused without saying whether it exists; names those it may use. */
  const unavailable = (reference: string) =>
    new PolicyRefusal(`content type ${reference} is not available to ${grantor()}`, {
      available: visibleTypes().map((candidate) => candidate.uid),
    });

  const MEDIA_VERBS = { read: 'list media', create: 'upload media' } as const;
  const MEDIA_ACTIONS = { read: 'plugin::upload.read', create: 'plugin::upload.assets.create' } as const;

  return {
    caller,
    role,
    config,
    policy,
    /** Whose Strapi permissions the second lock checks, as refusals name them. */
    permissionHolder: holder,

    /** The exposed type named by uid or singular name; anything else is refused without saying whether it exists. */
    resolveType(reference: string): TypePolicy {
      const type = policy.findType(reference);
      if (!type || actionsFor(type).size === 0) throw unavailable(reference);
      return type;
    },

    visibleTypes,
    typesFor,
    actionsFor,

    /**
     * Loads Strapi's RBAC (model level) into `visibleTypes` and `typesFor`, so that what is listed is what the
     * caller's Strapi permissions (an admin token's own, or the admin user's roles) open: a token that may only read
     * articles is offered read tools only. Without the second lock this changes nothing.
     */
    async loadRbacGrants(): Promise<void> {
      if (!admin || rbacGrants !== undefined) return;
      const types = [...policy.types.values()];
      const granted = await Promise.all(types.map((type) => grantedOperations(admin, type)));
      const media = (['read', 'create'] as const).filter((operation) => policyTypesFor(operation).length > 0);
      const mediaAllowed = await Promise.all(
        media.map((operation) => admin.allowsAction(MEDIA_ACTIONS[operation], MEDIA_UID)),
      );
      rbacGrants = new Map(types.map((type, index) => [type.uid, granted[index]]));
      mediaGrants = new Set(media.filter((_, index) => mediaAllowed[index]));
    },

    /** Whether the media library operation is offered: by the policy, and by Strapi's RBAC once loaded. */
    mediaOffered(operation: MediaOperation): boolean {
      // As `authorizeMedia` decides a call: the policy on some type, and the media library permission.
      return policyTypesFor(operation).length > 0 && (mediaGrants === undefined || mediaGrants.has(operation));
    },

    /**
     * The actions the caller may really perform on a type: role, scopes and Strapi's RBAC together (model level;
     * conditions such as "is creator" still apply per document).
     */
    async allowedActions(type: TypePolicy): Promise<Action[]> {
      await this.loadRbacGrants();
      return [...actionsFor(type)].filter((action) => {
        const operation = operationOf(action);
        return isOperable(type, operation) && rbacAllows(type, operation);
      });
    },

    /**
     * An exposed type the caller may see described: one it has an operation on that Strapi's RBAC opens (loaded
     * here), as `list_content_types` shows them. Refuses others as `resolveType` does.
     */
    async resolveVisibleType(reference: string): Promise<TypePolicy> {
      await this.loadRbacGrants();
      const type = policy.findType(reference);
      if (!type || !visibleTypes().includes(type)) throw unavailable(reference);
      return type;
    },

    /**
     * Checks that the role may perform the operation on the type and that Strapi's RBAC agrees (model level); returns
     * how far it reaches. Refusals name what was refused and what the role may do.
     */
    async authorize(type: TypePolicy, operation: Operation): Promise<Reach> {
      const actions = actionsFor(type);
      const reach = reachOf(actions, operation);
      if (reach === null) {
        throw new PolicyRefusal(
          `${grantor()} may not ${OPERATION_VERBS[operation]} ${typeName(type)}; allowed actions: ${[...actions].join(', ') || 'none'}`,
          { refused: operation, allowedActions: [...actions] },
        );
      }
      if (admin && !(await admin.allows(operation, type.uid))) {
        throw new PolicyRefusal(
          `${holder} does not grant ${OPERATION_VERBS[operation]} on ${typeName(type)} (Content Manager permission)`,
          { refused: operation },
        );
      }
      return reach;
    },

    /** A tenant-aware type needs a tenant claim, unless the role works across tenants. */
    requireTenantClaim(type: TypePolicy): void {
      tenantFilter(type);
    },

    /**
     * The filters injected into every query of this operation on the type: tenant, ownership (`*-own`), and the
     * conditions of Strapi's RBAC. Call `authorize` first.
     */
    async scopeFilters(type: TypePolicy, operation: Operation, reach: Reach): Promise<Filter[]> {
      const filters: Filter[] = [];
      const tenant = tenantFilter(type);
      if (tenant) filters.push(tenant);
      if (reach === 'own') filters.push({ createdBy: { id: caller.adminUser.id } });
      if (admin) {
        const condition = await admin.conditionFilter(operation, type.uid);
        if (condition === null) throw new PolicyRefusal(`${holder} grants no ${operation} on ${typeName(type)}`);
        if (Object.keys(condition).length > 0) filters.push(condition);
      }
      return filters;
    },

    /** Fields this caller may read: the policy's field rules, narrowed by Strapi's field-level read permissions. */
    readable(type: TypePolicy): Promise<ReadonlySet<string>> {
      let fields = readableCache.get(type.uid);
      if (!fields) {
        fields = (async () => {
          if (role === null) return new Set<string>();
          const candidates = readableFields(policy, type, role);
          if (!admin) return new Set(candidates);
          const allowed = await Promise.all(
            candidates.map(async (field) =>
              (
                await Promise.all(
                  permissionPaths(strapi, type, field).map((path) => admin.allows('read', type.uid, path)),
                )
              ).some(Boolean),
            ),
          );
          return new Set(candidates.filter((_, index) => allowed[index]));
        })();
        readableCache.set(type.uid, fields);
      }
      return fields;
    },

    /** Fields this caller may write in this operation, narrowed by Strapi's field-level permissions. */
    async writable(
      type: TypePolicy,
      operation: 'create' | 'update',
      stored?: Record<string, unknown>,
    ): Promise<string[]> {
      if (role === null) return [];
      const readable = await this.readable(type);
      const candidates = writableFields(policy, type, role).filter((field) => readable.has(field));
      if (!admin) return candidates;
      const allowed = await Promise.all(
        candidates.map(async (field) =>
          (
            await Promise.all(
              permissionPaths(strapi, type, field).map((path) =>
                stored ? admin.allowsOn(operation, type.uid, stored, path) : admin.allows(operation, type.uid, path),
              ),
            )
          ).some(Boolean),
        ),
      );
      return candidates.filter((_, index) => allowed[index]);
    },

    /**
     * Sub-fields of the components this caller may read (`read`) or write (`create`, `update`) on a type, by component
     * uid, as Strapi's field permissions allow them leaf by leaf; `undefined` when Strapi's RBAC is not enforced.
     */
    async componentFields(
      type: TypePolicy,
      operation: 'read' | 'create' | 'update',
      stored?: Record<string, unknown>,
    ): Promise<Map<string, Set<string>> | undefined> {
      if (!admin) return undefined;
      const fields = operation === 'read' ? await this.readable(type) : await this.writable(type, operation, stored);
      return allowedComponentFields(strapi, policy, type, fields, (path) =>
        stored ? admin.allowsOn(operation, type.uid, stored, path) : admin.allows(operation, type.uid, path),
      );
    },

    /** Strapi's entity-level check (conditions evaluated against the stored document), of one field if named. */
    async allowsOn(
      operation: Operation,
      type: TypePolicy,
      stored: Record<string, unknown>,
      field?: string,
    ): Promise<boolean> {
      return admin ? admin.allowsOn(operation, type.uid, stored, field) : true;
    },

    /**
     * A Strapi admin permission outside the Content Manager (the media library); with `enforceAdminPermissions` off,
     * only the policy decides (for JWT callers; an admin token's permissions always apply). Returns the permission's condition filter, or throws when it is not granted.
     */
    async requireAdminAction(action: string, subject: string, refusal: string): Promise<Filter> {
      if (!admin) return {};
      const filter = (await admin.allowsAction(action, subject)) ? await admin.actionFilter(action, subject) : null;
      if (filter === null) throw new PolicyRefusal(refusal);
      return filter;
    },

    /**
     * The media library: listing needs a role that reads some type, uploading one that creates some type, and
     * Strapi's media library permission (`plugin::upload.read`, `plugin::upload.assets.create`). Returns that
     * permission's condition filter.
     */
    async authorizeMedia(operation: MediaOperation): Promise<Filter> {
      if (policyTypesFor(operation).length === 0) {
        throw new PolicyRefusal(`${grantor()} may not ${MEDIA_VERBS[operation]}`);
      }
      return operation === 'read'
        ? this.requireAdminAction(MEDIA_ACTIONS.read, MEDIA_UID, `${holder} may not read the media library`)
        : this.requireAdminAction(MEDIA_ACTIONS.create, MEDIA_UID, `${holder} may not upload to the media library`);
    },

    /**
     * Whose files the caller may see and attach: `null` for every file (no type is tenant-aware, or the role works
     * across tenants), else its tenant. Without a tenant claim, where tenants exist, the media library is closed.
     */
    mediaTenant(): string | null {
      const tenantAware = [...policy.types.values()].some((type) => type.tenantField !== null);
      if (!tenantAware || (isCrossTenant && !caller.tenant)) return null;
      if (caller.tenant) return caller.tenant;
      throw new PolicyRefusal(
        `the media library is split by tenant and ${noTenant}; only roles listed in crossTenantRoles may work across tenants`,
      );
    },
  };
};

export type CallPolicy = ReturnType<typeof createCallPolicy>;

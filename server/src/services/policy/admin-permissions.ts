import type { Core } from '@strapi/strapi';
import { getService } from '../get-service';
import type { McpCaller } from '../identity';
import type { Operation } from './roles';

const CM_ACTIONS: Record<Operation, string> = {
  read: 'plugin::content-manager.explorer.read',
  create: 'plugin::content-manager.explorer.create',
  update: 'plugin::content-manager.explorer.update',
  delete: 'plugin::content-manager.explorer.delete',
  publish: 'plugin::content-manager.explorer.publish',
};

type Ability = unknown;
interface PermissionChecker {
  can: ((action: string, entity?: unknown, field?: string) => boolean) &
    Record<Operation, (entity?: unknown, field?: string) => boolean>;
  sanitizeOutput: (data: unknown, options?: { action?: string }) => Promise<Record<string, unknown>>;
}

/**
 * The caller's Strapi ability, as Strapi builds it. A JWT caller: their admin user's roles (`generateUserAbility`).
 * An admin-token caller: the token's own permissions, with conditions evaluated for its owner
 * (`generateTokenAbility`, as Strapi's admin-token strategy does); Strapi keeps those within the owner's role
 * permissions when the token is saved and whenever a role changes. A token deleted since the request was
 * authenticated grants nothing.
 */
const buildAbility = async (strapi: Core.Strapi, caller: McpCaller): Promise<Ability> => {
  const { engine } = strapi.service('admin::permission');
  if (caller.credential.kind === 'jwt') return engine.generateUserAbility(caller.adminUser);
  const token = (await strapi.service('admin::api-token-admin').getById(caller.credential.tokenId)) as {
    adminPermissions?: unknown[];
  } | null;
  return engine.generateTokenAbility(token?.adminPermissions ?? [], caller.adminUser);
};

/** The caller's ability, built once and kept until Strapi's admin state changes (the access cache). */
export const abilityOf = (strapi: Core.Strapi, caller: McpCaller): Promise<Ability> =>
  getService(strapi, 'access-cache').ability(caller, () => buildAbility(strapi, caller));

/** Whose permissions the second lock checks, as refusals name them. */
export const describePermissionHolder = (caller: McpCaller): string =>
  caller.credential.kind === 'jwt'
    ? 'your Strapi admin role'
    : `your admin token "${caller.credential.name}" (its permissions in Settings → Admin tokens)`;

/**
 * What Strapi derives from an ability (a Content Manager permission checker per model, the condition filter per
 * action and model), kept with the ability itself: the same ability object always derives the same, and a changed
 * admin state gives a new ability (the access cache), so nothing derived outlives the permissions it came from.
 */
interface Derived {
  checkers: Map<string, PermissionChecker>;
  /** Model-level answers (no document): operation, model and field. */
  grants: Map<string, boolean>;
  filters: Map<string, Record<string, unknown> | null>;
}
const derivedByAbility = new WeakMap<object, Derived>();

const derivedFrom = (ability: Ability): Derived => {
  let derived = derivedByAbility.get(ability as object);
  if (!derived) {
    derived = { checkers: new Map(), grants: new Map(), filters: new Map() };
    derivedByAbility.set(ability as object, derived);
  }
  return derived;
};

const checkerOf = (strapi: Core.Strapi, ability: Ability, uid: string): PermissionChecker => {
  const { checkers } = derivedFrom(ability);
  let checker = checkers.get(uid);
  if (!checker) {
    checker = strapi
      .plugin('content-manager')
      .service('permission-checker')
      .create({ userAbility: ability, model: uid }) as PermissionChecker;
    checkers.set(uid, checker);
  }
  return checker;
};

/** Built with the permissions manager directly: the checker's `sanitizedQuery` drops the condition in some call forms. */
const filterOf = (strapi: Core.Strapi, ability: Ability, action: string, model: string) => {
  const { filters } = derivedFrom(ability);
  const key = `${action}\u0000${model}`;
  if (!filters.has(key)) {
    const manager = strapi.service('admin::permission').createPermissionsManager({ ability, model });
    filters.set(key, (manager.getQuery(action) as Record<string, unknown> | null) ?? null);
  }
  const filter = filters.get(key)!;
  // Callers merge it into their own filters: each gets its own copy.
  return filter === null ? null : structuredClone(filter);
};

/**
 * Strapi's own RBAC as the second lock: the caller must also hold the matching Content Manager permission, conditions
 * included ("is creator", locales), as computed by Strapi's permission engine from the caller's ability (`abilityOf`).
 * The ability is cached until Strapi's admin state changes, so a permission removed in the admin panel applies at the
 * next call.
 */
export const createAdminPermissions = (strapi: Core.Strapi, caller: McpCaller) => {
  let ability: Promise<Ability> | undefined;

  const getAbility = () => {
    ability ??= abilityOf(strapi, caller);
    return ability;
  };

  const checkerFor = async (uid: string) => checkerOf(strapi, await getAbility(), uid);

  return {
    /** Whose permissions these are, for refusals: "your Strapi admin role", or the admin token by name. */
    holder: describePermissionHolder(caller),

    /** Model-level check: does any permission grant this operation on the type (conditions aside)? */
    async allows(operation: Operation, uid: string, field?: string): Promise<boolean> {
      const ability = await getAbility();
      const { grants } = derivedFrom(ability);
      const key = `${operation}\u0000${uid}\u0000${field ?? ''}`;
      let granted = grants.get(key);
      if (granted === undefined) {
        granted = checkerOf(strapi, ability, uid).can[operation](undefined, field);
        grants.set(key, granted);
      }
      return granted;
    },

    /** Entity-level check, evaluating conditions against a stored document (with `createdBy` populated). */
    async allowsOn(
      operation: Operation,
      uid: string,
      entity: Record<string, unknown>,
      field?: string,
    ): Promise<boolean> {
      return (await checkerFor(uid)).can[operation](entity, field);
    },

    /** The filter Strapi's conditions impose for this operation, `{}` when unconditional, `null` when nothing is granted. */
    async conditionFilter(operation: Operation, uid: string): Promise<Record<string, unknown> | null> {
      return filterOf(strapi, await getAbility(), CM_ACTIONS[operation], uid);
    },

    /** Any admin permission by action id, e.g. `plugin::upload.read` on `plugin::upload.file`. */
    async allowsAction(action: string, subject?: string): Promise<boolean> {
      const userAbility = (await getAbility()) as { can: (action: string, subject?: string) => boolean };
      return userAbility.can(action, subject);
    },

    /** The condition filter of any admin permission (`null`: not granted, `{}`: unconditional). */
    async actionFilter(action: string, model: string): Promise<Record<string, unknown> | null> {
      return filterOf(strapi, await getAbility(), action, model);
    },
  };
};

export type AdminPermissions = ReturnType<typeof createAdminPermissions>;

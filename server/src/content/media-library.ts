import type { Core } from '@strapi/strapi';
import type { AdminUser } from '../services/identity';
import type { CallPolicy } from '../services/policy';
import { and, type Filter } from './filters';

export const FILE_UID = 'plugin::upload.file';
const FOLDER_UID = 'plugin::upload.folder';
/** Where the plugin files each tenant's uploads: one subfolder per tenant, named after it. */
export const TENANT_FOLDERS_ROOT = 'MCP tenants';
/** Matches no file: a caller without a tenant folder has no files yet. */
const NO_FILE: Filter = { id: { $null: true } };

interface Folder {
  id: number;
  name: string;
  path: string;
}

const findFolder = async (strapi: Core.Strapi, name: string, parentId: number | null): Promise<Folder | null> =>
  (await strapi.db.query(FOLDER_UID).findOne({
    where: { name, parent: parentId === null ? { id: { $null: true } } : { id: parentId } },
    select: ['id', 'name', 'path'],
    orderBy: { id: 'asc' },
  })) as Folder | null;

/** Files in a folder or any of its subfolders, as Strapi's media library itself matches them. */
const inFolder = (folder: Folder): Filter => ({
  $or: [{ folderPath: folder.path }, { folderPath: { $startsWith: `${folder.path}/` } }],
});

/** The folder of a tenant's files, if it has one. */
export const findTenantFolder = async (strapi: Core.Strapi, tenant: string): Promise<Folder | null> => {
  const root = await findFolder(strapi, TENANT_FOLDERS_ROOT, null);
  return root ? findFolder(strapi, tenant, root.id) : null;
};

/**
 * Reads look a tenant's folder up on every call; it is kept a few seconds. Strapi announces folder changes, but its
 * bulk move does not: a moved folder then shows nothing until the entry expires (its old path matches no file), which
 * fails closed.
 */
const FOLDER_CACHE_MS = 10_000;
const folderCaches = new WeakMap<Core.Strapi, Map<string, { folder: Folder | null; expires: number }>>();

const cachedTenantFolder = async (strapi: Core.Strapi, tenant: string): Promise<Folder | null> => {
  let cache = folderCaches.get(strapi);
  if (!cache) {
    const fresh = new Map<string, { folder: Folder | null; expires: number }>();
    folderCaches.set(strapi, fresh);
    strapi.eventHub.subscribe(async (event: string) => {
      if (event.startsWith('media-folder.')) fresh.clear();
    });
    cache = fresh;
  }
  const entry = cache.get(tenant);
  if (entry && entry.expires > Date.now()) return entry.folder;
  const folder = await findTenantFolder(strapi, tenant);
  cache.set(tenant, { folder, expires: Date.now() + FOLDER_CACHE_MS });
  return folder;
};

const creating = new Map<string, Promise<Folder>>();

/** The folder of a tenant's files, created (with the root) on its first upload; one creation at a time per tenant. */
export const ensureTenantFolder = async (strapi: Core.Strapi, tenant: string, user: AdminUser): Promise<Folder> => {
  const existing = await findTenantFolder(strapi, tenant);
  if (existing) return existing;
  let pending = creating.get(tenant);
  if (!pending) {
    pending = (async () => {
      const folders = strapi.plugin('upload').service('folder');
      const root =
        (await findFolder(strapi, TENANT_FOLDERS_ROOT, null)) ??
        ((await folders.create({ name: TENANT_FOLDERS_ROOT, parent: null }, { user })) as Folder);
      return (
        (await findFolder(strapi, tenant, root.id)) ??
        ((await folders.create({ name: tenant, parent: root.id }, { user })) as Folder)
      );
    })().finally(() => creating.delete(tenant));
    creating.set(tenant, pending);
  }
  return pending;
};

/**
 * Which files a tenant's caller may see and attach: those in its tenant folder. `null` means every file (no type is
 * tenant-aware, or the role works across tenants). Files uploaded outside MCP belong to no tenant until an admin moves
 * them into a tenant's folder.
 */
export const tenantFileFilter = async (strapi: Core.Strapi, tenant: string | null): Promise<Filter | null> => {
  if (tenant === null) return null;
  const folder = await cachedTenantFolder(strapi, tenant);
  return folder ? inFolder(folder) : NO_FILE;
};

/** The scope of a media library call: the caller's tenant folder and Strapi's condition on the permission. */
export const mediaScope = async (
  strapi: Core.Strapi,
  policy: CallPolicy,
  condition: Filter | undefined,
): Promise<Filter[]> => {
  const tenant = await tenantFileFilter(strapi, policy.mediaTenant());
  return [tenant, condition].filter((filter): filter is Filter => !!filter && Object.keys(filter).length > 0);
};

/** Files by id within a scope (attachments, lists): the ids found. */
export const findFilesInScope = async (strapi: Core.Strapi, ids: number[], scope: Filter[]): Promise<Set<number>> => {
  const files = (await strapi.db
    .query(FILE_UID)
    .findMany({ where: and([{ id: { $in: ids } }, ...scope]), select: ['id'] })) as Array<{ id: number }>;
  return new Set(files.map((file) => file.id));
};

import type { Core } from '@strapi/strapi';
import { logBootSummary } from './boot/boot-summary';
import { guardAgainstDatabaseOutage } from './boot/database-outage-guard';
import { checkIndexesAtBoot } from './boot/index-check';
import { installLinearLike } from './content/sqlite-like';
import { getService } from './services/get-service';

/**
 * Strapi's RBAC models: a change to a role, its permissions (an admin token's too), or an admin user's roles changes
 * what callers may see.
 */
const RBAC_MODELS = ['admin::permission', 'admin::role', 'admin::user'];

/**
 * Clients holding tool, prompt or resource lists (2025 sessions, 2026-07-28 listen streams) are told when what
 * callers may see changes: the plugin's settings, or Strapi's roles and permissions. Bursts (a role saved with its
 * permissions) become one notice.
 */
const announceListChanges = (strapi: Core.Strapi): (() => void) => {
  const sessions = getService(strapi, 'sessions');
  let pending: NodeJS.Timeout | undefined;
  const announce = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      void sessions.notifyListChanged();
    }, 50);
    pending.unref();
  };
  getService(strapi, 'settings').onChange(announce);
  strapi.db.lifecycles.subscribe({
    models: RBAC_MODELS,
    afterCreate: announce,
    afterCreateMany: announce,
    afterUpdate: announce,
    afterUpdateMany: announce,
    afterDelete: announce,
    afterDeleteMany: announce,
  });
  return announce;
};

/**
 * What the settings in force no longer allow ends at once, whichever instance saved them: every session and listen
 * stream when MCP is switched off, those of a user whose access is switched off.
 */
const endWhatSettingsForbid = (strapi: Core.Strapi) => {
  const sessions = getService(strapi, 'sessions');
  getService(strapi, 'settings').onChange((config) => {
    if (!config.enabled) {
      void sessions.closeEverything('ended-by-admin');
      return;
    }
    for (const adminUserId of config.access.disabledUsers) void sessions.closeForUser(adminUserId, 'access-off');
  });
};

/**
 * Changes made on another instance (through Redis, `redis.url`) apply here as they do where they were made: Strapi's
 * admin state (cached callers and abilities forgotten, lists announced), the admin panel's settings (read again) and
 * sessions an administrator ended.
 */
const followOtherInstances = (strapi: Core.Strapi, announce: () => void) => {
  const cluster = getService(strapi, 'cluster');
  const sessions = getService(strapi, 'sessions');
  const reloadSettings = coalesce(() => getService(strapi, 'settings').loadStoredChanges());
  cluster.on(async (event) => {
    switch (event.type) {
      case 'admin-state':
        getService(strapi, 'access-cache').forgetAll();
        announce();
        return;
      case 'settings':
        await reloadSettings();
        return;
      case 'end-sessions':
        return sessions.closeForUser(event.adminUserId, 'ended-by-admin');
      case 'end-session':
        return (await sessions.close(event.sessionId, 'ended-by-admin')) ? 1 : 0;
    }
  });
  cluster.start();
};

/**
 * Runs `task` for every caller, but never twice at once: a call while it runs waits for one more run after it (shared
 * by every call made meanwhile), so that each caller sees a run that started after its call. A flood of settings
 * events costs two reads, not one per event.
 */
const coalesce = (task: () => Promise<void>) => {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = async () => {
    queued = undefined;
    running = task();
    try {
      await running;
    } finally {
      running = undefined;
    }
  };
  return (): Promise<void> => {
    if (queued) return queued;
    if (!running) return start();
    queued = running.catch(() => undefined).then(start);
    return queued;
  };
};

/** Cached callers and abilities are forgotten when Strapi's admin state or the plugin's settings change. */
const watchAdminState = (strapi: Core.Strapi) => {
  const accessCache = getService(strapi, 'access-cache');
  accessCache.watch();
  getService(strapi, 'settings').onChange(() => accessCache.forgetAll());
};

const bootstrap = async ({ strapi }: { strapi: Core.Strapi }) => {
  // Resolve the exposed content types now, so an unknown or internal type stops the boot.
  getService(strapi, 'policy').compiled();
  // The admin panel's saved changes, checked as any change (the policy service's check is registered by now).
  await getService(strapi, 'settings').loadStoredChanges();
  const policy = getService(strapi, 'policy').compiled();
  await logBootSummary(strapi, getService(strapi, 'settings').get(), [...policy.types.keys()]);
  await checkIndexesAtBoot(strapi, getService(strapi, 'settings').get().indexes);
  getService(strapi, 'sessions').startSweeping();
  getService(strapi, 'audit').start();
  getService(strapi, 'rate-limits').connect();
  const announce = announceListChanges(strapi);
  watchAdminState(strapi);
  endWhatSettingsForbid(strapi);
  followOtherInstances(strapi, announce);
  // Added before Strapi's own OAuth fallback (its MCP provider starts after the plugins' bootstrap), so this answer
  // is the one a client sees at `POST /register`.
  strapi.server.use(getService(strapi, 'oauth').registrationProbe);
  await installLinearLike(strapi);
  guardAgainstDatabaseOutage(strapi);
};

export default bootstrap;

import type { Core } from '@strapi/strapi';
import { isConnectionLoss } from '../database-connection';

const removers = new WeakMap<Core.Strapi, () => void>();

/** How often, at most, the guard logs while an outage lasts. */
const LOG_INTERVAL_MS = 60_000;

/**
 * Keeps Strapi running through a database outage. After every Document Service write, Strapi reloads the entry to
 * emit its event (webhooks) in an `onCommit` callback it never awaits; when the connection drops right then, that
 * promise rejects unhandled and Node ends the process. This guard takes only those rejections, a lost database
 * connection, and logs them (once a minute while the outage lasts); Strapi reconnects when the database is back. Any
 * other unhandled rejection goes on as before: thrown again when nothing else listens (Node's default, the process
 * ends), left to the other listeners otherwise.
 */
export const guardAgainstDatabaseOutage = (strapi: Core.Strapi): void => {
  if (removers.has(strapi)) return;
  let lastLoggedAt = 0;
  let unlogged = 0;
  const onUnhandledRejection = (reason: unknown) => {
    if (isConnectionLoss(reason)) {
      const now = Date.now();
      unlogged += 1;
      if (now - lastLoggedAt >= LOG_INTERVAL_MS) {
        strapi.log.warn(
          `[mcp-server] ${unlogged} background database call(s) of Strapi failed: the connection was lost ` +
            `(${String((reason as Error).message).slice(-200)}); Strapi keeps running and reconnects when it is back`,
        );
        lastLoggedAt = now;
        unlogged = 0;
      }
      return;
    }
    if (process.listenerCount('unhandledRejection') === 1) throw reason;
  };
  process.on('unhandledRejection', onUnhandledRejection);
  removers.set(strapi, () => process.off('unhandledRejection', onUnhandledRejection));
};

/** Removes the guard (plugin destroy). */
export const removeDatabaseOutageGuard = (strapi: Core.Strapi): void => {
  removers.get(strapi)?.();
  removers.delete(strapi);
};

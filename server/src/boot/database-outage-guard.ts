import type { Core } from '@strapi/strapi';
import { isConnectionLoss } from '../database-connection';

const removers = new WeakMap<Core.Strapi, () => void>();

/** How often, at most, the guard logs while an outage lasts. */
const LOG_INTERVAL_MS = 60_000;

/** Node's `--unhandled-rejections` mode (flag or NODE_OPTIONS); `throw` by default. */
const unhandledRejectionsMode = (): string => {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  const flag = flags.reverse().find((candidate) => candidate.startsWith('--unhandled-rejections='));
  return flag?.slice('--unhandled-rejections='.length) ?? 'throw';
};

/**
 * What Node does with an unhandled rejection when no listener takes it, done again here: a listener of its own turns
 * that off. (`strict` has raised it already, before any listener ran.)
 */
const behaveAsNode = (reason: unknown) => {
  const mode = unhandledRejectionsMode();
  if (mode === 'throw') throw reason;
  if (mode === 'warn' || mode === 'warn-with-error-code') {
    process.emitWarning(`Unhandled promise rejection: ${String((reason as Error)?.stack ?? reason)}`);
    if (mode === 'warn-with-error-code') process.exitCode = 1;
  }
};

/**
 * Keeps Strapi running through a database outage. After every Document Service write, Strapi reloads the entry to
 * emit its event (webhooks) in an `onCommit` callback it never awaits; when the connection drops right then, that
 * promise rejects unhandled and Node ends the process. This guard takes only those rejections, Strapi's database
 * connection lost or refused (`isConnectionLoss`: pg's and knex's own messages and codes, or a network error on the
 * database's port), and logs them (once a minute while the outage lasts); Strapi reconnects when the database is
 * back. Any other unhandled rejection goes on as before: left to the other listeners when there are some, else
 * handled as Node's `--unhandled-rejections` mode says (by default thrown again: the process ends).
 */
export const guardAgainstDatabaseOutage = (strapi: Core.Strapi): void => {
  if (removers.has(strapi)) return;
  let lastLoggedAt = 0;
  let unlogged = 0;
  const onUnhandledRejection = (reason: unknown) => {
    if (isConnectionLoss(strapi, reason)) {
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
    if (process.listenerCount('unhandledRejection') === 1) behaveAsNode(reason);
  };
  process.on('unhandledRejection', onUnhandledRejection);
  removers.set(strapi, () => process.off('unhandledRejection', onUnhandledRejection));
};

/** Removes the guard (plugin destroy). */
export const removeDatabaseOutageGuard = (strapi: Core.Strapi): void => {
  removers.get(strapi)?.();
  removers.delete(strapi);
};

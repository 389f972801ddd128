import type { Core } from '@strapi/strapi';
import type { PluginConfig } from '../config/schema';
import { getService } from '../services/get-service';
import type { IndexReport, IndexState } from '../services/indexes';

/** What a missing index costs today, and what adding it gains. */
const describeMissing = (index: IndexState, report: IndexReport) => {
  const adds = `indexes: 'apply' (or the SQL in docs/search.md) adds ${index.name}`;
  if (index.kind === 'tenant') {
    return (
      `lists, counts and searches of ${index.uid} for one tenant read the whole ${index.table} table: ` +
      `no index leads with ${index.field}; ${adds}`
    );
  }
  const extension =
    report.trigramExtension === 'unavailable' ? ' (it needs the pg_trgm extension, not available on this server)' : '';
  return (
    `search_documents on ${index.uid} reads every row in the caller's scope to look in ${index.field}: ` +
    `no trigram index on it; ${adds}${extension}`
  );
};

/**
 * At boot, after the policy is known: with `indexes: 'check'`, one line per recommended index that is missing,
 * saying what it would gain; with `'apply'`, creates them and says what it did. Never stops the boot.
 */
export const checkIndexesAtBoot = async (strapi: Core.Strapi, mode: PluginConfig['indexes']) => {
  if (mode === 'off') return;
  const indexes = getService(strapi, 'indexes');
  try {
    if (mode === 'apply') {
      const missing = (await indexes.check()).types.flatMap((type) => type.missing);
      if (missing.length === 0) return;
      strapi.log.info(`[mcp-server] creating ${missing.length} recommended indexes (indexes: 'apply'); the boot waits`);
      const { created, failed } = await indexes.apply();
      for (const name of created) strapi.log.info(`[mcp-server] created the index ${name} (indexes: 'apply')`);
      for (const { name, reason } of failed) {
        strapi.log.warn(`[mcp-server] could not create the index ${name} (indexes: 'apply'): ${reason}`);
      }
      return;
    }
    const report = await indexes.check();
    for (const index of report.types.flatMap((type) => type.missing)) {
      strapi.log.info(`[mcp-server] ${describeMissing(index, report)}`);
    }
  } catch (error) {
    strapi.log.warn(`[mcp-server] could not check the recommended database indexes: ${(error as Error).message}`);
  }
};

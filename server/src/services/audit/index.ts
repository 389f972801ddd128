import type { Core } from '@strapi/strapi';
import { readPluginConfig } from '../../config/read-plugin-config';
import { AUDIT_LOG_UID } from '../../content-types';

export type AuditDecision = 'allowed' | 'denied' | 'error' | 'dry-run';

export interface AuditEntry {
  occurredAt?: Date;
  adminUserId?: number | null;
  adminUserEmail?: string | null;
  role?: string | null;
  tenant?: string | null;
  subject?: string | null;
  sessionId?: string | null;
  tool?: string | null;
  contentType?: string | null;
  documentId?: string | null;
  action?: string | null;
  decision: AuditDecision;
  reason?: string | null;
  appliedFilters?: unknown;
  arguments?: unknown;
  diff?: unknown;
  durationMs?: number | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditQuery {
  filters?: {
    decision?: AuditDecision;
    tool?: string;
    adminUserEmail?: string;
    contentType?: string;
    documentId?: string;
    sessionId?: string;
    from?: Date | string;
    to?: Date | string;
  };
  page?: number;
  pageSize?: number;
  sort?: 'asc' | 'desc';
}

const RETENTION_JOB = 'mcp-server-audit-retention';

/** PostgreSQL refuses NUL characters in text and JSON; a caller can send them in any argument. */
const withoutNul = (value: unknown): unknown => {
  if (typeof value === 'string') return value.split('\u0000').join('\\u0000');
  if (Array.isArray(value)) return value.map(withoutNul);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [withoutNul(key), withoutNul(item)]));
  }
  return value;
};

/**
 * The audit trail: one row per tool call and per refused authentication. Mutations write their row inside their own
 * transaction (`write`), so no change commits without it; everything else is batched (`record`) and flushed on a
 * timer, when the batch is full, and on shutdown. Rows older than `audit.retentionDays` are purged daily.
 */
const createAuditService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () => readPluginConfig(strapi).audit;
  let buffer: AuditEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  // `documentId` is reserved by Strapi for the row's own id: the audited document's id is stored as targetDocumentId.
  const toRow = ({ documentId, ...entry }: AuditEntry) =>
    withoutNul({
      ...entry,
      targetDocumentId: documentId ?? null,
      occurredAt: entry.occurredAt ?? new Date(),
    }) as Record<string, unknown>;
  const fromRow = ({ targetDocumentId, ...row }: Record<string, unknown>) => ({ ...row, documentId: targetDocumentId });

  const flush = async () => {
    if (buffer.length === 0) return flushing;
    const batch = buffer;
    buffer = [];
    flushing = flushing.then(async () => {
      try {
        await strapi.db.query(AUDIT_LOG_UID).createMany({ data: batch.map(toRow) });
      } catch (error) {
        strapi.log.error(`[mcp-server] could not write ${batch.length} audit rows: ${(error as Error).message}`);
      }
    });
    return flushing;
  };

  return {
    /** Queues a row (reads, refusals); it is written within `audit.flushIntervalMs`. */
    record(entry: AuditEntry) {
      if (!settings().enabled) return;
      buffer.push({ ...entry, occurredAt: entry.occurredAt ?? new Date() });
      if (buffer.length >= settings().maxBatchSize) void flush();
    },

    /** Writes a row now, inside the caller's transaction when there is one (mutations). */
    async write(entry: AuditEntry) {
      if (!settings().enabled) return;
      await strapi.db.query(AUDIT_LOG_UID).create({ data: toRow(entry) });
    },

    flush,

    async find(query: AuditQuery = {}) {
      const { filters = {}, sort = 'desc' } = query;
      const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 100);
      const page = Math.max(query.page ?? 1, 1);
      const where: Record<string, unknown> = {};
      for (const key of ['decision', 'tool', 'contentType', 'sessionId'] as const) {
        if (filters[key]) where[key] = filters[key];
      }
      if (filters.documentId) where.targetDocumentId = filters.documentId;
      if (filters.adminUserEmail) where.adminUserEmail = { $eqi: filters.adminUserEmail };
      if (filters.from || filters.to) {
        where.occurredAt = {
          ...(filters.from ? { $gte: new Date(filters.from) } : {}),
          ...(filters.to ? { $lte: new Date(filters.to) } : {}),
        };
      }
      const [results, total] = await Promise.all([
        strapi.db.query(AUDIT_LOG_UID).findMany({
          where,
          orderBy: [{ occurredAt: sort }, { id: sort }],
          offset: (page - 1) * pageSize,
          limit: pageSize,
        }),
        strapi.db.query(AUDIT_LOG_UID).count({ where }),
      ]);
      return {
        results: results.map(fromRow),
        pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) },
      };
    },

    async findOne(id: number) {
      const row = await strapi.db.query(AUDIT_LOG_UID).findOne({ where: { id } });
      return row ? fromRow(row) : null;
    },

    /** Deletes rows older than the retention; returns how many. */
    async purgeExpired(now = new Date()): Promise<number> {
      const cutoff = new Date(now.getTime() - settings().retentionDays * 24 * 60 * 60 * 1000);
      const { count } = await strapi.db.query(AUDIT_LOG_UID).deleteMany({ where: { occurredAt: { $lt: cutoff } } });
      return count;
    },

    start() {
      const { flushIntervalMs, cleanupRule } = settings();
      timer = setInterval(() => void flush(), flushIntervalMs);
      timer.unref();
      strapi.cron.add({ [RETENTION_JOB]: { task: () => this.purgeExpired(), options: { rule: cleanupRule } } });
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      strapi.cron.remove(RETENTION_JOB);
      await flush();
    },
  };
};

export default createAuditService;
export type AuditService = ReturnType<typeof createAuditService>;

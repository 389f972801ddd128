import type { Core } from '@strapi/strapi';
import { isConnectionLoss } from '../../database-connection';
import { getService } from '../get-service';
import { AUDIT_LOG_UID } from '../../content-types';
import { boundText, redactArguments } from './redact';
import { createRefusalCounter } from './refusal-counter';
import { createAuditReports } from './reports';

export type AuditDecision = 'allowed' | 'denied' | 'error' | 'dry-run';

export interface AuditEntry {
  occurredAt?: Date;
  adminUserId?: number | null;
  adminUserEmail?: string | null;
  role?: string | null;
  tenant?: string | null;
  subject?: string | null;
  /** Which credential the caller presented: `jwt`, or `admin-token:<id>` (`admin-token` when it was not recognised). */
  credential?: string | null;
  sessionId?: string | null;
  /** The MCP revision the request spoke (2026-07-28 requests have no session). */
  protocolVersion?: string | null;
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
  /** How many refusals this row stands for (HTTP-layer refusals are counted per address and minute). */
  count?: number;
}

export const AUDIT_SORT_COLUMNS = [
  'occurredAt',
  'durationMs',
  'tool',
  'adminUserEmail',
  'decision',
  'contentType',
] as const;

export interface AuditQuery {
  filters?: {
    decision?: AuditDecision;
    tool?: string;
    adminUserEmail?: string;
    adminUserId?: number;
    contentType?: string;
    documentId?: string;
    sessionId?: string;
    protocolVersion?: string;
    from?: Date | string;
    to?: Date | string;
  };
  page?: number;
  pageSize?: number;
  /** The column to sort by (default occurredAt); ties in time order. */
  sortBy?: (typeof AUDIT_SORT_COLUMNS)[number];
  sort?: 'asc' | 'desc';
}

const auditWhere = (filters: AuditQuery['filters'] = {}) => {
  const where: Record<string, unknown> = {};
  for (const key of ['decision', 'tool', 'contentType', 'sessionId', 'protocolVersion', 'adminUserId'] as const) {
    if (filters[key] !== undefined && filters[key] !== '') where[key] = filters[key];
  }
  if (filters.documentId) where.targetDocumentId = filters.documentId;
  if (filters.adminUserEmail) where.adminUserEmail = { $eqi: filters.adminUserEmail };
  if (filters.from || filters.to) {
    where.occurredAt = {
      ...(filters.from ? { $gte: new Date(filters.from) } : {}),
      ...(filters.to ? { $lte: new Date(filters.to) } : {}),
    };
  }
  return where;
};

const auditOrder = ({ sortBy = 'occurredAt', sort = 'desc' }: AuditQuery) =>
  sortBy === 'occurredAt'
    ? [{ occurredAt: sort }, { id: sort }]
    : [{ [sortBy]: sort }, { occurredAt: 'desc' as const }, { id: 'desc' as const }];

const RETENTION_JOB = 'mcp-server-audit-retention';

/** Column bounds: `string` columns are varchar(255) on PostgreSQL; `reason` is text, still bounded. */
const MAX_COLUMN_LENGTH = 255;
const MAX_REASON_LENGTH = 2000;
const STRING_COLUMNS = [
  'adminUserEmail',
  'role',
  'tenant',
  'subject',
  'credential',
  'sessionId',
  'protocolVersion',
  'tool',
  'contentType',
  'action',
  'ip',
  'userAgent',
] as const;
const JSON_COLUMNS = ['appliedFilters', 'arguments', 'diff'] as const;
/** A JSON column keeps at most this much; a larger value is replaced by its size and top-level keys. */
const MAX_JSON_COLUMN_BYTES = 16 * 1024;

/** Strings are cut shorter and shorter until the value fits; only then is it replaced by its size and keys. */
const STRING_BOUNDS = [1000, 100, 16];

const boundJson = (value: unknown): unknown => {
  let bytes = 0;
  for (const maxString of STRING_BOUNDS) {
    const bounded = redactArguments(value, [], 0, maxString);
    bytes = Buffer.byteLength(JSON.stringify(bounded) ?? '');
    if (bytes <= MAX_JSON_COLUMN_BYTES) return bounded;
  }
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).slice(0, 50) : [];
  return { truncated: true, bytes, ...(keys.length > 0 ? { keys } : {}) };
};

/**
 * A row as stored: every text bounded and free of control characters (caller input can hold NUL, which PostgreSQL
 * refuses, or line breaks that would forge entries in an export), every JSON value bounded in size and depth.
 */
export const boundRow = ({ documentId, ...entry }: AuditEntry): Record<string, unknown> => {
  const row: Record<string, unknown> = {
    ...entry,
    targetDocumentId:
      documentId === undefined || documentId === null ? null : boundText(String(documentId), MAX_COLUMN_LENGTH),
    occurredAt: entry.occurredAt ?? new Date(),
    count: entry.count ?? 1,
  };
  for (const column of STRING_COLUMNS) {
    const value = entry[column];
    row[column] = value === undefined || value === null ? null : boundText(String(value), MAX_COLUMN_LENGTH);
  }
  row.reason = entry.reason === undefined || entry.reason === null ? null : boundText(entry.reason, MAX_REASON_LENGTH);
  for (const column of JSON_COLUMNS) {
    if (entry[column] !== undefined) row[column] = boundJson(entry[column]);
  }
  return row;
};

/** Queued rows kept while the database cannot take them; beyond it, the oldest are dropped. */
const MAX_PENDING_ROWS = 10_000;
const FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * The audit trail: one row per tool call and per refused authentication. Mutations write their row inside their own
 * transaction (`write`), so no change commits without it; everything else is batched (`record`) and flushed on a
 * timer, when the batch is full, and on shutdown; rows the database could not take for a lost connection are tried
 * again at the next flush. Rows older than `audit.retentionDays` are purged daily.
 */
const createAuditService = ({ strapi }: { strapi: Core.Strapi }) => {
  const settings = () => getService(strapi, 'settings').get().audit;
  let buffer: AuditEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();
  const refusals = createRefusalCounter();
  /** Whether the last write of a batch failed: then only the timer tries again. */
  let failing = false;
  let failureLoggedAt = 0;

  // `documentId` is reserved by Strapi for the row's own id: the audited document's id is stored as targetDocumentId.
  const toRow = boundRow;
  const fromRow = ({ targetDocumentId, ...row }: Record<string, unknown>) => ({ ...row, documentId: targetDocumentId });

  /**
   * Rows the database refused (it may be restarting) wait for the next timed flush, ahead of what was queued since;
   * past the bound, the oldest go. Meanwhile a full batch does not flush on its own, and the log speaks twice a minute.
   */
  const keepForLater = (rows: AuditEntry[], error: Error) => {
    buffer = [...rows, ...buffer];
    const dropped = Math.max(0, buffer.length - MAX_PENDING_ROWS);
    if (dropped > 0) buffer = buffer.slice(dropped);
    failing = true;
    const now = Date.now();
    if (dropped === 0 && now - failureLoggedAt < FAILURE_LOG_INTERVAL_MS) return;
    failureLoggedAt = now;
    strapi.log.error(
      `[mcp-server] could not write ${rows.length} audit rows (${String(error.message).slice(-300)}); ${buffer.length} wait for the next ` +
        `attempt${dropped > 0 ? `, ${dropped} oldest dropped (more than ${MAX_PENDING_ROWS} waiting)` : ''}`,
    );
  };

  const flush = async ({ all = true } = {}) => {
    buffer.push(...refusals.drain(Date.now(), all));
    if (buffer.length === 0) return flushing;
    const batch = buffer;
    buffer = [];
    flushing = flushing.then(async () => {
      const size = settings().maxBatchSize;
      for (let start = 0; start < batch.length; start += size) {
        try {
          await strapi.db.query(AUDIT_LOG_UID).createMany({ data: batch.slice(start, start + size).map(toRow) });
        } catch (error) {
          // Only a lost connection is worth waiting for; a batch the database refuses for itself would block the rest.
          if (isConnectionLoss(strapi, error)) keepForLater(batch.slice(start), error as Error);
          else {
            strapi.log.error(
              `[mcp-server] could not write ${Math.min(size, batch.length - start)} audit rows: ` +
                String((error as Error).message).slice(-300),
            );
            continue;
          }
          return;
        }
      }
      if (failing) strapi.log.info('[mcp-server] audit rows are written again');
      failing = false;
    });
    return flushing;
  };

  return {
    /** Queues a row (reads, refusals); it is written within `audit.flushIntervalMs`. */
    record(entry: AuditEntry) {
      if (!settings().enabled) return;
      buffer.push({ ...entry, occurredAt: entry.occurredAt ?? new Date() });
      if (buffer.length >= settings().maxBatchSize && !failing) void flush({ all: false });
    },

    /** Counts a refusal of the HTTP layer: one row per address, refusal, user and minute (see refusal-counter). */
    recordRefusal(entry: AuditEntry) {
      if (!settings().enabled) return;
      refusals.add(entry);
    },

    /**
     * Writes a row now, inside the caller's transaction when there is one (mutations). `always`: also when the audit
     * trail is off (changes to the plugin's own settings are always recorded).
     */
    async write(entry: AuditEntry, { always = false } = {}) {
      if (!settings().enabled && !always) return;
      await strapi.db.query(AUDIT_LOG_UID).create({ data: toRow(entry) });
    },

    flush,

    /** The Overview and Usage pages' figures. */
    reports: createAuditReports(strapi),

    async find(query: AuditQuery = {}) {
      const pageSize = Math.min(Math.max(query.pageSize ?? 25, 1), 100);
      const page = Math.max(query.page ?? 1, 1);
      const where = auditWhere(query.filters);
      const orderBy = auditOrder(query);
      const [results, total] = await Promise.all([
        strapi.db.query(AUDIT_LOG_UID).findMany({ where, orderBy, offset: (page - 1) * pageSize, limit: pageSize }),
        strapi.db.query(AUDIT_LOG_UID).count({ where }),
      ]);
      return {
        results: results.map(fromRow),
        pagination: { page, pageSize, total, pageCount: Math.ceil(total / pageSize) },
      };
    },

    /** The matching rows in order, a page at a time, at most `limit` of them (the CSV export). */
    async *stream(query: AuditQuery, limit: number, pageSize = 500): AsyncGenerator<Record<string, unknown>> {
      const where = auditWhere(query.filters);
      const orderBy = auditOrder(query);
      for (let offset = 0; offset < limit; offset += pageSize) {
        const rows = await strapi.db
          .query(AUDIT_LOG_UID)
          .findMany({ where, orderBy, offset, limit: Math.min(pageSize, limit - offset) });
        for (const row of rows) yield fromRow(row);
        if (rows.length < pageSize) return;
      }
    },

    count: (filters?: AuditQuery['filters']) => strapi.db.query(AUDIT_LOG_UID).count({ where: auditWhere(filters) }),

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
      timer = setInterval(() => void flush({ all: false }), flushIntervalMs);
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

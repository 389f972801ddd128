import type { Core } from '@strapi/strapi';
import { AUDIT_LOG_UID } from '../../content-types';

/** Rows a report reads at most (the latest ones); a report over more says it is `truncated`. */
export const MAX_REPORT_ROWS = 100_000;
const HOUR_MS = 60 * 60 * 1000;

interface ReportRow {
  occurredAt: string | Date;
  adminUserId: number | null;
  adminUserEmail: string | null;
  credential: string | null;
  tool: string | null;
  decision: 'allowed' | 'denied' | 'error' | 'dry-run';
  durationMs: number | null;
  count: number | null;
}

const percentile = (sorted: number[], p: number): number | null =>
  sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

interface Tally {
  calls: number;
  allowed: number;
  denied: number;
  errors: number;
  dryRun: number;
  durations: number[];
  lastUsedAt: number;
}

const newTally = (): Tally => ({ calls: 0, allowed: 0, denied: 0, errors: 0, dryRun: 0, durations: [], lastUsedAt: 0 });

/**
 * Every row counts as calls, `count` times (an HTTP-layer refusal row stands for several), so that calls are the sum of
 * allowed, denied, errors and dry runs; durations are those of tool calls.
 */
const addTo = (tally: Tally, row: ReportRow) => {
  const times = row.count ?? 1;
  tally.calls += times;
  if (row.decision === 'allowed') tally.allowed += times;
  else if (row.decision === 'denied') tally.denied += times;
  else if (row.decision === 'error') tally.errors += times;
  else tally.dryRun += times;
  if (row.tool && typeof row.durationMs === 'number') tally.durations.push(row.durationMs);
  tally.lastUsedAt = Math.max(tally.lastUsedAt, new Date(row.occurredAt).getTime());
};

const summarize = ({ durations, lastUsedAt, ...counts }: Tally) => ({
  ...counts,
  avgDurationMs: durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length) : null,
  lastUsedAt: lastUsedAt ? new Date(lastUsedAt).toISOString() : null,
});

const topTools = (counts: Map<string, number>, limit = 5) =>
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, limit)
    .map(([tool, calls]) => ({ tool, calls }));

/**
 * What the admin panel's Overview and Usage pages show, computed from the audit trail: the rows since `from`, the
 * latest MAX_REPORT_ROWS of them, read with the query engine (the same on SQLite and PostgreSQL). Settings changes
 * (credential `admin-panel`) are not MCP traffic and are left out.
 */
export const createAuditReports = (strapi: Core.Strapi) => {
  const readSince = async (from: Date) => {
    const rows = (await strapi.db.query(AUDIT_LOG_UID).findMany({
      select: ['occurredAt', 'adminUserId', 'adminUserEmail', 'credential', 'tool', 'decision', 'durationMs', 'count'],
      where: {
        occurredAt: { $gte: from },
        $or: [{ credential: { $null: true } }, { credential: { $ne: 'admin-panel' } }],
      },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      limit: MAX_REPORT_ROWS + 1,
    })) as ReportRow[];
    const truncated = rows.length > MAX_REPORT_ROWS;
    return { rows: truncated ? rows.slice(0, MAX_REPORT_ROWS) : rows, truncated };
  };

  return {
    /** The last 24 hours: totals, p50/p95 of tool call durations, and 24 hourly buckets (oldest first). */
    async last24Hours(now = Date.now()) {
      const start = Math.floor(now / HOUR_MS) * HOUR_MS - 23 * HOUR_MS;
      const { rows, truncated } = await readSince(new Date(now - 24 * HOUR_MS));
      const total = newTally();
      const buckets = Array.from({ length: 24 }, () => newTally());
      for (const row of rows) {
        addTo(total, row);
        const index = Math.floor((new Date(row.occurredAt).getTime() - start) / HOUR_MS);
        if (index >= 0 && index < 24) addTo(buckets[index], row);
      }
      const sorted = [...total.durations].sort((a, b) => a - b);
      return {
        calls: total.calls,
        allowed: total.allowed,
        denied: total.denied,
        errors: total.errors,
        dryRun: total.dryRun,
        p50Ms: percentile(sorted, 50),
        p95Ms: percentile(sorted, 95),
        truncated,
        hourly: buckets.map((bucket, index) => ({
          hour: new Date(start + index * HOUR_MS).toISOString(),
          calls: bucket.calls,
          denied: bucket.denied,
          errors: bucket.errors,
          p95Ms: percentile(
            [...bucket.durations].sort((a, b) => a - b),
            95,
          ),
        })),
      };
    },

    /** Per admin user and per credential since `from`: calls, decisions, average duration, last use, top tools. */
    async usage(from: Date) {
      const { rows, truncated } = await readSince(from);
      const users = new Map<
        string,
        { adminUserId: number | null; email: string | null; tally: Tally; tools: Map<string, number> }
      >();
      const credentials = new Map<string, Tally>();
      const tools = new Map<string, number>();
      for (const row of rows) {
        // By email: a refusal before the admin user was resolved (a token refused, access switched off) has no id.
        const userKey = row.adminUserEmail ? `email:${row.adminUserEmail.toLowerCase()}` : `id:${row.adminUserId}`;
        if (!users.has(userKey)) {
          users.set(userKey, {
            adminUserId: row.adminUserId,
            email: row.adminUserEmail,
            tally: newTally(),
            tools: new Map(),
          });
        }
        const user = users.get(userKey)!;
        user.adminUserId ??= row.adminUserId;
        addTo(user.tally, row);
        const credential = row.credential ?? 'unknown';
        if (!credentials.has(credential)) credentials.set(credential, newTally());
        addTo(credentials.get(credential)!, row);
        if (row.tool) {
          const times = row.count ?? 1;
          user.tools.set(row.tool, (user.tools.get(row.tool) ?? 0) + times);
          tools.set(row.tool, (tools.get(row.tool) ?? 0) + times);
        }
      }
      const byCalls = <T extends { calls: number }>(a: T, b: T) => b.calls - a.calls;
      return {
        truncated,
        users: [...users.values()]
          .map(({ adminUserId, email, tally, tools: used }) => ({
            adminUserId,
            email,
            ...summarize(tally),
            topTools: topTools(used),
          }))
          .sort(byCalls),
        credentials: [...credentials.entries()]
          .map(([credential, tally]) => ({ credential, ...summarize(tally) }))
          .sort(byCalls),
        tools: topTools(tools, 20),
      };
    },

    /** The latest tool call of each of these admin users. */
    async lastActivity(adminUserIds: number[]) {
      const found = new Map<number, { at: string; tool: string | null; decision: string }>();
      await Promise.all(
        adminUserIds.map(async (adminUserId) => {
          const row = (await strapi.db.query(AUDIT_LOG_UID).findOne({
            select: ['occurredAt', 'tool', 'decision'],
            where: { adminUserId, tool: { $notNull: true } },
            orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
          })) as ReportRow | null;
          if (row) {
            found.set(adminUserId, {
              at: new Date(row.occurredAt).toISOString(),
              tool: row.tool,
              decision: row.decision,
            });
          }
        }),
      );
      return found;
    },
  };
};

export type AuditReports = ReturnType<typeof createAuditReports>;

import { Readable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import { z } from 'zod';
import { AUDIT_SORT_COLUMNS, type AuditQuery } from '../services/audit';
import { getService } from '../services/get-service';

/** Rows one CSV export holds at most; the response says when more matched. */
export const MAX_EXPORT_ROWS = 10_000;

const DECISIONS = ['allowed', 'denied', 'error', 'dry-run'] as const;
const DAY_MS = 24 * 60 * 60 * 1000;

const isoDate = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date (ISO 8601)');

const auditQuery = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.enum(AUDIT_SORT_COLUMNS).default('occurredAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  user: z.string().trim().max(254).optional(),
  tool: z.string().trim().max(100).optional(),
  contentType: z.string().trim().max(255).optional(),
  decision: z.enum(DECISIONS).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

const readQuery = (ctx: Context): AuditQuery => {
  const parsed = auditQuery.safeParse(
    Object.fromEntries(Object.entries(ctx.query).filter(([, value]) => value !== '' && !Array.isArray(value))),
  );
  if (!parsed.success) {
    throw new errors.ValidationError('invalid audit query', {
      errors: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String),
        message: issue.message,
        name: 'ValidationError',
      })),
    });
  }
  const { page, pageSize, sort, order, user, ...filters } = parsed.data;
  return {
    page,
    pageSize,
    sortBy: sort,
    sort: order,
    filters: { ...filters, ...(user ? { adminUserEmail: user } : {}) },
  };
};

const CSV_COLUMNS = [
  'occurredAt',
  'adminUserEmail',
  'role',
  'tenant',
  'credential',
  'tool',
  'action',
  'contentType',
  'documentId',
  'decision',
  'durationMs',
  'count',
  'reason',
  'sessionId',
  'protocolVersion',
  'ip',
] as const;

/**
 * One CSV field: quoted when it holds a separator (`,`, or `;` where a spreadsheet uses it), a quote or a line break;
 * a value a spreadsheet would read as a formula (=, +, - or @ first, after any blanks) is neutralised with a quote
 * mark, since every value may come from a caller.
 */
export const csvField = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[\s\u00a0]*[=+\-@]/.test(text) || /^[\t\r]/.test(text)) text = `'${text}`;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

const csvLine = (row: Record<string, unknown>) => `${CSV_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`;

/** Settings → MCP Server → Audit log and Usage. */
const createAdminAuditController = ({ strapi }: { strapi: Core.Strapi }) => {
  const audit = () => getService(strapi, 'audit');

  return {
    async list(ctx: Context) {
      ctx.body = { data: await audit().find(readQuery(ctx)) };
    },

    async show(ctx: Context) {
      const row = /^[1-9]\d{0,15}$/.test(String(ctx.params.id)) ? await audit().findOne(Number(ctx.params.id)) : null;
      if (!row) throw new errors.NotFoundError('no audit row with this id');
      ctx.body = { data: row };
    },

    /** The filtered rows as CSV, in the table's order, streamed a page at a time, at most MAX_EXPORT_ROWS. */
    async exportCsv(ctx: Context) {
      const query = readQuery(ctx);
      const total = await audit().count(query.filters);
      const rows = audit().stream(query, MAX_EXPORT_ROWS);
      async function* lines() {
        yield `${CSV_COLUMNS.join(',')}\r\n`;
        for await (const row of rows) yield csvLine(row);
      }
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      ctx.set('Content-Type', 'text/csv; charset=utf-8');
      ctx.set('Content-Disposition', `attachment; filename="mcp-audit-${stamp}.csv"`);
      ctx.set('X-MCP-Export-Limit', String(MAX_EXPORT_ROWS));
      ctx.set('X-MCP-Export-Truncated', String(total > MAX_EXPORT_ROWS));
      ctx.set('Cache-Control', 'no-store');
      ctx.body = Readable.from(lines());
    },

    filters(ctx: Context) {
      ctx.body = {
        data: {
          tools: getService(strapi, 'tools')
            .listTools()
            .map((tool) => tool.name)
            .sort(),
          contentTypes: [...getService(strapi, 'policy').compiled().types.keys()].sort(),
          decisions: DECISIONS,
        },
      };
    },

    async usage(ctx: Context) {
      const window = ctx.query.window === '7d' ? '7d' : '24h';
      const from = new Date(Date.now() - (window === '7d' ? 7 : 1) * DAY_MS);
      ctx.body = { data: { window, from: from.toISOString(), ...(await audit().reports.usage(from)) } };
    },
  };
};

export default createAdminAuditController;

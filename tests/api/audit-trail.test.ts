/**
 * The audit trail: one row per tool call (allowed, denied, error, dry-run) and per refused authentication, with the
 * filters actually applied, redacted arguments, the diff of updates; mutations commit with their row or not at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, type ConnectedClient, openingRequest } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const AUDIT = 'plugin::mcp-server.audit-log';
const ARTICLE = 'api::article.article';

let app: TestApp;
let author: ConnectedClient;
let admin: ConnectedClient;

const auditService = () => app.strapi.plugin('mcp-server').service('audit');
/** Rows written since `since`, oldest first, after flushing the queue. */
const rowsSince = async (since: Date, where: Record<string, unknown> = {}) => {
  await auditService().flush();
  return app.strapi.db
    .query(AUDIT)
    .findMany({ where: { occurredAt: { $gte: since }, ...where }, orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] });
};

describe('audit trail', () => {
  beforeAll(async () => {
    app = await bootTestApp();
    author = await connectClient(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'), {
      headers: { 'User-Agent': 'audit-test-agent/1.0' },
    });
    admin = await connectClient(app, await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1'));
  });
  afterAll(async () => {
    await author?.close();
    await admin?.close();
    await app?.close();
  });

  describe('one row per tool call', () => {
    it('records an allowed read with the caller, the filters actually applied (injected ones included) and timing', async () => {
      const since = new Date();
      const result = await author.callTool('find_documents', {
        contentType: 'article',
        filters: { kind: 'news' },
        pageSize: 2,
      });
      expect(result.isError).toBeFalsy();
      const rows = await rowsSince(since, { tool: 'find_documents' });
      expect(rows).toHaveLength(1);
      const author1 = await app.strapi.db.query('admin::user').findOne({ where: { email: 'author1@example.com' } });
      expect(rows[0]).toMatchObject({
        decision: 'allowed',
        action: 'read',
        contentType: ARTICLE,
        adminUserId: author1.id,
        adminUserEmail: 'author1@example.com',
        role: 'Author',
        tenant: 'org-1',
        subject: 'sso|author1@example.com',
        // 2026-07-28 has no sessions; the revision is on record either way.
        sessionId: author.sessionId || null,
        protocolVersion: author.protocol,
        userAgent: 'audit-test-agent/1.0',
        arguments: { contentType: 'article', filters: { kind: 'news' }, pageSize: 2 },
      });
      expect(rows[0].ip).toMatch(/127\.0\.0\.1/);
      expect(JSON.stringify(rows[0].appliedFilters)).toContain('"tenantId":"org-1"');
      expect(JSON.stringify(rows[0].appliedFilters)).toContain('"kind":"news"');
      expect(rows[0].durationMs).toBeGreaterThanOrEqual(0);
    });

    it('records a denied call with the reason the caller was given', async () => {
      const since = new Date();
      const result = await author.callTool('find_documents', {
        contentType: 'article',
        filters: { reviewNotes: { $contains: 'x' } },
      });
      expect(result.isError).toBe(true);
      const [row] = await rowsSince(since, { tool: 'find_documents' });
      expect(row).toMatchObject({ decision: 'denied', contentType: ARTICLE });
      expect(row.reason).toMatch(/cannot filter on reviewNotes/);
    });

    it('records a document outside the caller\'s scope as denied, while the caller only hears "not found"', async () => {
      const foreign = await app.strapi.documents(ARTICLE).findFirst({ filters: { tenantId: 'org-2' } });
      const since = new Date();
      const result = await author.callTool('get_document', { contentType: 'article', documentId: foreign!.documentId });
      expect((result.content[0] as { text: string }).text).toBe(`document ${foreign!.documentId} of article not found`);
      const [row] = await rowsSince(since, { tool: 'get_document' });
      expect(row.decision).toBe('denied');
      expect(row.targetDocumentId).toBe(foreign!.documentId);
      expect(row.reason).toMatch(/outside the caller's scope/);
    });

    it('records an update inside its own transaction, with the field-level diff', async () => {
      const created = await author.callTool('create_document', {
        contentType: 'article',
        data: { title: 'Audit me', kind: 'news' },
      });
      const documentId = (created.structuredContent as { data: { documentId: string } }).data.documentId;
      const since = new Date();
      await author.callTool('update_document', { contentType: 'article', documentId, data: { title: 'Audited' } });
      // Written synchronously with the change: no flush needed.
      const [row] = await app.strapi.db
        .query(AUDIT)
        .findMany({ where: { occurredAt: { $gte: since }, tool: 'update_document' } });
      expect(row).toMatchObject({
        decision: 'allowed',
        action: 'update',
        targetDocumentId: documentId,
        diff: { title: { from: 'Audit me', to: 'Audited' } },
      });
    });

    it('records a dry run as dry-run, and a create as allowed with the new documentId', async () => {
      const since = new Date();
      await author.callTool('create_document', {
        contentType: 'article',
        data: { title: 'Only a test', kind: 'blog' },
        dryRun: true,
      });
      const created = await author.callTool('create_document', {
        contentType: 'article',
        data: { title: 'Real one', kind: 'blog' },
      });
      const documentId = (created.structuredContent as { data: { documentId: string } }).data.documentId;
      const rows = await rowsSince(since, { tool: 'create_document' });
      expect(rows.map((row) => row.decision)).toEqual(['dry-run', 'allowed']);
      expect(rows[1].targetDocumentId).toBe(documentId);
    });

    it('records a failure Strapi reports (validation) as error', async () => {
      const since = new Date();
      // Category names are unique: Strapi's own validation refuses a second "Product".
      const result = await admin.callTool('create_document', { contentType: 'category', data: { name: 'Product' } });
      expect(result.isError).toBe(true);
      expect((result.content[0] as { text: string }).text).toMatch(/Strapi refused the data: name/);
      const [row] = await rowsSince(since, { tool: 'create_document' });
      expect(row).toMatchObject({ decision: 'error' });
    });

    it('redacts sensitive argument values and file contents', async () => {
      const since = new Date();
      await author.callTool('upload_media', { filename: 'a.png', base64: 'aGVsbG8=', dryRun: true });
      await author.callTool('find_documents', {
        contentType: 'article',
        filters: { title: { $eq: 'apiToken' } },
        pageSize: 1,
      });
      const rows = await rowsSince(since);
      const upload = rows.find((row) => row.tool === 'upload_media')!;
      expect(upload.arguments).toMatchObject({ filename: 'a.png', base64: '[redacted]' });
    });
  });

  describe('failed mutations leave nothing behind', () => {
    it('rolls back an update whose publish fails, and records the error instead', async () => {
      // A draft may lack its required title; publishing it must fail, and with it the update that came first.
      const draft = await app.strapi.documents(ARTICLE).create({
        data: { kind: 'news', tenantId: 'org-1', title: null } as never,
      });
      const since = new Date();
      const result = await admin.callTool('update_document', {
        contentType: 'article',
        documentId: draft.documentId,
        data: { kind: 'blog' },
        status: 'published',
      });
      expect(result.isError).toBe(true);
      const stored = await app.strapi.documents(ARTICLE).findOne({ documentId: draft.documentId });
      expect(stored!.kind).toBe('news');
      expect(
        await app.strapi.documents(ARTICLE).count({ filters: { documentId: draft.documentId }, status: 'published' }),
      ).toBe(0);
      const rows = await rowsSince(since, { tool: 'update_document' });
      expect(rows.map((row) => row.decision)).toEqual(['error']);
    });
  });

  describe('refused authentication', () => {
    it('records each refused authentication with its layer, reason, the claimed email, IP and user agent', async () => {
      const since = new Date();
      await openingRequest(app, { 'User-Agent': 'intruder/0.1' });
      const inactive = await app.idp.tokenFor('inactive@example.com', 'Reader');
      await openingRequest(app, { ...credentials(app, inactive), 'User-Agent': 'intruder/0.1' });
      const rows = await rowsSince(since, { action: 'authenticate' });
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        decision: 'denied',
        reason: 'secret: missing X-MCP-Internal-Secret header',
        userAgent: 'intruder/0.1',
        tool: null,
      });
      expect(rows[1]).toMatchObject({
        decision: 'denied',
        reason: 'admin-user: admin user is not active',
        adminUserEmail: 'inactive@example.com',
      });
      expect(JSON.stringify(rows)).not.toContain(inactive);
    });
  });

  describe('the audit service', () => {
    it('is hidden from the Content Manager and never exposed over MCP', async () => {
      const schema = app.strapi.contentTypes[AUDIT as keyof typeof app.strapi.contentTypes] as {
        pluginOptions: Record<string, { visible: boolean }>;
      };
      expect(schema.pluginOptions['content-manager'].visible).toBe(false);
      const listed = await admin.callTool('list_content_types');
      expect(JSON.stringify(listed)).not.toContain('audit');
    });

    it('answers queries for the admin panel: filters, pages, newest first', async () => {
      await auditService().flush();
      const page = await auditService().find({
        filters: { adminUserEmail: 'AUTHOR1@example.com', decision: 'allowed' },
        pageSize: 2,
      });
      expect(page.pagination).toMatchObject({ page: 1, pageSize: 2 });
      expect(page.pagination.total).toBeGreaterThan(2);
      expect(page.results).toHaveLength(2);
      expect(
        page.results.every(
          (row: { adminUserEmail: string; decision: string }) =>
            row.adminUserEmail === 'author1@example.com' && row.decision === 'allowed',
        ),
      ).toBe(true);
      expect(new Date(page.results[0].occurredAt).getTime()).toBeGreaterThanOrEqual(
        new Date(page.results[1].occurredAt).getTime(),
      );
    });

    it('purges rows past the retention, daily', async () => {
      await auditService().write({
        decision: 'allowed',
        tool: 'ancient',
        occurredAt: new Date('2020-01-01T00:00:00Z'),
      });
      await auditService().write({ decision: 'allowed', tool: 'recent', occurredAt: new Date() });
      const purged = await auditService().purgeExpired();
      expect(purged).toBeGreaterThanOrEqual(1);
      expect(await app.strapi.db.query(AUDIT).count({ where: { tool: 'ancient' } })).toBe(0);
      expect(await app.strapi.db.query(AUDIT).count({ where: { tool: 'recent' } })).toBe(1);
      expect(app.strapi.cron.jobs.map((job) => job.name)).toContain('mcp-server-audit-retention');
    });
  });
});

describe('shutdown', () => {
  it('flushes queued read rows when Strapi shuts down', async () => {
    const local = await bootTestApp({ pluginConfig: { audit: { flushIntervalMs: 3_600_000, maxBatchSize: 1000 } } });
    const reader = await connectClient(local, await local.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    for (let i = 0; i < 3; i += 1) await reader.callTool('count_documents', { contentType: 'category' });
    expect(await local.strapi.db.query(AUDIT).count({ where: { tool: 'count_documents' } })).toBe(0);
    await reader.close();
    let written: unknown;
    await local.close({
      inspect: async (query) => {
        written = (await query("SELECT COUNT(*) AS n FROM mcp_audit_logs WHERE tool = 'count_documents'"))[0].n;
      },
    });
    expect(Number(written)).toBe(3);
  });
});

/**
 * Findings 5, 6 and 7: the audit trail under attack. Refusals before authentication are counted per address,
 * refusal and minute instead of one row each; every row is bounded (keys, key counts, texts) with control characters
 * replaced; refusal messages quote caller input clipped; and calls the SDK used to refuse before the audit trail
 * started (a tool not offered, arguments that fail the schema) leave a denied row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, credentials, type ConnectedClient, openingRequest } from '../helpers/mcp-client';
import { auditRows, expectRefused, textOf } from '../helpers/results';
import { bootTestApp, type TestApp } from '../helpers/test-app';

/** A line break or NUL: what would forge a line in a log or break PostgreSQL. */
const hasControlCharacter = (text: string) => text.includes('\n') || text.includes('\u0000');

let app: TestApp;
let reader: ConnectedClient;

beforeAll(async () => {
  app = await bootTestApp();
  reader = await connectClient(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
});
afterAll(async () => {
  await reader?.close();
  await app?.close();
});

describe('refusals before authentication', () => {
  it('counts a flood of 300 refused requests with attacker-chosen text in a few rows', async () => {
    const since = (await auditRows(app)).at(-1)?.id ?? 0;
    const junk = (index: number) => `${'x'.repeat(400)}-${index}`;
    for (let index = 0; index < 100; index += 1) {
      await Promise.all([
        openingRequest(app, { 'User-Agent': junk(index) }),
        openingRequest(app, { 'X-MCP-Internal-Secret': junk(index), Authorization: 'Bearer x' }),
        openingRequest(app, {
          ...credentials(app, `${junk(index)}.${junk(index)}.x`),
          Origin: `https://${index}.evil.test`,
        }),
      ]);
    }
    const rows = (await auditRows(app)).filter((row) => row.id > since);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(6);
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(300);
    for (const row of rows) {
      expect(row).toMatchObject({ decision: 'denied', action: 'authenticate', ip: expect.any(String) });
      expect(row.userAgent === null || row.userAgent.length <= 300).toBe(true);
      expect((row.reason ?? '').length).toBeLessThanOrEqual(2100);
    }
  });
});

describe('bounded rows', () => {
  it('stores a call with 150 keys of 3 000 characters, control characters included, as a bounded row', async () => {
    const filters = Object.fromEntries(
      Array.from({ length: 150 }, (_, index) => [`line${index}\n\u0000forged: entry ${'k'.repeat(3000)}`, 'x']),
    );
    const result = await reader.callTool('find_documents', { contentType: 'article', filters });
    expect(result.isError).toBe(true);
    expect(textOf(result).length).toBeLessThan(700);
    expect(hasControlCharacter(textOf(result))).toBe(false);
    const [row] = (await auditRows(app, { tool: 'find_documents', decision: 'denied' })).slice(-1);
    const stored = row.arguments.filters as Record<string, unknown>;
    expect(Object.keys(stored).length).toBeLessThanOrEqual(51);
    for (const key of Object.keys(stored)) {
      expect(key.length).toBeLessThanOrEqual(130);
      expect(hasControlCharacter(key)).toBe(false);
    }
    expect(row.reason.length).toBeLessThanOrEqual(2100);
    expect(hasControlCharacter(row.reason)).toBe(false);
  });

  it('clips a hostile locale quoted back in a refusal', async () => {
    const result = await reader.callTool('find_documents', {
      contentType: 'homepage',
      locale: `fr\n${'z'.repeat(3000)}`,
    });
    expectRefused(result, /^locale fr\uFFFDz+… \(3003 characters\) is not installed; available: en, fr, \*$/);
  });
});

describe('calls the SDK used to answer before the audit trail started', () => {
  it('records a denied row for a tool the caller is not offered', async () => {
    const result = await reader.callTool('create_document', { contentType: 'category', data: { name: 'x' } });
    expectRefused(result, 'MCP error -32602: Tool create_document not found');
    const [row] = (await auditRows(app, { tool: 'create_document' })).slice(-1);
    expect(row).toMatchObject({
      decision: 'denied',
      adminUserEmail: 'reader@example.com',
      reason: 'MCP error -32602: Tool create_document not found among the tools offered to this caller',
    });
  });

  it('records a denied row for a tool that does not exist, its name clipped', async () => {
    const name = `no_such_tool_${'n'.repeat(500)}`;
    const result = await reader.callTool(name, {});
    expect(result.isError).toBe(true);
    const [row] = (await auditRows(app, { decision: 'denied' })).slice(-1);
    expect(row.tool.length).toBeLessThanOrEqual(300);
    expect(row.tool.startsWith('no_such_tool_')).toBe(true);
  });

  it('records a denied row for arguments that fail the schema', async () => {
    const result = await reader.callTool('find_documents', { contentType: 42, pageSize: 'all' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^MCP error -32602: Input validation error: Invalid arguments for tool find_documents: /,
    );
    const [row] = (await auditRows(app, { tool: 'find_documents' })).slice(-1);
    expect(row).toMatchObject({ decision: 'denied', arguments: { contentType: 42, pageSize: 'all' } });
    expect(row.reason).toMatch(/^MCP error -32602: Input validation error/);
  });
});

/**
 * Rate limits on the memory store: calls per admin user (shared by all their credentials), a credential with a budget
 * of its own, a user override, failed authentications per IP address (refused before the credentials are read, and
 * not recorded), and budgets changed at runtime. Every 429 is a JSON-RPC error of type `rate-limit` with Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ISSUER } from '../helpers/identity-provider';
import { connectClient, credentials, rawRequest, type RawResponse } from '../helpers/mcp-client';
import { handshakeHeaders, handshakeMessage, listTools } from '../helpers/rate-limit-calls';
import { auditRows } from '../helpers/results';
import { requestFrom } from '../helpers/source-address';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const PER_MINUTE = 3;
const IMPORTER_BUDGET = 6;
const PUBLISHER_BUDGET = 5;
const FAILED_AUTH_PER_MINUTE = 4;

let app: TestApp;

beforeAll(async () => {
  app = await bootTestApp({
    pluginConfig: {
      rateLimits: {
        perMinute: PER_MINUTE,
        failedAuthPerMinute: FAILED_AUTH_PER_MINUTE,
        overrides: {
          [`jwt:${TEST_ISSUER}:client:batch-importer`]: IMPORTER_BUDGET,
          'user:Publisher@Example.com': PUBLISHER_BUDGET,
        },
      },
    },
  });
});
afterAll(async () => {
  await app?.close();
});

const headersFor = async (email: string, role: string, claims: Record<string, unknown> = {}) =>
  credentials(app, await app.idp.tokenFor(email, role, 'org-1', { claims }));

const expectRateLimited = (response: RawResponse, reason: RegExp) => {
  expect(response.status, response.text).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000 } });
  expect(response.json.error.data.type).toBe('rate-limit');
  expect(response.json.error.data.reason).toMatch(reason);
  expect(response.json.error.data.reason).toContain(`retry in ${retryAfter} s`);
};

const expectServed = (response: RawResponse) => {
  expect(response.status, response.text).toBe(200);
  expect(response.json.error).toBeUndefined();
  expect(Array.isArray(response.json.result.tools)).toBe(true);
};

describe('calls per admin user', () => {
  it('answers the call past the budget with 429, Retry-After and data.type rate-limit; other users go on', async () => {
    const author = await headersFor('author1@example.com', 'Author');
    for (let call = 0; call < PER_MINUTE; call += 1) expectServed(await listTools(app, author));
    expectRateLimited(await listTools(app, author), /^rate limit of 3 calls per minute for this user reached;/);

    expectServed(await listTools(app, await headersFor('author2@example.com', 'Author')));
  });

  it('shares the budget between all credentials of one user', async () => {
    const first = await headersFor('reader@example.com', 'Reader', { sub: 'laptop' });
    const second = await headersFor('reader@example.com', 'Reader', { sub: 'phone', azp: 'another-client' });
    expectServed(await listTools(app, first));
    expectServed(await listTools(app, second));
    expectServed(await listTools(app, first));
    expectRateLimited(await listTools(app, second), /3 calls per minute for this user/);
  });

  it('does not charge the handshake, so a limited user can still connect and is told why at the first call', async () => {
    const author = await headersFor('author1@example.com', 'Author');
    const handshake = await rawRequest(app, {
      headers: { ...author, ...handshakeHeaders() },
      body: handshakeMessage(),
    });
    expect(handshake.status, handshake.text).toBe(200);
    expectRateLimited(await listTools(app, author), /for this user reached/);
  });

  it('refuses the official SDK client past the budget', async () => {
    const admin = await app.idp.tokenFor('admin@example.com', 'Admin', 'org-1');
    const client = await connectClient(app, admin);
    try {
      // Tool calls: the 2026-07-28 client keeps tools/list for its ttlMs and would not ask again.
      for (let call = 0; call < PER_MINUTE; call += 1) await client.callTool('whoami');
      await expect(client.callTool('whoami')).rejects.toThrow(/429|rate limit/i);
    } finally {
      await client.close();
    }
  });

  it('records the refused calls of a user counted, one row per minute', async () => {
    const rows = await auditRows(app, { action: 'request', adminUserEmail: 'author1@example.com' });
    // Two refusals above; a row per wall-clock minute, so two rows if the tests crossed one.
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(2);
    for (const row of rows) {
      expect(row).toMatchObject({ decision: 'denied', ip: '127.0.0.1' });
      expect(row.reason).toMatch(/^rate-limit: rate limit of 3 calls per minute for this user reached/);
    }
  });
});

describe('budgets of their own', () => {
  it('gives a credential named in overrides its own budget, apart from its user', async () => {
    const importer = await headersFor('publisher@example.com', 'Publisher', { azp: 'batch-importer' });
    const publisher = await headersFor('publisher@example.com', 'Publisher');
    for (let call = 0; call < IMPORTER_BUDGET; call += 1) expectServed(await listTools(app, importer));
    expectRateLimited(await listTools(app, importer), /^rate limit of 6 calls per minute for this credential reached/);
    // Six calls of the importer spent nothing of the publisher's own budget (user:Publisher@Example.com, 5).
    for (let call = 0; call < PUBLISHER_BUDGET; call += 1) expectServed(await listTools(app, publisher));
    expectRateLimited(await listTools(app, publisher), /^rate limit of 5 calls per minute for this user reached/);
  });
});

describe('batches', () => {
  it('charges a batch of N requests N, and a refused batch spends nothing', async () => {
    const editor = await headersFor('author2@example.com', 'Author', { sub: 'batch-test' });
    // author2 spent one call in the first test: two remain.
    expectRateLimited(
      await listTools(app, editor, 3),
      /3 calls per minute for this user reached \(this request counts 3\)/,
    );
    expectServed(await listTools(app, editor));
    expectServed(await listTools(app, editor));
    expectRateLimited(await listTools(app, editor), /for this user reached;/);
  });
});

describe('failed authentications per IP address', () => {
  const badToken = (index: number) => ({
    Authorization: `Bearer not.a-valid.token${index}`,
    'X-MCP-Internal-Secret': app.secret,
  });

  it('refuses an address after its budget of failures, a valid token included, and records only the failures', async () => {
    const valid = await headersFor('author2@example.com', 'Author', { sub: 'brute-force-test' });
    for (let attempt = 0; attempt < FAILED_AUTH_PER_MINUTE; attempt += 1) {
      const refused = await requestFrom('127.0.0.3', app, { headers: badToken(attempt), body: handshakeMessage() });
      expect(refused.status, refused.text).toBe(401);
    }
    const blocked = [
      await requestFrom('127.0.0.3', app, { headers: { ...valid, ...handshakeHeaders() }, body: handshakeMessage() }),
      await requestFrom('127.0.0.3', app, { headers: badToken(99), body: handshakeMessage() }),
      await requestFrom('127.0.0.3', app, { headers: credentials(app, 'x', 'wrong-secret'), body: handshakeMessage() }),
      // Strapi does not trust X-Forwarded-For here (no proxy option): a forged address changes nothing.
      await requestFrom('127.0.0.3', app, {
        headers: { ...badToken(100), 'X-Forwarded-For': '203.0.113.7' },
        body: handshakeMessage(),
      }),
    ];
    for (const response of blocked) {
      expectRateLimited(response, /^too many failed authentications from this address \(4 per minute\)/);
    }

    // Only the failures that were let through were recorded (one row per minute: two if the test crossed one).
    const rows = await auditRows(app, { ip: '127.0.0.3' });
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(FAILED_AUTH_PER_MINUTE);
    for (const row of rows) expect(row).toMatchObject({ decision: 'denied', action: 'authenticate' });
  });

  it('leaves other addresses alone: a valid caller passes, a failure is refused as a failure', async () => {
    const valid = await headersFor('author2@example.com', 'Author', { sub: 'other-address' });
    const handshake = await requestFrom('127.0.0.4', app, {
      headers: { ...valid, ...handshakeHeaders() },
      body: handshakeMessage(),
    });
    expect(handshake.status, handshake.text).toBe(200);
    expect((await requestFrom('127.0.0.4', app, { headers: badToken(1), body: handshakeMessage() })).status).toBe(401);
  });

  it('charges nothing for a successful authentication', async () => {
    const valid = await headersFor('author2@example.com', 'Author', { sub: 'many-handshakes' });
    for (let attempt = 0; attempt < FAILED_AUTH_PER_MINUTE * 2; attempt += 1) {
      const response = await requestFrom('127.0.0.5', app, {
        headers: { ...valid, ...handshakeHeaders() },
        body: handshakeMessage(),
      });
      expect(response.status, response.text).toBe(200);
    }
    expect((await requestFrom('127.0.0.5', app, { headers: badToken(1), body: handshakeMessage() })).status).toBe(401);
  });
});

describe('runtime changes', () => {
  it('applies a new budget at the next request, and 0 turns the per-user limit off', async () => {
    const settings = app.strapi.plugin('mcp-server').service('settings');
    const reader = await headersFor('reader@example.com', 'Reader', { sub: 'runtime' });
    // reader@ spent its 3 calls above.
    expectRateLimited(await listTools(app, reader), /3 calls per minute/);
    settings.update({ rateLimits: { perMinute: 0 } });
    try {
      for (let call = 0; call < PER_MINUTE * 2; call += 1) expectServed(await listTools(app, reader));
      settings.update({ rateLimits: { perMinute: 50 } });
      expectServed(await listTools(app, reader));
    } finally {
      settings.update({ rateLimits: { perMinute: PER_MINUTE } });
    }
    expectRateLimited(await listTools(app, reader), /3 calls per minute/);
  });
});

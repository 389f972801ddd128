/**
 * Rate limits in Redis: two Strapi instances on one Redis share every budget (the reason to use it), and while
 * Redis cannot be reached the configured rule holds: fail-open counts in the instance's memory, fail-closed answers
 * 503; either way the outage is logged once, not per request. The shared-Redis tests need Redis at 127.0.0.1:6379
 * (.ci/run starts it and sets MCP_TEST_REQUIRE_REDIS, so there they fail when it is absent); elsewhere they are
 * skipped, saying so. The outage tests need no Redis.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { credentials, type RawResponse } from '../helpers/mcp-client';
import { handshakeHeaders, handshakeMessage, listTools } from '../helpers/rate-limit-calls';
import { requestFrom } from '../helpers/source-address';
import { startStrapiProcess, type StrapiProcess } from '../helpers/strapi-process';
import { SHARED_REDIS_URL, sharedRedisUp } from '../helpers/redis-probe';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const REDIS_URL = SHARED_REDIS_URL;
const redisUp = await sharedRedisUp('rate-limits-redis', 'the shared-Redis tests');

/** A port nothing listens on: taken from the system, then released. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const expectStatus = (response: RawResponse, status: number) => expect(response.status, response.text).toBe(status);

describe.runIf(redisUp)('two instances on one Redis', () => {
  const keyPrefix = `mcp-test:${randomUUID()}`;
  // Configured by environment variables, which the second instance (a child process) inherits.
  const env = {
    MCP_RATE_LIMIT_PER_MINUTE: '3',
    MCP_RATE_LIMIT_FAILED_AUTH_PER_MINUTE: '4',
    MCP_REDIS_URL: REDIS_URL,
    MCP_REDIS_KEY_PREFIX: keyPrefix,
  };
  let first: TestApp;
  let secondProcess: StrapiProcess;
  let second: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    first = await bootTestApp({ env });
    secondProcess = await startStrapiProcess(env);
    second = secondProcess.app;
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await secondProcess?.close();
    await first?.close();
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('shares a user budget: calls on one instance count on the other', async () => {
    const token = await first.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    expectStatus(await listTools(first, credentials(first, token)), 200);
    expectStatus(await listTools(second, credentials(second, token)), 200);
    expectStatus(await listTools(first, credentials(first, token)), 200);
    const refused = await listTools(second, credentials(second, token));
    expectStatus(refused, 429);
    expect(refused.json.error.data.type).toBe('rate-limit');
    expectStatus(await listTools(first, credentials(first, token)), 429);
    expect(await redis.keys(`${keyPrefix}:calls:*`)).toHaveLength(1);
  });

  it('shares the failed-authentication budget of an address', async () => {
    const bad = (app: TestApp) => ({ headers: credentials(app, 'not.a.token'), body: handshakeMessage() });
    expectStatus(await requestFrom('127.0.0.6', first, bad(first)), 401);
    expectStatus(await requestFrom('127.0.0.6', second, bad(second)), 401);
    expectStatus(await requestFrom('127.0.0.6', first, bad(first)), 401);
    expectStatus(await requestFrom('127.0.0.6', second, bad(second)), 401);
    const token = await first.idp.tokenFor('author2@example.com', 'Author', 'org-1');
    const refused = await requestFrom('127.0.0.6', first, {
      headers: { ...credentials(first, token), ...handshakeHeaders() },
      body: handshakeMessage(),
    });
    expectStatus(refused, 429);
    expect(refused.json.error.data.reason).toMatch(/^too many failed authentications from this address/);
  });
});

describe('Redis unavailable', () => {
  let app: TestApp;
  let unreachable: string;

  beforeAll(async () => {
    app = await bootTestApp({ pluginConfig: { rateLimits: { perMinute: 3 } } });
    unreachable = `redis://127.0.0.1:${await closedPort()}`;
  });
  afterAll(async () => {
    await app?.close();
  });

  const settings = () => app.strapi.plugin('mcp-server').service('settings');
  const outageWarnings = (warn: { mock: { calls: unknown[][] } }) =>
    warn.mock.calls.map(([message]) => String(message)).filter((message) => message.includes('Redis at'));

  it('fail-open: calls go through, limited by this instance memory; the outage is logged once', async () => {
    const warn = vi.spyOn(app.strapi.log, 'warn');
    settings().update({ redis: { url: unreachable, whenUnavailable: 'fail-open' } });
    const headers = credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader', 'org-1'));
    for (let call = 0; call < 3; call += 1) expectStatus(await listTools(app, headers), 200);
    const refused = await listTools(app, headers);
    expectStatus(refused, 429);
    expect(refused.json.error.data.type).toBe('rate-limit');

    const warnings = outageWarnings(warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\[mcp-server\] rate limits: Redis at 127\.0\.0\.1:\d+ is unavailable \(.+\); limits are counted in this instance memory/,
    );
  });

  it('fail-closed: requests are refused with 503 and a reason until Redis is back', async () => {
    const warn = vi.spyOn(app.strapi.log, 'warn');
    settings().update({ redis: { url: unreachable, whenUnavailable: 'fail-closed' } });
    const headers = credentials(app, await app.idp.tokenFor('author1@example.com', 'Author', 'org-1'));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await listTools(app, headers);
      expectStatus(refused, 503);
      expect(refused.json.error.data).toEqual({
        type: 'rate-limit-store',
        reason: 'rate limits cannot be checked because their store (Redis) is unavailable; retry shortly',
      });
    }
    const warnings = outageWarnings(warn);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/is unavailable .*; requests are refused \(503\) until it is back/);
    // Nothing can be served, and the health route says so; failing open, it serves and says it is degraded.
    const closed = await fetch(`${app.baseUrl}/api/mcp-server/health`);
    expect([closed.status, await closed.json()]).toEqual([503, { status: 'unavailable' }]);
    settings().update({ redis: { url: unreachable, whenUnavailable: 'fail-open' } });
    const open = await fetch(`${app.baseUrl}/api/mcp-server/health`);
    expect([open.status, await open.json()]).toEqual([200, { status: 'degraded' }]);

    settings().update({ redis: { url: undefined } });
    expectStatus(await listTools(app, headers), 200);
  });
});

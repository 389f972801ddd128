/**
 * GET /api/mcp-server/health: 200 when the database answers and the signing keys are at hand, 503 otherwise; no
 * authentication, and nothing in the body beyond the status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootTestApp, type TestApp } from '../helpers/test-app';

const probe = async (app: TestApp) => {
  const response = await fetch(`${app.baseUrl}/api/mcp-server/health`);
  return { status: response.status, body: await response.json(), cache: response.headers.get('cache-control') };
};

describe('health', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 200 without credentials while the database and the JWKS are reachable', async () => {
    const fetchesBefore = app.idp.fetchCount;
    expect(await probe(app)).toEqual({ status: 200, body: { status: 'ok' }, cache: 'no-store' });
    // Probes reuse the key set they fetched: ten probes are not ten JWKS fetches.
    for (let i = 0; i < 10; i += 1) expect((await probe(app)).status).toBe(200);
    expect(app.idp.fetchCount - fetchesBefore).toBeLessThanOrEqual(1);
  });
});

describe('health with an identity provider that cannot be reached', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await bootTestApp({ env: { MCP_JWKS_URI: 'http://127.0.0.1:9/.well-known/jwks.json' } });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 503 with nothing but the status, and says why in the log', async () => {
    const warnings: string[] = [];
    const warn = app.strapi.log.warn.bind(app.strapi.log);
    app.strapi.log.warn = ((message: string) => {
      warnings.push(String(message));
      return warn(message);
    }) as typeof app.strapi.log.warn;
    expect(await probe(app)).toEqual({ status: 503, body: { status: 'unavailable' }, cache: 'no-store' });
    // Anyone may probe: a hundred probes of one outage are one line, not a hundred.
    for (let i = 0; i < 100; i += 1) expect((await probe(app)).status).toBe(503);
    expect(warnings.filter((line) => line.startsWith('[mcp-server] health'))).toEqual([
      '[mcp-server] health: unavailable (keys)',
    ]);
  });
});

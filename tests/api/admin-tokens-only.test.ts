/**
 * A developer without an identity provider: no `jwt` option and no MCP_JWT_* variable. The plugin boots, accepts
 * Strapi admin tokens, and refuses a JWT with a reason that says what to send instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminToken, ownerPermissions } from '../helpers/admin-tokens';
import { connectClient, credentials, openingRequest } from '../helpers/mcp-client';
import { expectOk } from '../helpers/results';
import { bootTestApp, type LogEntry, type TestApp } from '../helpers/test-app';

describe('admin tokens without an identity provider', () => {
  let app: TestApp;
  const logs: LogEntry[] = [];
  beforeAll(async () => {
    app = await bootTestApp({
      pluginConfig: { jwt: null },
      env: { MCP_JWT_ISSUER: undefined, MCP_JWT_AUDIENCE: undefined, MCP_JWKS_URI: undefined },
      onLog: (entry) => logs.push(entry),
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('boots, and says it accepts admin tokens only', () => {
    const line = logs.find((entry) => entry.level === 'info' && entry.message.startsWith('[mcp-server] MCP endpoint'));
    expect(line?.message).toMatch(/; accepts Strapi admin tokens; internal secret required; exposes /);
  });

  it('serves an admin token, and is healthy', async () => {
    const token = await createAdminToken(app, 'reader@example.com', await ownerPermissions(app, 'reader@example.com'));
    const session = await connectClient(app, token.accessKey);
    try {
      expect(expectOk(await session.callTool('whoami')).user.email).toBe('reader@example.com');
    } finally {
      await session.close();
    }
    expect((await fetch(`${app.baseUrl}/api/mcp-server/health`)).status).toBe(200);
  });

  it('refuses a JWT, saying what to send instead', async () => {
    const response = await openingRequest(
      app,
      credentials(app, await app.idp.tokenFor('reader@example.com', 'Reader')),
    );
    expect(response.status).toBe(401);
    expect(response.json.error.data).toEqual({
      type: 'token',
      reason: 'this server accepts no JWTs (no jwt configuration); send a Strapi admin token',
    });
  });
});

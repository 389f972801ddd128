/**
 * The identity pipeline, layer by layer: internal secret → JWT (signature, iss, aud, exp, nbf, alg, kid) →
 * email → active, unblocked admin user. Every refusal names its layer and reason and leaks nothing.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, TEST_AUDIENCE, TEST_ISSUER } from '../helpers/identity-provider';
import { connectClient, credentials, initializeMessage, openingRequest, type RawResponse } from '../helpers/mcp-client';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await bootTestApp({ pluginConfig: { jwt: { jwksCooldownMs: 200 } } });
});
afterAll(async () => {
  await app?.close();
});

const openWith = (headers: Record<string, string>) => openingRequest(app, headers);

const expectRefusal = (response: RawResponse, status: number, type: string, reason: RegExp | string) => {
  expect(response.status).toBe(status);
  expect(response.json.jsonrpc).toBe('2.0');
  expect(response.json.error.data).toEqual({
    type,
    reason: typeof reason === 'string' ? reason : expect.stringMatching(reason),
  });
  expect(response.json.error.message).toContain(response.json.error.data.reason);
  if (status === 401) expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  // Nothing internal leaks: no stack frame, no secret.
  expect(response.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect(response.text).not.toContain(app.secret);
  expect(response.headers.get('mcp-session-id')).toBeNull();
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const nowSec = () => Math.floor(Date.now() / 1000);
const validClaims = (overrides: Record<string, unknown> = {}) => ({
  iss: TEST_ISSUER,
  aud: TEST_AUDIENCE,
  email: 'author1@example.com',
  role: 'Author',
  iat: nowSec(),
  exp: nowSec() + 300,
  ...overrides,
});

describe('accepted identity', () => {
  it('maps a valid token to its admin user, whose identity whoami reports', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author', 'org-1');
    const session = await connectClient(app, token);
    const result = await session.callTool('whoami');
    expect(result.isError).toBeFalsy();
    const author = await app.strapi.db.query('admin::user').findOne({ where: { email: 'author1@example.com' } });
    expect(result.structuredContent).toMatchObject({
      user: { id: author.id, email: 'author1@example.com', firstname: 'Alice', lastname: 'Author' },
      role: 'Author',
      tenant: 'org-1',
      subject: 'sso|author1@example.com',
      sessionId: session.sessionId || null,
      protocolVersion: session.protocol,
    });
    await session.close();
  });

  it('matches the email claim case-insensitively', async () => {
    const token = await app.idp.tokenFor('AUTHOR2@Example.COM', 'Author', 'org-2');
    const session = await connectClient(app, token);
    const result = await session.callTool('whoami');
    expect(result.structuredContent).toMatchObject({ user: { email: 'author2@example.com' } });
    await session.close();
  });
});

describe('internal secret layer', () => {
  it('refuses a request without X-MCP-Internal-Secret with 403', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author');
    expectRefusal(await openWith({ Authorization: `Bearer ${token}` }), 403, 'secret', /missing/);
  });

  it('refuses a wrong secret with 403, checked before the token', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author');
    const response = await openWith(credentials(app, token, `${app.secret.slice(0, -1)}x`));
    expectRefusal(response, 403, 'secret', /does not match/);
  });

  it('refuses a wrong secret even when the token is also missing (secret layer comes first)', async () => {
    expectRefusal(await openWith({ 'X-MCP-Internal-Secret': 'nope' }), 403, 'secret', /does not match/);
  });
});

describe('token layer', () => {
  const withToken = (token: string) => openWith(credentials(app, token));

  it('refuses a missing bearer token with 401 and WWW-Authenticate', async () => {
    expectRefusal(await openWith({ 'X-MCP-Internal-Secret': app.secret }), 401, 'token', /missing bearer token/);
  });

  it('refuses an Authorization header that is not a bearer token', async () => {
    const response = await openWith({
      'X-MCP-Internal-Secret': app.secret,
      Authorization: 'Basic YWRtaW46YWRtaW4=',
    });
    expectRefusal(response, 401, 'token', /not a bearer token/);
  });

  it('refuses a malformed token', async () => {
    expectRefusal(await withToken('not.a.jwt'), 401, 'token', /malformed token/);
    expectRefusal(await withToken('abc'), 401, 'token', /malformed token/);
  });

  it('refuses a token whose signature does not verify (same kid, other key)', async () => {
    const impostor = await createSigningKey(app.idp.signingKey.kid);
    const token = await app.idp.sign({ key: impostor, claims: { email: 'admin@example.com', role: 'Admin' } });
    expectRefusal(await withToken(token), 401, 'token', /signature verification failed/);
  });

  it('refuses a tampered payload (role escalated after signing)', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author');
    const [header, , signature] = token.split('.');
    const forged = `${header}.${base64url(validClaims({ role: 'Admin' }))}.${signature}`;
    expectRefusal(await withToken(forged), 401, 'token', /signature verification failed/);
  });

  it('refuses an unsecured token (alg: none)', async () => {
    const unsecured = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(validClaims({ email: 'admin@example.com' }))}.`;
    expectRefusal(await withToken(unsecured), 401, 'token', /algorithm not allowed/);
  });

  it('refuses an HS256 token signed with the RS256 public key as HMAC secret (key confusion)', async () => {
    const header = base64url({ alg: 'HS256', typ: 'JWT', kid: app.idp.signingKey.kid });
    const payload = base64url(validClaims({ email: 'admin@example.com', role: 'Admin' }));
    for (const secret of [app.idp.signingKey.spki, JSON.stringify(app.idp.signingKey.publicJwk)]) {
      const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
      expectRefusal(await withToken(`${header}.${payload}.${signature}`), 401, 'token', /algorithm not allowed/);
    }
  });

  it('refuses an expired token, beyond the clock tolerance', async () => {
    const token = await app.idp.sign({ claims: { email: 'author1@example.com' }, expiresIn: nowSec() - 120 });
    expectRefusal(await withToken(token), 401, 'token', /token expired/);
  });

  it('accepts a token expired by less than the clock tolerance (30 s)', async () => {
    const token = await app.idp.sign({ claims: { email: 'author1@example.com' }, expiresIn: nowSec() - 5 });
    expect((await withToken(token)).status).toBe(200);
  });

  it('refuses a token that is not yet valid (nbf in the future)', async () => {
    const token = await app.idp.sign({ claims: { email: 'author1@example.com' }, notBefore: nowSec() + 600 });
    expectRefusal(await withToken(token), 401, 'token', /not yet valid/);
  });

  it('refuses a token without exp', async () => {
    const { SignJWT } = await import('jose');
    const noExpiry = await new SignJWT({ email: 'author1@example.com' })
      .setProtectedHeader({ alg: 'RS256', kid: app.idp.signingKey.kid })
      .setIssuer(TEST_ISSUER)
      .setAudience(TEST_AUDIENCE)
      .sign(app.idp.signingKey.privateKey);
    expectRefusal(await withToken(noExpiry), 401, 'token', /token has no valid expiry/);
  });

  it('refuses a token from another issuer', async () => {
    const token = await app.idp.sign({ claims: { email: 'author1@example.com' }, issuer: 'https://evil.example' });
    expectRefusal(await withToken(token), 401, 'token', `issuer not accepted (expected ${TEST_ISSUER})`);
  });

  it('refuses a token for another audience', async () => {
    const token = await app.idp.sign({ claims: { email: 'author1@example.com' }, audience: 'some-other-api' });
    expectRefusal(await withToken(token), 401, 'token', `audience not accepted (expected ${TEST_AUDIENCE})`);
  });

  it('refuses a token signed by a key the JWKS does not publish (unknown kid)', async () => {
    const stranger = await createSigningKey('stranger-key');
    const token = await app.idp.sign({ key: stranger, claims: { email: 'author1@example.com' } });
    expectRefusal(await withToken(token), 401, 'token', /unknown kid/);
  });

  it('accepts tokens from a rotated key once the JWKS publishes it, and drops a retired key', async () => {
    const oldKey = app.idp.signingKey;
    const oldToken = await app.idp.tokenFor('author1@example.com', 'Author');
    expect((await withToken(oldToken)).status).toBe(200);

    const fetchesBefore = app.idp.fetchCount;
    await new Promise((resolve) => setTimeout(resolve, 250)); // past the 200 ms refetch cooldown
    await app.idp.rotate({ retireOld: true });
    const newToken = await app.idp.tokenFor('author1@example.com', 'Author');
    expect((await withToken(newToken)).status).toBe(200);
    expect(app.idp.fetchCount).toBeGreaterThan(fetchesBefore);

    // The retired key stays cached until the JWKS is refetched; a token naming a new unknown kid forces that.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const stranger = await createSigningKey('forces-refetch');
    await withToken(await app.idp.sign({ key: stranger, claims: { email: 'author1@example.com' } }));
    const stale = await app.idp.sign({ key: oldKey, claims: { email: 'author1@example.com' } });
    expectRefusal(await withToken(stale), 401, 'token', /unknown kid/);
  });

  it('refuses a token without an email claim', async () => {
    const token = await app.idp.sign({ claims: { sub: 'someone', role: 'Admin' } });
    expectRefusal(await withToken(token), 401, 'token', /no email claim/);
  });
});

describe('admin user layer', () => {
  const withUser = async (email: string) => openWith(credentials(app, await app.idp.tokenFor(email, 'Admin')));

  it('refuses an email with no admin user', async () => {
    expectRefusal(await withUser('nobody@example.com'), 401, 'admin-user', /no active admin user for this email/);
  });

  it('refuses an inactive admin user', async () => {
    expectRefusal(await withUser('inactive@example.com'), 401, 'admin-user', /not active/);
  });

  it('refuses a blocked admin user', async () => {
    expectRefusal(await withUser('blocked@example.com'), 401, 'admin-user', /blocked/);
  });

  it('refuses a user deactivated after the session opened, on the very next request', async () => {
    const token = await app.idp.tokenFor('reader@example.com', 'Reader');
    const session = await connectClient(app, token);
    const users = app.strapi.db.query('admin::user');
    const reader = await users.findOne({ where: { email: 'reader@example.com' } });
    await users.update({ where: { id: reader.id }, data: { isActive: false } });
    try {
      await expect(session.callTool('whoami')).rejects.toThrow(/401|not active/);
    } finally {
      await users.update({ where: { id: reader.id }, data: { isActive: true } });
    }
  });
});

describe('transport guards', () => {
  it('refuses a browser Origin that is not allowed (DNS rebinding), before authentication', async () => {
    const response = await openWith({ Origin: 'http://evil.example.com' });
    expectRefusal(response, 403, 'origin', /not allowed/);
  });

  // 2026-07-28 requests get that revision's codes instead (tests/api/protocol-revisions.test.ts).
  it('refuses an unsupported MCP-Protocol-Version on a 2025-era request with 400', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author');
    const headers = { ...credentials(app, token), 'MCP-Protocol-Version': '1999-01-01' };
    const response = await openingRequest(app, headers, '2025-11-25');
    expectRefusal(response, 400, 'protocol-version', /unsupported MCP-Protocol-Version 1999-01-01/);
  });

  it('does not accept the token from the query string', async () => {
    const token = await app.idp.tokenFor('author1@example.com', 'Author');
    const response = await fetch(`${app.mcpUrl}?access_token=${token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'X-MCP-Internal-Secret': app.secret,
      },
      body: JSON.stringify(initializeMessage()),
    });
    expect(response.status).toBe(401);
  });
});

/**
 * The identity provider's key server goes down while Strapi runs: tokens signed with a key already fetched keep being
 * verified from the cached key set, and a token naming a key the cache does not hold fails closed with 503 (the keys
 * cannot be fetched), never accepted and never a 401 that would send the client to sign in again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningKey, startIdentityProvider, type TestIdentityProvider } from '../helpers/identity-provider';
import { credentials, rawRequest } from '../helpers/mcp-client';
import { handshakeHeaders, handshakeMessage } from '../helpers/rate-limit-calls';
import { bootTestApp, type TestApp } from '../helpers/test-app';

let idp: TestIdentityProvider;
let app: TestApp;

beforeAll(async () => {
  idp = await startIdentityProvider();
  // A refetch for an unknown kid is allowed at once (the default cooldown is 30 s).
  app = await bootTestApp({ idp, pluginConfig: { jwt: { jwksCooldownMs: 1 } } });
});
afterAll(async () => {
  await app?.close();
  await idp?.close();
});

const handshake = async (token: string) =>
  rawRequest(app, { headers: { ...credentials(app, token), ...handshakeHeaders() }, body: handshakeMessage() });

describe('JWKS server down', () => {
  it('keeps verifying tokens of a cached key, and refuses an unknown kid with 503', async () => {
    expect((await handshake(await idp.tokenFor('author1@example.com', 'Author', 'org-1'))).status).toBe(200);
    const fetchesBefore = idp.fetchCount;
    await idp.close();

    // A new token (not a cached caller) of the key already fetched: verified from the cached key set.
    for (const email of ['author1@example.com', 'author2@example.com', 'reader@example.com']) {
      const response = await handshake(await idp.tokenFor(email, 'Author', 'org-1'));
      expect(response.status, response.text).toBe(200);
    }

    const unknownKey = await createSigningKey('key-never-published');
    const refused = await handshake(await idp.tokenFor('author1@example.com', 'Author', 'org-1', { key: unknownKey }));
    expect(refused.status).toBe(503);
    expect(refused.json.error.data).toEqual({
      type: 'identity-provider',
      reason: 'signing keys of the identity provider are unavailable',
    });
    expect(refused.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|\n\s+at /);
    expect(idp.fetchCount).toBe(fetchesBefore);

    // Known keys still work after the failed refetch.
    expect((await handshake(await idp.tokenFor('author2@example.com', 'Author', 'org-1'))).status).toBe(200);
  });
});

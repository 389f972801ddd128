/**
 * A real identity provider for the tests: signing keys generated with jose, and their JWKS served over
 * HTTP on loopback, as an SSO provider would publish them. Keys can be rotated while the server runs.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWTPayload, type JWK } from 'jose';

export const TEST_ISSUER = 'https://idp.test.local';
export const TEST_AUDIENCE = 'strapi-mcp-tests';

type SigningKey = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK; spki: string };

export interface TokenOptions {
  claims?: JWTPayload;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  notBefore?: string | number;
  /** `iat`, in seconds since the epoch; now by default. */
  issuedAt?: number;
  key?: SigningKey;
}

export const createSigningKey = async (kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
    spki: await exportSPKI(publicKey),
  };
};

export interface TestIdentityProvider {
  jwksUri: string;
  /** How many times the JWKS was fetched. */
  readonly fetchCount: number;
  signingKey: SigningKey;
  sign(options?: TokenOptions): Promise<string>;
  /** A token for one of the playground's users, with role and tenant claims. */
  tokenFor(email: string, role?: string | null, tenant?: string | null, options?: TokenOptions): Promise<string>;
  /** Publishes a new key (keeping the old one unless `retireOld`) and signs with it from now on. */
  rotate(options?: { retireOld?: boolean }): Promise<SigningKey>;
  close(): Promise<void>;
}

export const startIdentityProvider = async (): Promise<TestIdentityProvider> => {
  let published: SigningKey[] = [await createSigningKey('key-1')];
  let current = published[0];
  let fetchCount = 0;
  let rotations = 1;

  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404).end();
      return;
    }
    fetchCount += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const sign = async (options: TokenOptions = {}) => {
    const key = options.key ?? current;
    const jwt = new SignJWT(options.claims ?? {})
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? TEST_ISSUER)
      .setAudience(options.audience ?? TEST_AUDIENCE)
      .setJti(randomUUID())
      .setIssuedAt(options.issuedAt)
      .setExpirationTime(options.expiresIn ?? '5m');
    if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
    return jwt.sign(key.privateKey);
  };

  return {
    jwksUri: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    get fetchCount() {
      return fetchCount;
    },
    get signingKey() {
      return current;
    },
    set signingKey(key) {
      current = key;
    },
    sign,
    tokenFor: (email, role = null, tenant = null, options = {}) => {
      const claims: JWTPayload = { email, sub: `sso|${email}`, ...options.claims };
      if (role !== null) claims.role = role;
      if (tenant !== null) claims.tenant = tenant;
      return sign({ ...options, claims });
    },
    async rotate({ retireOld = false } = {}) {
      rotations += 1;
      const next = await createSigningKey(`key-${rotations}`);
      published = retireOld ? [next] : [...published, next];
      current = next;
      return next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of the server under test would hold the close, and keep the keys reachable.
        server.closeAllConnections();
      }),
  };
};

/** A bad configuration stops Strapi at boot, with a message naming the key; a good one says what it runs with. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MCP_EXPOSED_HEADERS, MCP_REQUEST_HEADERS } from '../../server/src/boot/cors-check';
import { getService } from '../../server/src/services/get-service';
import { TEST_ISSUER } from '../helpers/identity-provider';
import { bootTestApp, PLAYGROUND_DIR, REPO_ROOT, type LogEntry, type TestApp } from '../helpers/test-app';

describe('boot-time configuration checks', () => {
  it('refuses to start without an internal secret', async () => {
    await expect(bootTestApp({ env: { MCP_SECRET_KEY: undefined } })).rejects.toThrow(
      /mcp-server.*internalSecret: is required \(env MCP_SECRET_KEY\)/,
    );
  });

  it('refuses to expose an internal content type, whatever the config says', async () => {
    await expect(
      bootTestApp({ pluginConfig: { contentTypes: ['api::article.article', 'admin::user'] } }),
    ).rejects.toThrow(/contentTypes\.admin::user: internal types are never exposed/);
  });

  it('refuses a content type that does not exist', async () => {
    await expect(bootTestApp({ pluginConfig: { contentTypes: ['api::nope.nope'] } })).rejects.toThrow(
      /contentTypes\.api::nope\.nope: no such content type/,
    );
  });

  it.each([
    [
      { fields: { reviewNotez: { read: ['Admin'] } } },
      /contentTypes\.api::article\.article\.fields\.reviewNotez: no such attribute/,
    ],
    [
      { fields: { reviewNotes: { read: ['Editr'] } } },
      /fields\.reviewNotes: unknown role "Editr"; roles: Admin, Publisher, Author, Reader/,
    ],
    [
      { fields: { internalNotes: { read: ['Admin'] } } },
      /fields\.internalNotes: private and password attributes are never exposed/,
    ],
    [{ tenantField: 'tenant' }, /contentTypes\.api::article\.article\.tenantField: no attribute "tenant"/],
    [
      { conditions: [{ name: 'x', actions: ['create'], on: 'data', field: 'kind' }] },
      /conditions\.0: needs exactly one of equals, notEquals, in, notIn/,
    ],
  ])('refuses a policy entry that names something that does not exist (%#)', async (articlePolicy, message) => {
    await expect(
      bootTestApp({ pluginConfig: { contentTypes: { 'api::article.article': articlePolicy } } }),
    ).rejects.toThrow(message);
  });
});

/** Environment variables a test sets for one boot; restored afterwards so the next boot starts clean. */
const TOUCHED_ENV = [
  'MCP_ENFORCE_ADMIN_PERMISSIONS',
  'MCP_READ_ONLY',
  'MCP_SESSIONS_MAX_PER_USER',
  'MCP_JWT_PUBLIC_KEY',
  'MCP_JWT_ISSUER',
  'MCP_JWT_AUDIENCE',
  'MCP_JWKS_URI',
  'MCP_ALLOWED_ORIGINS',
];
const savedEnv = Object.fromEntries(TOUCHED_ENV.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The values .env.example ships, as `NAME=value` lines. */
const readEnvExample = (): Record<string, string> =>
  Object.fromEntries(
    fs
      .readFileSync(path.join(REPO_ROOT, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

/** The playground trusts its dev identity provider's keys inline when MCP_JWKS_URI is empty; make sure they exist. */
const ensureDevIdentityProviderKeys = () =>
  (
    createRequire(__filename)(path.join(PLAYGROUND_DIR, 'scripts', 'dev-identity-provider.js')) as {
      ensureKeys: () => void;
    }
  ).ensureKeys();

describe('strict configuration', () => {
  it('refuses an unknown key, naming the key it most likely meant', async () => {
    await expect(bootTestApp({ pluginConfig: { jwt: { audiance: 'strapi' } } })).rejects.toThrow(
      /jwt\.audiance: unknown key \(did you mean jwt\.audience\?\)/,
    );
  });

  it('refuses unknown keys at any depth, sections and per-type policies included', async () => {
    const boot = bootTestApp({
      pluginConfig: {
        limits: { maxPagesize: 50 },
        contentTypes: { 'api::article.article': { fields: { reviewNotes: { raed: ['Admin'] } } } },
        readonly: true,
      },
    });
    await expect(boot).rejects.toThrow(/limits\.maxPagesize: unknown key \(did you mean limits\.maxPageSize\?\)/);
    await expect(boot).rejects.toThrow(
      /contentTypes\.api::article\.article\.fields\.reviewNotes\.raed: unknown key \(did you mean contentTypes\.api::article\.article\.fields\.reviewNotes\.read\?\)/,
    );
    await expect(boot).rejects.toThrow(/readonly: unknown key \(did you mean readOnly\?\)/);
  });

  it('refuses a boolean environment value it cannot read, instead of turning the second lock off', async () => {
    await expect(bootTestApp({ env: { MCP_ENFORCE_ADMIN_PERMISSIONS: 'ture' } })).rejects.toThrow(
      /enforceAdminPermissions: env MCP_ENFORCE_ADMIN_PERMISSIONS="ture" is not a boolean \(true\/false, 1\/0, yes\/no, on\/off\)/,
    );
  });

  it('refuses a numeric environment value that is not an integer, naming the variable', async () => {
    await expect(bootTestApp({ env: { MCP_SESSIONS_MAX_PER_USER: '10.5' } })).rejects.toThrow(
      /sessions\.maxPerUser: env MCP_SESSIONS_MAX_PER_USER="10\.5" is not an integer/,
    );
  });

  it('refuses a default page size above the maximum page size', async () => {
    await expect(bootTestApp({ pluginConfig: { limits: { defaultPageSize: 50, maxPageSize: 20 } } })).rejects.toThrow(
      /limits\.defaultPageSize: must not exceed maxPageSize \(20\)/,
    );
  });

  it('reads MCP_JWT_PUBLIC_KEY at boot: a malformed key stops the boot rather than failing every request', async () => {
    ensureDevIdentityProviderKeys();
    const malformed = '-----BEGIN PUBLIC KEY-----\\nbm90IGEga2V5\\n-----END PUBLIC KEY-----';
    await expect(
      bootTestApp({ env: { MCP_JWKS_URI: '', MCP_JWT_PUBLIC_KEY: malformed }, pluginConfig: { jwt: { jwks: null } } }),
    ).rejects.toThrow(/jwt\.publicKey: cannot be read as a PEM public key or certificate/);
  });

  it('imports every key of an inline JWKS at boot', async () => {
    ensureDevIdentityProviderKeys();
    const keys = [
      { kty: 'EC', crv: 'P-256', x: 'bm90', y: 'YSBrZXk', kid: 'broken' },
      { kty: 'oct', k: 'c2hhcmVk', kid: 'shared' },
    ];
    const boot = bootTestApp({ env: { MCP_JWKS_URI: '' }, pluginConfig: { jwt: { jwks: { keys } } } });
    await expect(boot).rejects.toThrow(/jwt\.jwks\.keys\.0: key \(kid broken\) cannot be imported as a public key/);
    await expect(boot).rejects.toThrow(/jwt\.jwks\.keys\.1: key \(kid shared\) is a symmetric \(oct\) key/);
  });

  it('reports every problem of a configuration in one message, one per line', async () => {
    const boot = bootTestApp({
      env: { MCP_JWT_ISSUER: undefined, MCP_JWT_AUDIENCE: undefined, MCP_READ_ONLY: 'maybe' },
      pluginConfig: {
        jwt: { issuer: '', audience: '' },
        limits: { defaultPageSize: 50, maxPageSize: 20 },
        sessons: { max: 5 },
      },
    });
    const message = await boot.then(
      () => '',
      (error: Error) => error.message,
    );
    const lines = message.split('\n').map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/jwt\.issuer: is required \(env MCP_JWT_ISSUER\);$/),
        expect.stringMatching(
          /^jwt\.audience: is required \(env MCP_JWT_AUDIENCE\), unless oauth\.authorizationServers is set/,
        ),
        expect.stringMatching(/^readOnly: env MCP_READ_ONLY="maybe" is not a boolean/),
        expect.stringMatching(/^limits\.defaultPageSize: must not exceed maxPageSize \(20\)/),
        expect.stringMatching(/^sessons: unknown key \(did you mean sessions\?\)/),
      ]),
    );
    expect(lines).toHaveLength(5);
  });

  it('refuses the placeholder MCP_SECRET_KEY that .env.example ships', async () => {
    const placeholder = readEnvExample().MCP_SECRET_KEY;
    expect(placeholder.length).toBeGreaterThanOrEqual(32);
    const boot = bootTestApp({ env: { MCP_SECRET_KEY: placeholder } });
    await expect(boot).rejects.toThrow(/internalSecret: is a placeholder, not a secret/);
    await expect(boot).rejects.not.toThrow(placeholder);
  });

  it('boots with .env.example once its secrets are filled in: its empty MCP_JWKS_URI= counts as unset', async () => {
    ensureDevIdentityProviderKeys();
    const example = readEnvExample();
    expect(example.MCP_JWKS_URI).toBe('');
    const app = await bootTestApp({
      env: {
        MCP_JWKS_URI: example.MCP_JWKS_URI,
        MCP_JWT_ISSUER: example.MCP_JWT_ISSUER,
        MCP_JWT_AUDIENCE: example.MCP_JWT_AUDIENCE,
        MCP_ALLOWED_ORIGINS: example.MCP_ALLOWED_ORIGINS,
      },
    });
    try {
      const config = getService(app.strapi, 'settings').get();
      expect(config.jwt!.jwksUri).toBeUndefined();
      expect(config.jwt!.jwks?.keys.length).toBeGreaterThan(0);
      expect(config.jwt!.issuer).toBe(example.MCP_JWT_ISSUER);
      expect(config.allowedOrigins).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('the boot line', () => {
  it('says where the endpoint is, what it accepts and what it exposes, and logs no secret', async () => {
    const logs: LogEntry[] = [];
    const app = await bootTestApp({ onLog: (entry) => logs.push(entry) });
    try {
      const own = logs.filter((entry) => entry.message.startsWith('[mcp-server]'));
      // On PostgreSQL, the lines about missing indexes follow (search-indexes.test.ts).
      const info = own.filter((entry) => entry.level === 'info' && !entry.message.includes("indexes: 'apply'"));
      expect(info).toHaveLength(1);
      expect(info[0].message).toBe(
        '[mcp-server] MCP endpoint http://127.0.0.1:0/api/mcp-server/mcp; ' +
          `accepts JWT from ${TEST_ISSUER} (JWKS ${app.idp.jwksUri}), Strapi admin tokens; internal secret required; ` +
          'exposes api::article.article, api::category.category, api::homepage.homepage',
      );
      expect(own.filter((entry) => entry.level === 'warn' && /contentTypes|strapi::cors/.test(entry.message))).toEqual(
        [],
      );
      expect(logs.some((entry) => entry.message.includes(app.secret))).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('warns when no content type is exposed, and when strapi::cors would block the allowed origins', async () => {
    const logs: LogEntry[] = [];
    const app = await bootTestApp({
      env: { MCP_ALLOWED_ORIGINS: undefined },
      pluginConfig: { contentTypes: [], allowedOrigins: ['https://elsewhere.example.test'] },
      onLog: (entry) => logs.push(entry),
    });
    try {
      const warnings = logs.filter((entry) => entry.level === 'warn').map((entry) => entry.message);
      expect(warnings).toContainEqual(expect.stringMatching(/^\[mcp-server\] no content type is exposed/));
      const cors = warnings.filter((message) => message.includes('strapi::cors'));
      expect(cors).toHaveLength(1);
      expect(cors[0]).toMatch(/origin https:\/\/elsewhere\.example\.test not allowed \(origin\)/);
      // The playground's cors settings allow and expose every MCP header: only the origin is missing.
      expect(cors[0]).not.toMatch(/\(headers\)|\(expose\)|\(methods\)/);
      expect(logs.find((entry) => entry.level === 'info' && entry.message.startsWith('[mcp-server]'))?.message).toMatch(
        /; exposes none$/,
      );
    } finally {
      await app.close();
    }
  });
});

describe('CORS for browser clients (the playground config)', () => {
  const ORIGIN = 'https://client.example.test';
  let app: TestApp;

  beforeAll(async () => {
    app = await bootTestApp({ env: { MCP_ALLOWED_ORIGINS: ORIGIN } });
  });
  afterAll(async () => {
    await app?.close();
  });

  const preflight = (origin: string) =>
    fetch(app.mcpUrl, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': MCP_REQUEST_HEADERS.map((header) => header.toLowerCase()).join(','),
      },
    });
  const headerList = (response: Response, name: string) =>
    (response.headers.get(name) ?? '').split(',').map((item) => item.trim().toLowerCase());

  it('answers a preflight from an allowed origin with every MCP request header and method allowed', async () => {
    const response = await preflight(ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const allowed = headerList(response, 'access-control-allow-headers');
    for (const header of MCP_REQUEST_HEADERS) expect(allowed).toContain(header.toLowerCase());
    const methods = headerList(response, 'access-control-allow-methods');
    for (const method of ['get', 'post', 'delete']) expect(methods).toContain(method);
  });

  it('lets a browser read Mcp-Session-Id, WWW-Authenticate and Retry-After from a response', async () => {
    const response = await fetch(app.mcpUrl, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const exposed = headerList(response, 'access-control-expose-headers');
    for (const header of MCP_EXPOSED_HEADERS) expect(exposed).toContain(header.toLowerCase());
  });

  it('gives an origin outside allowedOrigins no CORS grant', async () => {
    const response = await preflight('https://evil.example.test');
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
  });
});

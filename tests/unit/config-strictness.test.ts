/** Strict configuration: unknown keys, environment values, blank values, cross-field rules, keys and placeholders. */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closestKey } from '../../server/src/config/config-problems';
import { parsePluginConfig } from '../../server/src/config/schema';
import { isPlaceholderSecret } from '../../server/src/config/secret-placeholders';

const SECRET = 'k3y'.repeat(11);
const jwt = { jwksUri: 'https://idp.example/jwks.json', issuer: 'https://idp.example', audience: 'strapi' };
const minimal = { internalSecret: SECRET, jwt };
const problemsOf = (config: unknown): string[] => {
  try {
    parsePluginConfig(config);
    return [];
  } catch (error) {
    return (error as Error).message
      .replace(/^invalid mcp-server configuration: /, '')
      .split(';\n  ')
      .map((line) => line.replace(/;$/, ''));
  }
};

const ENV_NAMES = [
  'MCP_ENFORCE_ADMIN_PERMISSIONS',
  'MCP_READ_ONLY',
  'MCP_SESSIONS_MAX',
  'MCP_JWT_ALGORITHMS',
  'MCP_JWT_PUBLIC_KEY',
  'MCP_JWKS_URI',
  'MCP_SECRET_KEY',
  'MCP_JWT_ISSUER',
  'MCP_JWT_AUDIENCE',
];
const savedEnv = Object.fromEntries(ENV_NAMES.map((name) => [name, process.env[name]]));
afterEach(() => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('closestKey', () => {
  it.each([
    ['audiance', ['issuer', 'audience', 'algorithms'], 'audience'],
    ['raed', ['read', 'write'], 'read'],
    ['readonly', ['readOnly', 'roles'], 'readOnly'],
    ['maxPagesize', ['defaultPageSize', 'maxPageSize'], 'maxPageSize'],
    ['sessons', ['sessions', 'claims'], 'sessions'],
  ])('suggests %s → %s', (key, known, expected) => {
    expect(closestKey(key, known)).toBe(expected);
  });

  it('suggests nothing when no key is close', () => {
    expect(closestKey('colour', ['issuer', 'audience'])).toBeUndefined();
    expect(closestKey('x', ['jwt'])).toBeUndefined();
  });
});

describe('unknown keys', () => {
  it('are refused at the root, in sections and in per-type policies, each on its own line', () => {
    expect(
      problemsOf({
        ...minimal,
        jwt: { ...jwt, audiance: 'x', issuerr: 'y' },
        audit: { enabeld: false },
        contentTypes: {
          'api::a.a': {
            feilds: {},
            conditions: [{ name: 'c', actions: ['create'], on: 'data', field: 'f', equals: 1, mesage: 'm' }],
          },
        },
        colour: 'blue',
      }),
    ).toEqual([
      'jwt.audiance: unknown key (did you mean jwt.audience?)',
      'jwt.issuerr: unknown key (did you mean jwt.issuer?)',
      'contentTypes.api::a.a.conditions.0.mesage: unknown key (did you mean contentTypes.api::a.a.conditions.0.message?)',
      'contentTypes.api::a.a.feilds: unknown key (did you mean contentTypes.api::a.a.fields?)',
      'audit.enabeld: unknown key (did you mean audit.enabled?)',
      'colour: unknown key',
    ]);
  });

  it('are refused in runtime-shaped input too (the same parser serves settings.update)', () => {
    expect(problemsOf({ ...minimal, limits: { maxPageSise: 10 } })).toEqual([
      'limits.maxPageSise: unknown key (did you mean limits.maxPageSize?)',
    ]);
  });

  it('still leave the members of an inline JWKS alone (they are the identity provider’s)', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = { ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig', x5t: 'abc' };
    const config = parsePluginConfig({ ...minimal, jwt: { ...jwt, jwksUri: undefined, jwks: { keys: [key] } } });
    expect(config.jwt!.jwks?.keys).toHaveLength(1);
  });
});

describe('environment values', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['Yes', true],
    ['on', true],
    ['false', false],
    ['0', false],
    ['NO', false],
    ['Off', false],
    [' off ', false],
  ])('reads the boolean %j as %s', (value, expected) => {
    process.env.MCP_ENFORCE_ADMIN_PERMISSIONS = value;
    expect(parsePluginConfig(minimal).enforceAdminPermissions).toBe(expected);
  });

  it.each(['ture', 'enabled', 'y', '2', 'nope'])('refuses the boolean %j, naming the variable', (value) => {
    process.env.MCP_ENFORCE_ADMIN_PERMISSIONS = value;
    expect(problemsOf(minimal)).toEqual([
      `enforceAdminPermissions: env MCP_ENFORCE_ADMIN_PERMISSIONS="${value}" is not a boolean (true/false, 1/0, yes/no, on/off)`,
    ]);
  });

  it.each(['1.5', '12abc', '1e3', 'ten', '0x10', '99999999999999999999'])(
    'refuses the integer %j, naming the variable',
    (value) => {
      process.env.MCP_SESSIONS_MAX = value;
      expect(problemsOf(minimal)).toEqual([`sessions.max: env MCP_SESSIONS_MAX="${value}" is not an integer`]);
    },
  );

  it('reads an integer with surrounding blanks or a sign', () => {
    process.env.MCP_SESSIONS_MAX = ' +40 ';
    expect(parsePluginConfig(minimal).sessions.max).toBe(40);
  });

  it('lets the config value win over a bad environment value (the variable is not read)', () => {
    process.env.MCP_READ_ONLY = 'perhaps';
    expect(parsePluginConfig({ ...minimal, readOnly: true }).readOnly).toBe(true);
  });

  it('reads MCP_JWT_ALGORITHMS, and refuses an algorithm it does not know', () => {
    process.env.MCP_JWT_ALGORITHMS = 'ES256, RS256';
    expect(parsePluginConfig(minimal).jwt!.algorithms).toEqual(['ES256', 'RS256']);
    process.env.MCP_JWT_ALGORITHMS = 'none';
    expect(problemsOf(minimal)).toEqual([expect.stringMatching(/^jwt\.algorithms\.0: Invalid option/)]);
  });

  it('counts an empty or blank variable as unset', () => {
    process.env.MCP_JWKS_URI = '';
    process.env.MCP_READ_ONLY = '   ';
    const config = parsePluginConfig({ ...minimal, jwt: { ...jwt, jwksUri: undefined, secret: 's3cr'.repeat(8) } });
    expect(config.jwt!.jwksUri).toBeUndefined();
    expect(config.readOnly).toBe(false);
  });
});

describe('blank config values', () => {
  it('count as unset: the environment variable, then the default applies', () => {
    process.env.MCP_JWKS_URI = 'https://env-idp.example/jwks.json';
    const config = parsePluginConfig({
      ...minimal,
      jwt: { ...jwt, jwksUri: '' },
      tenantField: '',
      claims: { email: ' ' },
      audit: { cleanupRule: '' },
    });
    expect(config.jwt!.jwksUri).toBe('https://env-idp.example/jwks.json');
    expect(config.tenantField).toBe('tenantId');
    expect(config.claims.email).toBe('email');
    expect(config.audit.cleanupRule).toBe('0 30 3 * * *');
  });

  it('leave a required value missing, with the same message as leaving it out', () => {
    delete process.env.MCP_JWT_AUDIENCE;
    expect(problemsOf({ ...minimal, jwt: { ...jwt, audience: '' } })).toEqual([
      'jwt.audience: is required (env MCP_JWT_AUDIENCE), unless oauth.authorizationServers is set (then it is the resource)',
    ]);
  });

  it('stay data inside a condition (equals: "" compares with the empty string)', () => {
    const condition = { name: 'c', actions: ['create'], on: 'data', field: 'kind', equals: '' };
    const config = parsePluginConfig({ ...minimal, contentTypes: { 'api::a.a': { conditions: [condition] } } });
    expect(config.contentTypes['api::a.a'].conditions[0].equals).toBe('');
  });
});

describe('cross-field rules', () => {
  it.each([
    [{ limits: { defaultPageSize: 50, maxPageSize: 20 } }, 'limits.defaultPageSize: must not exceed maxPageSize (20)'],
    [
      { limits: { maxPatternTerms: 30, maxFilterTerms: 10 } },
      'limits.maxPatternTerms: must not exceed maxFilterTerms (10)',
    ],
    [
      { limits: { maxConcurrentCallsPerUser: 8 } },
      'limits.maxConcurrentCallsPerUser: must not exceed maxConcurrentCallsPerTenant (6)',
    ],
    [{ sessions: { maxPerUser: 20, max: 10 } }, 'sessions.maxPerUser: must not exceed max (10)'],
    [
      { sessions: { idleTimeoutMs: 7_200_000, maxLifetimeMs: 3_600_000 } },
      'sessions.idleTimeoutMs: must not exceed maxLifetimeMs (3600000)',
    ],
    [
      { media: { maxConcurrentUploadsPerUser: 4, maxConcurrentUploads: 2 } },
      'media.maxConcurrentUploadsPerUser: must not exceed maxConcurrentUploads (2)',
    ],
  ])('refuses %j', (overrides, problem) => {
    expect(problemsOf({ ...minimal, ...overrides })).toEqual([problem]);
  });

  it('accepts equal values, and reports only the field’s own problem when one side is invalid', () => {
    expect(problemsOf({ ...minimal, limits: { defaultPageSize: 20, maxPageSize: 20 } })).toEqual([]);
    expect(problemsOf({ ...minimal, limits: { maxPageSize: -1 } })).toEqual([
      expect.stringMatching(/^limits\.maxPageSize: Too small/),
    ]);
  });
});

describe('one message for everything', () => {
  it('reports required settings, refinements, sections and unknown keys of one configuration together', () => {
    delete process.env.MCP_JWT_ISSUER;
    delete process.env.MCP_JWT_AUDIENCE;
    delete process.env.MCP_SECRET_KEY;
    delete process.env.MCP_JWKS_URI;
    const problems = problemsOf({
      jwt: { audiance: 'x' },
      sessions: { maxPerUser: 0 },
      limits: { defaultPageSize: 90, maxPageSize: 50 },
    });
    expect(problems).toHaveLength(7);
    expect(problems).toEqual(
      expect.arrayContaining([
        'jwt.issuer: is required (env MCP_JWT_ISSUER)',
        'jwt.audience: is required (env MCP_JWT_AUDIENCE), unless oauth.authorizationServers is set (then it is the resource)',
        'jwt.audiance: unknown key (did you mean jwt.audience?)',
        'jwt: one of jwksUri (MCP_JWKS_URI), jwks, publicKey (MCP_JWT_PUBLIC_KEY) or secret (MCP_JWT_SECRET) is required',
        expect.stringMatching(/^sessions\.maxPerUser: Too small/),
        'limits.defaultPageSize: must not exceed maxPageSize (50)',
        'internalSecret: is required (env MCP_SECRET_KEY); set requireInternalSecret: false only when clients call the endpoint directly',
      ]),
    );
  });
});

describe('verification keys read at boot', () => {
  const rsa = (modulusLength: number) => generateKeyPairSync('rsa', { modulusLength });
  const withKey = (key: Record<string, unknown>) => ({ ...minimal, jwt: { ...jwt, jwksUri: undefined, ...key } });

  it('accepts a PEM public key and a certificate-less SPKI with literal \\n from an environment variable', () => {
    const pem = rsa(2048).publicKey.export({ format: 'pem', type: 'spki' }) as string;
    process.env.MCP_JWT_PUBLIC_KEY = pem.trim().replace(/\n/g, '\\n');
    const config = parsePluginConfig(withKey({}));
    expect(config.jwt!.publicKey).toBe(pem.trim());
  });

  it.each([
    ['not a key', /is not a PEM public key or certificate/],
    ['-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----', /cannot be read as a PEM public key/],
    [rsa(2048).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, /is a private key/],
    [rsa(1024).publicKey.export({ format: 'pem', type: 'spki' }) as string, /RSA key of 1024 bits/],
  ])('refuses the PEM %#', (publicKey, problem) => {
    expect(problemsOf(withKey({ publicKey }))).toEqual([expect.stringMatching(problem)]);
  });

  it('refuses JWKS keys that could never verify a token, each by its index and kid', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const good = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'good' };
    const keys = [
      good,
      { ...ec.privateKey.export({ format: 'jwk' }), kid: 'private' },
      { kty: 'oct', k: 'c2VjcmV0', kid: 'shared' },
      { kty: 'RSA', n: 'AQAB', e: 'AQAB', kid: 'tiny' },
      { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA' },
    ];
    expect(problemsOf(withKey({ jwks: { keys } }))).toEqual([
      'jwt.jwks.keys.1: key (kid private) holds private key material (d); configure only public keys',
      'jwt.jwks.keys.2: key (kid shared) is a symmetric (oct) key; a shared secret belongs in jwt.secret',
      expect.stringMatching(/^jwt\.jwks\.keys\.3: key \(kid tiny\) is an RSA key of \d+ bits/),
      'jwt.jwks.keys.4: key cannot be imported as a public key (kty EC)',
    ]);
  });
});

describe('placeholder secrets', () => {
  it.each([
    'change-me-to-at-least-32-random-characters',
    'changeme',
    'CHANGE-ME',
    'secret',
    'your-secret-here',
    'replace-with-a-long-random-secret-value',
    '<your internal secret of 32 characters>',
  ])('refuses %j', (value) => {
    expect(isPlaceholderSecret(value)).toBe(true);
    expect(problemsOf({ ...minimal, internalSecret: value })[0]).toMatch(/^internalSecret: is a placeholder/);
    expect(problemsOf({ ...minimal, jwt: { ...jwt, jwksUri: undefined, secret: value } })[0]).toMatch(
      /^jwt\.secret: is a placeholder/,
    );
  });

  it('accepts a random secret, and never quotes the refused value', () => {
    expect(isPlaceholderSecret('pX2n7Jc0b9qH8mT4sV1wZ6yR3kL5aF0d')).toBe(false);
    const problems = problemsOf({ ...minimal, internalSecret: 'change-me-to-at-least-32-random-characters' });
    expect(problems.join('\n')).not.toContain('change-me-to');
  });
});

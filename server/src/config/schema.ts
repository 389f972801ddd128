import { z } from 'zod';
import { accessCacheSchema } from './access-cache-schema';
import { accessSchema } from './access-schema';
import { adminTokensRequireSecret, adminTokensSchema } from './admin-tokens-schema';
import { configurationError, createConfigProblems } from './config-problems';
import { atMost, unlessInvalid } from './cross-field-rules';
import {
  env,
  envBool,
  envInt,
  envList,
  fromEnv,
  isUnset,
  positiveInt,
  section,
  withoutBlankValues,
} from './env-fallback';
import { loggingSchema } from './logging-schema';
import { mutationConfirmationSchema, mutationsSchema } from './mutations-schema';
import { schemaToolsSchema } from './schema-tools-schema';
import { oauthSchema, requireAudienceWithoutOAuth } from './oauth-schema';
import { contentTypesSchema, policyOptionsShape } from './policy-schema';
import { rateLimitsSchema, redisSchema } from './rate-limits-schema';
import { isPlaceholderSecret, PLACEHOLDER_MESSAGE } from './secret-placeholders';
import { jwkProblem, normalizePem, pemKeyProblem } from './verification-keys';

/**
 * The plugin's configuration, validated once at boot. Precedence for every option:
 * the value in config/plugins → its environment variable (when it has one) → the default.
 * Defaults live here rather than in `config.default` because Strapi merges that object
 * with lodash `defaultsDeep`, which would merge arrays (algorithms, origins) index by index.
 */

export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const DEFAULT_MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_MAX_SESSIONS = 1000;
export const DEFAULT_MAX_SESSIONS_PER_USER = 10;
export const DEFAULT_CLOCK_TOLERANCE_SEC = 30;
export const MIN_INTERNAL_SECRET_LENGTH = 32;
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;
export const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** What the boot does about the database indexes search and tenant-scoped lists need (docs/search.md). */
export const INDEX_MODES = ['check', 'apply', 'off'] as const;

/** A required string or list of strings, with a message that names its environment variable. */
const requiredStrings = (envName: string) =>
  z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: (issue) =>
      issue.input === undefined ? `is required (env ${envName})` : 'must be a non-empty string or list of strings',
  });

/** A secret that is not one of the placeholders we ship or the usual ones (checked first: it is the real problem). */
const secretString = z.string().refine((value) => !isPlaceholderSecret(value), {
  message: PLACEHOLDER_MESSAGE,
  abort: true,
});

/**
 * A JWK Set as the identity provider publishes it (its members are the provider's, so they are not checked as
 * config keys); every key must import as a public verification key.
 */
const jwksSchema = z.object({
  keys: z
    .array(z.record(z.string(), z.unknown()))
    .min(1)
    .superRefine((keys, ctx) => {
      keys.forEach((jwk, index) => {
        const problem = jwkProblem(jwk);
        const kid = typeof jwk.kid === 'string' ? ` (kid ${jwk.kid})` : '';
        if (problem) ctx.addIssue({ code: 'custom', path: [index], message: `key${kid} ${problem}` });
      });
    }),
});

/** One PEM public key or certificate; literal `\n` (from an environment variable) stands for a line break. */
const pemPublicKey = z
  .string()
  .min(1)
  .superRefine((pem, ctx) => {
    const problem = pemKeyProblem(normalizePem(pem));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform(normalizePem);

const jwtSchema = section(
  z
    .strictObject({
      issuer: fromEnv(requiredStrings('MCP_JWT_ISSUER'), () => env('MCP_JWT_ISSUER')),
      audience: fromEnv(requiredStrings('MCP_JWT_AUDIENCE').optional(), () => env('MCP_JWT_AUDIENCE')),
      algorithms: fromEnv(
        z
          .array(z.enum([...ASYMMETRIC_ALGORITHMS, ...HMAC_ALGORITHMS]))
          .min(1)
          .optional(),
        () => envList('MCP_JWT_ALGORITHMS') as never,
      ),
      jwksUri: fromEnv(z.url({ protocol: /^https?$/ }).optional(), () => env('MCP_JWKS_URI')),
      jwks: jwksSchema.optional(),
      publicKey: fromEnv(pemPublicKey.optional(), () => env('MCP_JWT_PUBLIC_KEY')),
      secret: fromEnv(secretString.min(32, 'must be at least 32 characters').optional(), () => env('MCP_JWT_SECRET')),
      clockToleranceSec: fromEnv(
        z.number().int().min(0).max(300),
        () => envInt('MCP_JWT_CLOCK_TOLERANCE_SEC'),
        DEFAULT_CLOCK_TOLERANCE_SEC,
      ),
      maxTokenAgeSec: z.number().int().positive().optional(),
      jwksCacheMaxAgeMs: positiveInt.default(10 * 60 * 1000),
      jwksCooldownMs: positiveInt.default(30 * 1000),
      jwksTimeoutMs: positiveInt.default(5 * 1000),
    })
    .superRefine(
      (jwt, ctx) => {
        const sources = [jwt.jwksUri, jwt.jwks, jwt.publicKey, jwt.secret].filter((source) => source !== undefined);
        if (sources.length === 0) {
          ctx.addIssue({
            code: 'custom',
            message:
              'one of jwksUri (MCP_JWKS_URI), jwks, publicKey (MCP_JWT_PUBLIC_KEY) or secret (MCP_JWT_SECRET) is required',
          });
        }
        if (sources.length > 1) {
          ctx.addIssue({ code: 'custom', message: 'set only one of jwksUri, jwks, publicKey or secret' });
        }
      },
      // Presence is what counts: a source with a bad value is reported under its own key, and still counts here.
      unlessInvalid(),
    )
    .superRefine(
      (jwt, ctx) => {
        const hmac = jwt.algorithms?.filter((alg) => (HMAC_ALGORITHMS as readonly string[]).includes(alg)) ?? [];
        if (hmac.length > 0 && jwt.secret === undefined) {
          ctx.addIssue({ code: 'custom', path: ['algorithms'], message: `${hmac.join(', ')} needs jwt.secret` });
        }
        if (jwt.secret !== undefined && jwt.algorithms?.some((alg) => !hmac.includes(alg))) {
          ctx.addIssue({
            code: 'custom',
            path: ['algorithms'],
            message: 'with jwt.secret only HS256, HS384 or HS512 apply',
          });
        }
      },
      unlessInvalid('algorithms', 'secret'),
    )
    .transform((jwt) => ({
      ...jwt,
      // Asymmetric algorithms by default; HMAC only when a shared secret is configured explicitly; `none` never.
      algorithms: jwt.algorithms ?? (jwt.secret !== undefined ? ['HS256' as const] : [...ASYMMETRIC_ALGORITHMS]),
    })),
);

const claimsSchema = section(
  z.strictObject({
    email: z.string().min(1).default('email'),
    role: z.string().min(1).default('role'),
    tenant: z.string().min(1).default('tenant'),
    emailVerified: z.string().min(1).default('email_verified'),
    /** Scopes that narrow the role: a space-separated string (`scope`) or a list (`permissions`) of `<type>:<action>`. */
    scopes: fromEnv(z.string().min(1), () => env('MCP_SCOPES_CLAIM'), 'scope'),
    /** Refuse tokens without the scopes claim (absent: the role alone applies). */
    requireScopes: fromEnv(z.boolean(), () => envBool('MCP_REQUIRE_SCOPES'), false),
    /** Refuse tokens whose `emailVerified` claim is present and not true (absent: accepted). */
    requireVerifiedEmail: fromEnv(z.boolean(), () => envBool('MCP_REQUIRE_VERIFIED_EMAIL'), true),
  }),
);

export const SESSION_MODES = ['memory', 'stateless'] as const;

const sessionsSchema = section(
  z
    .strictObject({
      /**
       * How 2025-era clients are served: `memory` keeps a session per client in this instance (replicas need sticky
       * routing on `Mcp-Session-Id`); `stateless` answers each request on its own, on any replica, without a session
       * (no `Mcp-Session-Id`, no GET stream, no resource subscriptions). 2026-07-28 requests are stateless either way.
       */
      mode: fromEnv(z.enum(SESSION_MODES), () => env('MCP_SESSIONS_MODE') as never, 'memory'),
      idleTimeoutMs: fromEnv(positiveInt, () => envInt('MCP_SESSION_IDLE_TIMEOUT_MS'), DEFAULT_IDLE_TIMEOUT_MS),
      maxLifetimeMs: fromEnv(positiveInt, () => envInt('MCP_SESSION_MAX_LIFETIME_MS'), DEFAULT_MAX_LIFETIME_MS),
      max: fromEnv(positiveInt, () => envInt('MCP_SESSIONS_MAX'), DEFAULT_MAX_SESSIONS),
      maxPerUser: fromEnv(positiveInt, () => envInt('MCP_SESSIONS_MAX_PER_USER'), DEFAULT_MAX_SESSIONS_PER_USER),
      /** 2026-07-28 `subscriptions/listen` streams one admin user may hold open at once. */
      maxListenStreamsPerUser: fromEnv(positiveInt, () => envInt('MCP_LISTEN_STREAMS_MAX_PER_USER'), 4),
      sweepIntervalMs: positiveInt.optional(),
    })
    .superRefine(...atMost('maxPerUser', 'max'))
    .superRefine(...atMost('idleTimeoutMs', 'maxLifetimeMs'))
    .transform((sessions) => ({
      ...sessions,
      // Sweep often enough that an idle session never outlives its timeout by more than half of it.
      sweepIntervalMs:
        sessions.sweepIntervalMs ?? Math.min(60_000, Math.max(100, Math.floor(sessions.idleTimeoutMs / 2))),
    })),
);

const toolsSchema = section(
  z.strictObject({
    /** Typed tools per exposed type and role (`list_article`, `create_article`...) besides the generic ones. */
    perType: fromEnv(z.boolean(), () => envBool('MCP_TOOLS_PER_TYPE'), false),
  }),
);

/** The variables that configure JWTs; with none of them and no `jwt` option, JWTs are not accepted. */
const JWT_ENV = ['MCP_JWT_ISSUER', 'MCP_JWT_AUDIENCE', 'MCP_JWKS_URI', 'MCP_JWT_PUBLIC_KEY', 'MCP_JWT_SECRET'];

/**
 * `jwt` left out entirely (no option, or only unset ones such as `env('MCP_JWKS_URI')` of an unset variable, and no
 * variable) means no identity provider: only Strapi admin tokens are accepted,
 * the first-token path of a developer without one. Anything set in it makes it a JWT configuration, checked in full.
 */
const jwtSection = z.preprocess(
  (value) =>
    (isUnset(value) || (typeof value === 'object' && Object.values(value).every(isUnset))) &&
    JWT_ENV.every((name) => env(name) === undefined)
      ? undefined
      : (value ?? {}),
  jwtSchema.optional(),
);

export const pluginConfigSchema = z
  .strictObject({
    /** Off: every request is answered 503 (switched from Settings → MCP Server, or MCP_ENABLED=false). */
    enabled: fromEnv(z.boolean(), () => envBool('MCP_ENABLED'), true),
    access: accessSchema,
    internalSecret: fromEnv(secretString.optional(), () => env('MCP_SECRET_KEY')),
    requireInternalSecret: fromEnv(z.boolean(), () => envBool('MCP_REQUIRE_INTERNAL_SECRET'), true),
    allowedOrigins: fromEnv(z.array(z.string().min(1)), () => envList('MCP_ALLOWED_ORIGINS'), []),
    allowLoopbackOrigins: z.boolean().optional(),
    jwt: jwtSection,
    claims: claimsSchema,
    sessions: sessionsSchema,
    adminTokens: adminTokensSchema,
    oauth: oauthSchema,
    contentTypes: contentTypesSchema,
    logging: loggingSchema,
    rateLimits: rateLimitsSchema,
    redis: redisSchema,
    accessCache: accessCacheSchema,
    /** `check`: say at boot which recommended indexes are missing; `apply`: create them at boot; `off`: neither. */
    indexes: fromEnv(z.enum(INDEX_MODES), () => env('MCP_INDEXES') as never, 'check'),
    /** Whether mutation tools run, need a dry run's confirmation token, or are off; unset: off in production. */
    mutations: mutationsSchema,
    mutationConfirmation: mutationConfirmationSchema,
    /** Developer mode: content-model tools under `strapi develop` (never in production). */
    schemaTools: schemaToolsSchema,
    tools: toolsSchema,
    ...policyOptionsShape,
  })
  .superRefine((config, ctx) => requireAudienceWithoutOAuth(config, ctx), unlessInvalid('oauth'))
  .superRefine(
    (config, ctx) => {
      if (config.jwt !== undefined) return;
      if (!config.adminTokens.enabled) {
        ctx.addIssue({
          code: 'custom',
          path: ['jwt'],
          message:
            'no credential is accepted: configure JWTs (jwt.issuer, jwt.audience and jwt.jwksUri, or MCP_JWT_ISSUER, ' +
            'MCP_JWT_AUDIENCE, MCP_JWKS_URI) or leave adminTokens.enabled on',
        });
      }
      if (config.oauth.authorizationServers.length > 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['oauth', 'authorizationServers'],
          message: "need jwt: the authorization servers' issuers in jwt.issuer and their keys in jwt.jwksUri",
        });
      }
    },
    unlessInvalid('jwt', 'adminTokens', 'oauth'),
  )
  .superRefine(
    (config, ctx) => {
      if (!config.requireInternalSecret && !(config.adminTokens.enabled && adminTokensRequireSecret(config))) return;
      if (config.internalSecret === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['internalSecret'],
          message:
            'is required (env MCP_SECRET_KEY); set requireInternalSecret: false only when clients call the endpoint directly',
        });
      } else if (config.internalSecret.length < MIN_INTERNAL_SECRET_LENGTH) {
        ctx.addIssue({
          code: 'custom',
          path: ['internalSecret'],
          message: `must be at least ${MIN_INTERNAL_SECRET_LENGTH} characters`,
        });
      }
    },
    unlessInvalid('internalSecret', 'requireInternalSecret', 'adminTokens'),
  );

export type PluginConfig = z.output<typeof pluginConfigSchema>;
export type PluginConfigInput = z.input<typeof pluginConfigSchema>;

/**
 * Parses the merged plugin config (blank values count as unset). Unknown keys, bad values and broken rules are
 * reported all at once, each naming its key.
 */
export const parsePluginConfig = (raw: unknown): PluginConfig => {
  const problems = createConfigProblems();
  const result = pluginConfigSchema.safeParse(withoutBlankValues(raw ?? {}), { error: problems.errorMap });
  if (result.success) return result.data;
  throw configurationError(problems.describe(result.error.issues));
};

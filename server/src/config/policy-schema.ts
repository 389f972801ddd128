import { z } from 'zod';
import { atMost } from './cross-field-rules';
import { envBool, envInt, env, fromEnv, positiveInt, section } from './env-fallback';

/** What a role may do. `*-own` actions reach only documents the caller's admin user created. */
export const ACTIONS = [
  'read',
  'read-own',
  'create',
  'update',
  'update-own',
  'delete',
  'delete-own',
  'publish',
] as const;
export type Action = (typeof ACTIONS)[number];

export const DEFAULT_ROLES: Record<string, Array<Action | '*'>> = {
  Admin: ['*'],
  Publisher: ['create', 'read', 'update', 'publish'],
  Author: ['create', 'read', 'update-own'],
  Reader: ['read'],
};

/** Strapi's built-in admin role codes, mapped onto the default policy roles, for `roleSource: 'strapi'`. */
export const DEFAULT_STRAPI_ROLE_MAPPING: Record<string, string> = {
  'strapi-super-admin': 'Admin',
  'strapi-editor': 'Publisher',
  'strapi-author': 'Author',
};

export const DEFAULT_MEDIA_MIME_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'application/pdf',
];

export const DEFAULT_REDACTED_KEYS = ['password', 'secret', 'token', 'apikey', 'authorization', 'base64', 'privatekey'];

const actionList = z.array(z.enum([...ACTIONS, '*']));
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * A value constraint checked on the incoming data (`on: 'data'`) or on the stored document (`on: 'stored'`),
 * e.g. "Authors may only create kind news or blog", "no update of a locked article except by Admin".
 */
const conditionSchema = z
  .strictObject({
    name: z.string().min(1),
    actions: z.array(z.enum(['create', 'update', 'delete', 'publish'])).min(1),
    roles: z.array(z.string().min(1)).optional(),
    exceptRoles: z.array(z.string().min(1)).optional(),
    on: z.enum(['data', 'stored']),
    field: z.string().min(1),
    equals: scalar.optional(),
    notEquals: scalar.optional(),
    in: z.array(scalar).min(1).optional(),
    notIn: z.array(scalar).min(1).optional(),
    message: z.string().min(1).optional(),
  })
  .superRefine((condition, ctx) => {
    const operators = (['equals', 'notEquals', 'in', 'notIn'] as const).filter((key) => condition[key] !== undefined);
    if (operators.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of equals, notEquals, in, notIn' });
    }
    if (condition.roles && condition.exceptRoles) {
      ctx.addIssue({ code: 'custom', message: 'set roles or exceptRoles, not both' });
    }
  });
export type ConditionConfig = z.output<typeof conditionSchema>;

/** Who may read and write one field; a role left out of a list may not. Fields without a rule follow the type. */
const fieldRuleSchema = z.strictObject({
  read: z.array(z.string().min(1)).optional(),
  write: z.array(z.string().min(1)).optional(),
});

export const contentTypePolicySchema = z.strictObject({
  /** Per-role actions for this type, replacing the role's global actions here. */
  actions: z.record(z.string().min(1), actionList).optional(),
  fields: z.record(z.string().min(1), fieldRuleSchema).default({}),
  conditions: z.array(conditionSchema).default([]),
  /** The tenant attribute of this type; `false` makes it shared across tenants. Default: the global `tenantField`, if the type has it. */
  tenantField: z.union([z.string().min(1), z.literal(false)]).optional(),
});
export type ContentTypePolicyConfig = z.output<typeof contentTypePolicySchema>;

export const contentTypesSchema = z
  .union([z.array(z.string().min(1)), z.record(z.string().min(1), section(contentTypePolicySchema))])
  .default([])
  .transform(
    (value): Record<string, ContentTypePolicyConfig> =>
      Array.isArray(value)
        ? Object.fromEntries(value.map((uid) => [uid, contentTypePolicySchema.parse({})]))
        : (value as Record<string, ContentTypePolicyConfig>),
  );

export const limitsSchema = section(
  z
    .strictObject({
      defaultPageSize: positiveInt.max(100).default(25),
      maxPageSize: positiveInt.max(1000).default(100),
      maxPopulateDepth: z.number().int().min(0).max(5).default(2),
      /** Entries a populated to-many relation shows per document (the first ones); find_documents pages through all. */
      maxPopulatedEntries: positiveInt.max(1000).default(25),
      maxFilterDepth: positiveInt.max(10).default(5),
      maxResponseBytes: fromEnv(positiveInt, () => envInt('MCP_MAX_RESPONSE_BYTES'), 512 * 1024),
      /** Longest operand of a pattern operator ($contains, $startsWith, $endsWith and their variants). */
      maxPatternLength: positiveInt.max(10_000).default(256),
      /** Pattern conditions per call, caller filters and populate filters together. */
      maxPatternTerms: positiveInt.max(1000).default(20),
      /** Field conditions per call, caller filters and populate filters together. */
      maxFilterTerms: positiveInt.max(10_000).default(200),
      /** Bytes of every string operand of a call's filters together. */
      maxFilterBytes: positiveInt.max(10 * 1024 * 1024).default(32 * 1024),
      /** Time budget of one read, enforced by the database where it can (PostgreSQL statement_timeout). */
      readTimeoutMs: fromEnv(positiveInt, () => envInt('MCP_READ_TIMEOUT_MS'), 5000),
      /** Tool calls one HTTP request may carry (a JSON-RPC batch); more are refused before any runs. */
      maxToolCallsPerRequest: positiveInt.max(100).default(1),
      /** Tool calls one admin user may have running at once, over all its sessions (a bound on its share of the pool). */
      maxConcurrentCallsPerUser: positiveInt.max(100).default(4),
      /** Tool calls the users of one tenant may have running at once: what the other tenants keep of the pool. */
      maxConcurrentCallsPerTenant: positiveInt.max(1000).default(6),
      /** Characters a `text` or `richtext` value may hold when written (a schema `maxLength` lowers it). */
      maxTextLength: positiveInt.max(10_000_000).default(50_000),
      /** Bytes of JSON a `blocks` or `json` value may hold when written. */
      maxJsonBytes: positiveInt.max(50 * 1024 * 1024).default(256 * 1024),
      /**
       * How long a 2026-07-28 client may keep a tool, prompt or resource list (`ttlMs`, private to the caller); never
       * longer than the caller's token lives, and every change to what callers may see is announced on listen streams.
       */
      listCacheTtlMs: z.number().int().min(0).max(86_400_000).default(60_000),
    })
    .superRefine(...atMost('defaultPageSize', 'maxPageSize'))
    .superRefine(...atMost('maxPatternTerms', 'maxFilterTerms'))
    .superRefine(...atMost('maxConcurrentCallsPerUser', 'maxConcurrentCallsPerTenant')),
);

export const mediaSchema = section(
  z
    .strictObject({
      maxBytes: fromEnv(positiveInt, () => envInt('MCP_MEDIA_MAX_BYTES'), 5 * 1024 * 1024),
      allowedMimeTypes: z.array(z.string().min(1)).default(DEFAULT_MEDIA_MIME_TYPES),
      /** Pixels an uploaded image may declare (width × height × frames), read from its header before Strapi sees it. */
      maxPixels: fromEnv(positiveInt, () => envInt('MCP_MEDIA_MAX_PIXELS'), 40_000_000),
      /** Uploads one admin user may have in progress at once. */
      maxConcurrentUploadsPerUser: positiveInt.max(100).default(1),
      /** Uploads in progress on this Strapi instance at once (image processing takes the CPU). */
      maxConcurrentUploads: positiveInt.max(100).default(3),
    })
    .superRefine(...atMost('maxConcurrentUploadsPerUser', 'maxConcurrentUploads')),
);

export const auditSchema = section(
  z.strictObject({
    enabled: fromEnv(z.boolean(), () => envBool('MCP_AUDIT_ENABLED'), true),
    retentionDays: fromEnv(positiveInt, () => envInt('MCP_AUDIT_RETENTION_DAYS'), 90),
    /** Six-field cron rule (seconds first) of the daily retention cleanup. */
    cleanupRule: z.string().min(1).default('0 30 3 * * *'),
    /** Argument keys whose values are replaced by "[redacted]" (case-insensitive, at any depth). */
    redactKeys: z.array(z.string().min(1)).default(DEFAULT_REDACTED_KEYS),
    flushIntervalMs: positiveInt.default(2000),
    maxBatchSize: positiveInt.default(100),
  }),
);

export const policyOptionsShape = {
  roles: z.record(z.string().min(1), actionList).default(DEFAULT_ROLES),
  roleSource: fromEnv(z.enum(['claim', 'strapi']), () => env('MCP_ROLE_SOURCE') as never, 'claim'),
  strapiRoles: z.record(z.string().min(1), z.string().min(1)).default(DEFAULT_STRAPI_ROLE_MAPPING),
  enforceAdminPermissions: fromEnv(z.boolean(), () => envBool('MCP_ENFORCE_ADMIN_PERMISSIONS'), true),
  tenantField: z.string().min(1).default('tenantId'),
  crossTenantRoles: z.array(z.string().min(1)).default([]),
  onForbiddenField: z.enum(['reject', 'strip']).default('reject'),
  readOnly: fromEnv(z.boolean(), () => envBool('MCP_READ_ONLY'), false),
  limits: limitsSchema,
  media: mediaSchema,
  audit: auditSchema,
};

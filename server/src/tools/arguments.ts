import { z } from 'zod';
import { MAX_TOKEN_LENGTH } from '../content/confirmation-token';
import { MAX_CURSOR_LENGTH } from '../content/paging/cursor';

/** Argument schemas shared by the content tools; names are part of the public contract. */
export const contentTypeArg = z
  .string()
  .min(1)
  .describe('The content type: its uid (api::article.article) or singular name (article). See list_content_types.');
export const documentIdArg = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'a documentId is made of letters, digits, - and _')
  .optional()
  .describe('The documentId of the document. Leave it out for single types.');
export const localeArg = z
  .string()
  .min(1)
  .optional()
  .describe('Locale code of a localized type (e.g. en, fr); the default locale when left out.');
export const listLocaleArg = localeArg.describe('Locale code of a localized type, or * for every locale.');
export const statusArg = z
  .enum(['draft', 'published'])
  .optional()
  .describe('Which version to read on draft & publish types: draft (the latest, default) or published.');
export const dryRunArg = z
  .boolean()
  .optional()
  .describe('Run every check and show what would change, without writing anything.');
export const confirmationTokenArg = z
  .string()
  .min(1)
  .max(MAX_TOKEN_LENGTH)
  .optional()
  .describe(
    "Only where whoami says mutations: 'confirm': the confirmation.token of this same call's dry run (the same arguments, without dryRun). It confirms one call, within minutes.",
  );
/** What a dry run answers besides its preview where changes need confirmation. */
export const confirmationResult = z
  .object({ token: z.string(), expiresAt: z.string() })
  .optional()
  .describe(
    'Where changes need confirmation: repeat this exact call without dryRun and with confirmationToken set to token, before expiresAt.',
  );
export const filtersArg = z
  .record(z.string(), z.unknown())
  .optional()
  .describe(
    'Strapi filters, e.g. { "title": { "$containsi": "launch" }, "category": { "slug": "product" } }. Operators: $eq $eqi $ne $nei $lt $lte $gt $gte $in $notIn $between $contains $notContains $containsi $notContainsi $startsWith $startsWithi $endsWith $endsWithi $null $notNull, grouped with $and $or $not. Only fields you may read.',
  );
export const sortArg = z
  .union([
    z.string(),
    z.array(z.union([z.string(), z.record(z.string(), z.string())])),
    z.record(z.string(), z.string()),
  ])
  .optional()
  .describe('e.g. "createdAt:desc" or ["kind:asc", "title:asc"].');
export const fieldsArg = z
  .array(z.string())
  .optional()
  .describe('Scalar fields to return (documentId always comes back). Relations then only if populated.');
export const populateArg = z
  .union([z.string(), z.array(z.string()), z.record(z.string(), z.unknown())])
  .optional()
  .describe(
    'Relations, components and media to return: "*", ["category", "seo"], or { "category": { "fields": ["name"] } }; at most 2 levels. Lists return only what you name here; get_document also returns components, media and other relations as { documentId } references.',
  );
export const pageArg = z.number().int().min(1).optional().describe('Page number, from 1.');
export const cursorArg = z
  .string()
  .min(1)
  .max(MAX_CURSOR_LENGTH)
  .optional()
  .describe(
    'meta.pagination.nextCursor of the previous page: the next rows, as fast deep in a list as on its first page. Repeat the same filters, sort, locale and status; not with page.',
  );
export const withCountArg = z
  .boolean()
  .optional()
  .describe(
    'true to also count the whole list (meta.pagination.total and pageCount). Counting reads every matching row: ask only when you need the number.',
  );
export const pageSizeArg = z.number().int().min(1).optional().describe('Documents per page (default 25, max 100).');
export const dataArg = z
  .record(z.string(), z.unknown())
  .describe(
    'Field values. Relations by documentId: "abc123", ["a", "b"], or { "connect": [...], "disconnect": [...], "set": [...] }; media by file id.',
  );

export const documentList = {
  data: z.array(z.record(z.string(), z.unknown())),
  meta: z.object({
    pagination: z.object({
      page: z.number().optional(),
      pageSize: z.number(),
      hasMore: z.boolean(),
      nextCursor: z.string().optional(),
      total: z.number().optional(),
      pageCount: z.number().optional(),
    }),
    truncated: z.boolean().optional(),
    returned: z.number().optional(),
    searchedFields: z.array(z.string()).optional(),
  }),
};

export const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

/** What both schema tools say of a content type (content/describe.ts `typeSummary`), plus the caller's actions. */
export const contentTypeSummary = {
  uid: z.string(),
  singularName: z.string(),
  pluralName: z.string(),
  displayName: z.string(),
  description: z.string().nullable(),
  kind: z.enum(['collectionType', 'singleType']),
  draftAndPublish: z.boolean(),
  localized: z.boolean(),
  tenantAware: z.boolean(),
  actions: z.array(z.string()),
};

import type { Core } from '@strapi/strapi';

/** Stored rows a schema change would drop: of which model, what is lost, how many rows, some of their documents. */
export interface DataAtRisk {
  model: string;
  loses: string;
  rows: number;
  /** Up to ten documents concerned (content types only). */
  documentIds?: string[];
}

type Where = Record<string, unknown>;
const SAMPLE = 10;

/** Attribute kinds stored outside the model's own row: they are matched through the related row's id. */
const JOINED = new Set(['relation', 'media', 'component']);

const whereHolding = (attribute: { type: string }, name: string): Where | null => {
  // Strapi's query engine cannot filter on a dynamic zone: every row counts as possibly holding one.
  if (attribute.type === 'dynamiczone') return null;
  return JOINED.has(attribute.type) ? { [name]: { id: { $notNull: true } } } : { [name]: { $notNull: true } };
};

const isContentType = (strapi: Core.Strapi, uid: string) => uid in strapi.contentTypes;

/**
 * Counts the rows of `uid` matching `where` (all rows without one). A filter the query engine refuses counts every
 * row: the answer may overstate the loss, never understate it.
 */
const rowsMatching = async (strapi: Core.Strapi, uid: string, where: Where | null, loses: string) => {
  const query = strapi.db.query(uid as never);
  let rows: number;
  let filter = where ?? {};
  try {
    rows = Number(await query.count({ where: filter }));
  } catch {
    filter = {};
    rows = Number(await query.count());
  }
  if (rows === 0) return [];
  const risk: DataAtRisk = { model: uid, loses, rows };
  if (isContentType(strapi, uid)) {
    const sample = (await query.findMany({ select: ['documentId'], where: filter, limit: SAMPLE * 4 })) as Array<{
      documentId: string;
    }>;
    risk.documentIds = [...new Set(sample.map((row) => row.documentId))].slice(0, SAMPLE);
  }
  return [risk];
};

const attributeOf = (strapi: Core.Strapi, uid: string, name: string) =>
  ((strapi.getModel(uid as never) as { attributes?: Record<string, { type: string }> } | undefined)?.attributes ?? {})[
    name
  ];

/** Rows holding a value of an attribute that is removed, renamed, or changed to another kind. */
export const attributeDataAtRisk = async (strapi: Core.Strapi, uid: string, name: string, why: string) => {
  const attribute = attributeOf(strapi, uid, name);
  if (!attribute) return [];
  return rowsMatching(strapi, uid, whereHolding(attribute, name), `the values of ${name} (${why})`);
};

/** Every row of a content type or component that is deleted. */
export const modelDataAtRisk = (strapi: Core.Strapi, uid: string, why: string) => rowsMatching(strapi, uid, null, why);

/** Draft versions, which Strapi discards when draft & publish is switched off. */
export const draftsAtRisk = (strapi: Core.Strapi, uid: string) =>
  rowsMatching(strapi, uid, { publishedAt: { $null: true } }, 'draft versions (draft & publish switched off)');

/** Versions in other locales than the default one, which Strapi drops when localization is switched off. */
export const otherLocalesAtRisk = async (strapi: Core.Strapi, uid: string) => {
  const locales = strapi.plugin('i18n')?.service('locales') as { getDefaultLocale(): Promise<string> } | undefined;
  const defaultLocale = (await locales?.getDefaultLocale()) ?? 'en';
  return rowsMatching(
    strapi,
    uid,
    { locale: { $ne: defaultLocale } },
    `versions in locales other than ${defaultLocale} (localization switched off)`,
  );
};

/**
 * Tops the playground's articles up to a number of documents with bulk inserts (knex, in batches, one transaction),
 * rows as the Document Service stores them: every document a draft row, two in three also a published row with the
 * same documentId (Strapi's cuid2 generator); tenant org-1 for odd n, org-2 for even; authors alternating; a
 * category link and an seo component per row, like the playground's own seed; `locale` as Strapi sets it for the
 * type (null when it is not localized). Lifecycles and the Document Service are bypassed on purpose: 50,000
 * documents take seconds this way, minutes through `documents().create`.
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { bodyFor, titleFor, topicFor } from './article-text.mjs';

const ARTICLE = 'api::article.article';
const CATEGORY = 'api::category.category';
const SEO = 'shared.seo';
const KINDS = ['news', 'blog', 'guide', 'press'];
const AUTHORS = ['author1@example.com', 'author2@example.com'];
/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH_ROWS = 500;

// Strapi's own documentId generator, resolved from @strapi/core (the package that uses it).
const requireFromCore = createRequire(createRequire(import.meta.url).resolve('@strapi/core'));
const { createId } = requireFromCore('@paralleldrive/cuid2');

export const tenantOf = (n) => (n % 2 === 1 ? 'org-1' : 'org-2');
const isPublished = (n) => n % 3 !== 0;
const slugOf = (n) =>
  `${topicFor(n)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')}-${n}`;

const columnsOf = (meta) => (attribute) => meta.attributes[attribute].columnName ?? attribute;

const maxOf = async (knex, table, column = 'id') => Number((await knex(table).max({ value: column }))[0].value ?? 0);

const insertInBatches = async (trx, table, rows) => {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    await trx(table).insert(rows.slice(start, start + BATCH_ROWS));
  }
};

const resolveLocale = async (strapi) => {
  const model = strapi.getModel(ARTICLE);
  const i18n = strapi.plugin('i18n');
  if (!i18n?.service('content-types').isLocalizedContentType(model)) return null;
  return i18n.service('locales').getDefaultLocale();
};

const readReferences = async (strapi) => {
  const authors = await strapi.db
    .query('admin::user')
    .findMany({ where: { email: { $in: AUTHORS } }, select: ['id', 'email'] });
  const categories = await strapi.db.query(CATEGORY).findMany({ select: ['id'], orderBy: { id: 'asc' } });
  if (authors.length !== AUTHORS.length || categories.length === 0) {
    throw new Error('seed: the playground seed (authors, categories) is missing');
  }
  return {
    authorIds: AUTHORS.map((email) => authors.find((author) => author.email === email).id),
    categoryIds: categories.map((category) => category.id),
  };
};

/** Documents of the article type stored now (each has exactly one draft row). */
export const countArticles = (strapi) => strapi.documents(ARTICLE).count({});

/** The schema names the rows are written with, from Strapi's metadata rather than spelled out. */
const readLayout = (strapi) => {
  const meta = strapi.db.metadata.get(ARTICLE);
  return {
    table: meta.tableName,
    column: columnsOf(meta),
    createdBy: meta.attributes.createdBy.joinColumn.name,
    updatedBy: meta.attributes.updatedBy.joinColumn.name,
    seoTable: strapi.db.metadata.get(SEO).tableName,
    seoColumn: columnsOf(strapi.db.metadata.get(SEO)),
    seoJoin: meta.attributes.seo.joinTable,
    categoryJoin: meta.attributes.category.joinTable,
  };
};

/** The rows of articles from+1..to, with ids after the given ones. */
const buildRows = ({ layout, from, to, ids, locale, authorIds, categoryIds }) => {
  const { column, seoColumn, seoJoin, categoryJoin } = layout;
  const rows = { articles: [], seos: [], seoLinks: [], categoryLinks: [] };
  let { articleId, seoId, order } = ids;
  const now = Date.now();
  for (let n = from + 1; n <= to; n += 1) {
    const authorId = authorIds[(n - 1) % authorIds.length];
    const createdAt = new Date(now - (to - n) * 1000);
    const fields = {
      [column('documentId')]: createId(),
      [column('title')]: titleFor(n),
      [column('slug')]: slugOf(n),
      [column('body')]: JSON.stringify(bodyFor(n)),
      [column('kind')]: KINDS[(n - 1) % KINDS.length],
      [column('featured')]: n % 5 === 0,
      [column('locked')]: false,
      [column('reviewNotes')]: `Review ${n}: tighten the introduction before the next release.`,
      [column('internalNotes')]: `Internal ${n}: confidential margin note, never for agents.`,
      [column('tenantId')]: tenantOf(n),
      [column('createdAt')]: createdAt,
      [column('updatedAt')]: createdAt,
      [layout.createdBy]: authorId,
      [layout.updatedBy]: authorId,
      [column('locale')]: locale,
    };
    // The draft row, and for a published document the published row beside it (same documentId).
    const versions = isPublished(n) ? [null, new Date(createdAt.getTime() + 1)] : [null];
    for (const publishedAt of versions) {
      articleId += 1;
      seoId += 1;
      order += 1;
      rows.articles.push({ id: articleId, ...fields, [column('publishedAt')]: publishedAt });
      rows.seos.push({
        id: seoId,
        [seoColumn('metaTitle')]: topicFor(n),
        [seoColumn('metaDescription')]: `Article ${n} about ${topicFor(n).toLowerCase()}.`,
      });
      rows.seoLinks.push({
        [seoJoin.joinColumn.name]: articleId,
        [seoJoin.inverseJoinColumn.name]: seoId,
        component_type: SEO,
        field: 'seo',
      });
      rows.categoryLinks.push({
        [categoryJoin.joinColumn.name]: articleId,
        [categoryJoin.inverseJoinColumn.name]: categoryIds[(n - 1) % categoryIds.length],
        [categoryJoin.inverseOrderColumnName]: order,
      });
    }
  }
  return rows;
};

/**
 * @returns {Promise<{ documents: number, added: number, rows: number, ms: number }>}
 */
export const seedArticles = async (strapi, targetDocuments) => {
  const started = performance.now();
  const existing = await countArticles(strapi);
  if (existing >= targetDocuments) return { documents: existing, added: 0, rows: 0, ms: 0 };
  const knex = strapi.db.connection;
  const layout = readLayout(strapi);
  const { seoTable, seoJoin, categoryJoin } = layout;
  const { articles, seos, seoLinks, categoryLinks } = buildRows({
    layout,
    from: existing,
    to: targetDocuments,
    ids: {
      articleId: await maxOf(knex, layout.table),
      seoId: await maxOf(knex, seoTable),
      order: await maxOf(knex, categoryJoin.name, categoryJoin.inverseOrderColumnName),
    },
    locale: await resolveLocale(strapi),
    ...(await readReferences(strapi)),
  });

  await knex.transaction(async (trx) => {
    await insertInBatches(trx, layout.table, articles);
    await insertInBatches(trx, seoTable, seos);
    await insertInBatches(trx, seoJoin.name, seoLinks);
    await insertInBatches(trx, categoryJoin.name, categoryLinks);
  });
  const tables = [layout.table, seoTable, seoJoin.name, categoryJoin.name];
  if (strapi.db.config.connection.client === 'postgres') {
    // Rows inserted with explicit ids leave the id sequences behind: move them on, or Strapi's next insert collides.
    for (const table of tables) {
      await knex.raw(`select setval(pg_get_serial_sequence(?, 'id'), (select max(id) from ??))`, [table, table]);
    }
  }
  // Fresh planner statistics, as a database in use for a while would have them.
  for (const table of tables) await knex.raw('analyze ??', [table]);

  const documents = await countArticles(strapi);
  if (documents !== targetDocuments) {
    throw new Error(`seed: expected ${targetDocuments} article documents, the Document Service counts ${documents}`);
  }
  return {
    documents,
    added: targetDocuments - existing,
    rows: articles.length,
    ms: Math.round(performance.now() - started),
  };
};

/**
 * The growth run (`--growth`): one database grown 1k → 10k → 50k articles; at each size the p50 of the plugin's
 * read tools. When the plugin has an index module (`strapi.plugin('mcp-server').service('indexes')` with `apply()`),
 * each size is measured without the indexes, then with them; the indexes are then removed again (by the module's
 * own undo when it has one, else by dropping what apply() created) before the next size is seeded.
 */
import { SEARCH_WORD } from './article-text.mjs';
import { growthContenders } from './contenders.mjs';
import { createCredentials } from './credentials.mjs';
import { findSampleArticle } from './floor-query.mjs';
import { runRounds } from './rounds.mjs';
import { seedArticles } from './seed-articles.mjs';

const UNDO_METHODS = ['revert', 'remove', 'drop', 'down'];

const findIndexModule = (strapi) => {
  let service;
  try {
    service = strapi.plugin('mcp-server').service('indexes');
  } catch {
    return undefined;
  }
  return typeof service?.apply === 'function' ? service : undefined;
};

const isPostgres = (strapi) => strapi.db.config.connection.client === 'postgres';

/** The schema objects an apply() may add: indexes on PostgreSQL; indexes, tables and triggers on SQLite. */
const listSchemaObjects = async (strapi) => {
  const knex = strapi.db.connection;
  if (isPostgres(strapi)) {
    const { rows } = await knex.raw(`select indexname as name from pg_indexes where schemaname = current_schema()`);
    return rows.map((row) => ({ type: 'index', name: row.name }));
  }
  return knex.raw(
    `select type, name from sqlite_master where type in ('index', 'table', 'trigger') and name not like 'sqlite_%'`,
  );
};

const DROP_ORDER = ['trigger', 'index', 'table'];

const dropObjects = async (strapi, objects) => {
  const knex = strapi.db.connection;
  const sorted = [...objects].sort((a, b) => DROP_ORDER.indexOf(a.type) - DROP_ORDER.indexOf(b.type));
  for (const { type, name } of sorted) await knex.raw(`drop ${type} if exists ??`, [name]);
};

const analyze = async (strapi) => strapi.db.connection.raw('analyze');

/**
 * A table just bulk-loaded is not yet what a live one is: until autovacuum has run, PostgreSQL's visibility map is
 * empty, so no count can be answered from an index alone (a 50k-article count: a 51 ms sequential scan, against
 * 3.9 ms index-only once vacuumed). Each size is measured as autovacuum leaves a table.
 */
const settle = async (strapi) => (isPostgres(strapi) ? strapi.db.connection.raw('vacuum analyze') : analyze(strapi));

const createIndexToggle = (strapi, module) => {
  let created = [];
  return {
    apply: async () => {
      const before = new Set((await listSchemaObjects(strapi)).map((object) => `${object.type}:${object.name}`));
      const report = await module.apply();
      created = (await listSchemaObjects(strapi)).filter((object) => !before.has(`${object.type}:${object.name}`));
      await analyze(strapi);
      return { report, created: created.map((object) => object.name) };
    },
    undo: async () => {
      const undo = UNDO_METHODS.find((name) => typeof module[name] === 'function');
      if (undo) await module[undo]();
      else await dropObjects(strapi, created);
      created = [];
      await analyze(strapi);
      return undo ? `indexes service ${undo}()` : 'dropped the objects apply() created';
    },
  };
};

export const runGrowth = async ({ app, settings, link, log }) => {
  const { strapi } = app;
  const sizes = settings.growthSizes;
  const seeds = [];
  seeds.push(await seedArticles(strapi, sizes[0]));
  const credentials = await createCredentials(strapi);
  // The same document at every size.
  const sample = await findSampleArticle(strapi);
  const contenders = growthContenders({
    baseUrl: app.baseUrl,
    secret: app.secret,
    documentId: sample.documentId,
    credentials,
    searchWord: SEARCH_WORD,
  });
  await link.call('prepare', { contenders, concurrency: 1 });
  const module = findIndexModule(strapi);
  const toggle = module ? createIndexToggle(strapi, module) : undefined;
  if (!toggle)
    log("indexes: not available (no strapi.plugin('mcp-server').service('indexes').apply()); measuring without");

  const measure = async (label) => {
    const measured = await runRounds({
      strapi,
      link,
      ids: contenders.map((contender) => contender.id),
      settings: {
        rounds: settings.growthRounds,
        sequentialMs: settings.growthSequentialMs,
        warmupMs: settings.warmupMs,
        concurrency: 1,
      },
      sequentialOnly: true,
      onProgress: (text) => log(`${label}: ${text}`),
    });
    return Object.fromEntries(Object.entries(measured).map(([id, result]) => [id, result.latency]));
  };

  // p50 per size and tool (the tables), and the whole latency summary (samples, p95, p99, mean) for the JSON.
  const without = { name: 'without indexes', p50: {}, latency: {} };
  const withIndexes = { name: 'with indexes', p50: {}, latency: {}, applied: {} };
  const record = (variant, size, latencies) => {
    variant.latency[size] = latencies;
    variant.p50[size] = Object.fromEntries(Object.entries(latencies).map(([id, latency]) => [id, latency.p50]));
  };
  try {
    for (const [position, size] of sizes.entries()) {
      if (position > 0) seeds.push(await seedArticles(strapi, size));
      const seed = seeds[seeds.length - 1];
      await settle(strapi);
      log(`${size.toLocaleString('en-US')} articles (seeded ${seed.added.toLocaleString('en-US')} in ${seed.ms} ms)`);
      record(without, size, await measure(`${size} without indexes`));
      if (!toggle) continue;
      const applied = await toggle.apply();
      log(`indexes applied: ${JSON.stringify(applied.report)?.slice(0, 400)}`);
      withIndexes.applied[size] = applied;
      record(withIndexes, size, await measure(`${size} with indexes`));
      if (position < sizes.length - 1) withIndexes.applied[size].undone = await toggle.undo();
    }
  } finally {
    await link.call('shutdown').catch(() => undefined);
  }
  return {
    dataset: { articles: sizes[sizes.length - 1], seeds, documentId: sample.documentId, searchWord: SEARCH_WORD },
    growth: {
      sizes,
      tools: contenders.map(({ id, label, args }) => ({ id, label, arguments: args })),
      variants: toggle ? [without, withIndexes] : [without],
      indexes: toggle
        ? "applied by strapi.plugin('mcp-server').service('indexes').apply() after seeding each size"
        : "not available (no strapi.plugin('mcp-server').service('indexes').apply() in this build)",
    },
  };
};

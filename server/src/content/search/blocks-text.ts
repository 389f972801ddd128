import type { Core } from '@strapi/strapi';
import type { Filter } from '../filters';

/**
 * Search inside a `blocks` field: its text, the text nodes joined in document order (so a phrase across bold or a
 * link is found), never the JSON around it (node types, keys, link URLs).
 *
 * Strapi's filters cannot say that, so the condition has two parts, both in the one SQL statement that also holds
 * the call's scope, tenant, locale and status:
 * - Strapi's own `$containsi` on the column for each of the longest words of the text, written as inside the stored
 *   JSON: every document that can match passes (a word is split only by formatting inside it), with some whose JSON
 *   merely holds the words elsewhere. It is the expression a trigram index serves (services/indexes), so it narrows
 *   the rows before anything else runs;
 * - on the rows it lets through, a parameterised per-database check that the joined text contains the text, given to
 *   Strapi as `id IN (CASE WHEN <check> THEN id END)`: the only place its filters take SQL.
 */

/**
 * The check per database; elsewhere (MySQL) blocks fields are not searched. On PostgreSQL it is one expression, no
 * subquery, so that the planner does not cost it as a query per row (which turns JIT compilation on, 0.1–0.4 s a
 * statement): the text nodes as a JSON array, joined by removing each `", "` between elements (one whose quote follows
 * an even number of backslashes: inside an element a `"` is always escaped, and a text may itself end in `\", `) and
 * the `["` and `"]` around them, matched with the text as written inside JSON.
 */
const TEXT_NODE_CHECKS = {
  // `\?` (written `\\?` here) is a literal `?` for knex, which reads `?` as a value: jsonpath's filter and the
  // lookbehind `(?<=`; elsewhere in the regular expressions `{0,1}` says `?`.
  postgres:
    'CASE WHEN LOWER(regexp_replace(regexp_replace(jsonb_path_query_array(??, \'strict $.**\\?(@.type == "text").text\')::text, ' +
    "'(\\?<=(^|[^\\\\])(\\\\\\\\)*)\", \"', '', 'g'), '^\\[\"{0,1}|\"{0,1}\\]$', '', 'g')) LIKE LOWER(?) THEN ?? END",
  // A value that is not JSON (never written by Strapi) matches nothing rather than failing the whole query.
  sqlite:
    "CASE WHEN LOWER((SELECT group_concat(json_extract(part.value, '$.text'), '' ORDER BY part.id) " +
    'FROM json_tree(CASE WHEN json_valid(??) THEN ?? END) AS part ' +
    "WHERE part.type = 'object' AND json_extract(part.value, '$.type') = 'text')) LIKE LOWER(?) ESCAPE '\\' THEN ?? END",
} as const;

type TextNodeDialect = keyof typeof TEXT_NODE_CHECKS;

/** How many words of the text narrow the rows: the longest, which a trigram index serves best. */
const NARROWING_WORDS = 3;

const dialectOf = (strapi: Core.Strapi) => (strapi.db as unknown as { dialect: { client: string } }).dialect.client;

export const canSearchBlocks = (strapi: Core.Strapi) => Object.hasOwn(TEXT_NODE_CHECKS, dialectOf(strapi));

/** `%text%` with LIKE's wildcards and escape character taken literally, as Strapi's `$containsi` writes it. */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/** The text as it appears inside a JSON string (quotes, backslashes and control characters escaped). */
const asJsonStringContent = (text: string) => JSON.stringify(text).slice(1, -1);

const narrowingWords = (text: string) =>
  [...new Set(text.split(/\s+/).filter(Boolean))].sort((a, b) => b.length - a.length).slice(0, NARROWING_WORDS);

/**
 * A knex raw whose enumerable properties are only its description. The audit trail stores a call's filters as data,
 * walking enumerable properties; a raw holds the database client (and its connection settings) in one, which knex sets
 * again, keeping it hidden, each time it compiles the query. Knex reads and writes them all the same.
 */
const describedAs = <T extends object>(raw: T, description: Record<string, unknown>): T => {
  for (const key of Object.keys(raw)) Object.defineProperty(raw, key, { enumerable: false });
  return Object.assign(raw, description);
};

/** The filter that matches documents whose `field` (a blocks attribute) holds `text` in its text. */
export const blocksTextFilter = (strapi: Core.Strapi, uid: string, field: string, text: string): Filter => {
  const dialect = dialectOf(strapi) as TextNodeDialect;
  const meta = strapi.db.metadata.get(uid) as unknown as { attributes: Record<string, { columnName?: string }> };
  // The alias Strapi gives the queried table in every query it builds for the type (`t0`).
  const alias = strapi.db.queryBuilder(uid as never).alias as string;
  const column = `${alias}.${meta.attributes[field].columnName ?? field}`;
  const id = `${alias}.${meta.attributes.id?.columnName ?? 'id'}`;
  const bindings =
    dialect === 'sqlite'
      ? [column, column, containsPattern(text), id]
      : [column, containsPattern(asJsonStringContent(text)), id];
  const check = strapi.db.connection.raw(TEXT_NODE_CHECKS[dialect], bindings);
  return {
    $and: narrowingWords(text).map((word) => ({ [field]: { $containsi: asJsonStringContent(word) } })),
    id: { $in: describedAs(check, { blocksTextOf: field, contains: text }) },
  };
};

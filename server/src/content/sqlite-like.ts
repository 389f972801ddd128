import type { Core } from '@strapi/strapi';

/**
 * SQLite's built-in LIKE compares the pattern at every position of the text: its cost is the text's length times the
 * pattern's, and SQLite runs in Strapi's own thread, so one read over long texts with a self-similar pattern
 * ("aaa…b" against "aaaa…") freezes every tenant for as long as it takes. This is LIKE with the same meaning (ASCII
 * letters fold, `%` any run, `_` one character, an optional one-character ESCAPE), in time linear in the text for
 * every pattern made of literals between `%` (all that Strapi's filters write): it finds each literal with the
 * engine's string search. Anything else goes to SQLite's own LIKE.
 */

type Token = { literal: string } | { one: true } | { any: true };

/** ASCII letters to lower case, and nothing else: SQLite's LIKE (without ICU) folds exactly these. */
const foldAscii = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

const tokenize = (pattern: string, escape: string | undefined): Token[] | undefined => {
  const tokens: Token[] = [];
  const characters = Array.from(pattern);
  for (let index = 0; index < characters.length; index += 1) {
    const character = characters[index];
    if (escape !== undefined && character === escape) {
      index += 1;
      // An escape at the end of the pattern matches nothing, as in SQLite.
      if (index >= characters.length) return undefined;
      tokens.push({ literal: characters[index] });
    } else if (character === '%') tokens.push({ any: true });
    else if (character === '_') tokens.push({ one: true });
    else tokens.push({ literal: character });
  }
  return tokens;
};

/** The pattern as literal runs between `%`, when it holds no `_` (the only form Strapi writes). */
const literalRuns = (tokens: Token[]): string[] | undefined => {
  const runs = [''];
  for (const token of tokens) {
    if ('one' in token) return undefined;
    if ('any' in token) runs.push('');
    else runs[runs.length - 1] += foldAscii(token.literal);
  }
  return runs;
};

/** Literal runs between `%`: the first at the start, the last at the end, the others leftmost in between. */
const matchRuns = (runs: string[], text: string): boolean => {
  if (runs.length === 1) return text === runs[0];
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (!text.startsWith(first)) return false;
  const end = text.length - last.length;
  if (end < first.length || !text.endsWith(last)) return false;
  let position = first.length;
  for (const run of runs.slice(1, -1)) {
    const found = text.indexOf(run, position);
    if (found < 0 || found + run.length > end) return false;
    position = found + run.length;
  }
  return true;
};

interface BuiltinLike {
  (value: unknown, pattern: unknown, escape?: unknown): 1 | 0 | null;
}

let builtin: BuiltinLike | undefined;

/**
 * SQLite's own LIKE, on a private in-memory connection where it is not replaced: for what the linear path does not
 * cover. Patterns with `_` (Strapi's `_q` search leaves `_` unescaped) cost text × pattern there too, but in C, as
 * before; numbers and blobs are read as text exactly as SQLite reads them.
 */
const builtinLike: BuiltinLike = (value, pattern, escape) => {
  if (!builtin) {
    // The driver Strapi itself loaded for SQLite.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as new (file: string) => {
      prepare(sql: string): { pluck(): { get(...values: unknown[]): unknown } };
    };
    const connection = new Database(':memory:');
    const twoArguments = connection.prepare('select ? like ?').pluck();
    const threeArguments = connection.prepare('select ? like ? escape ?').pluck();
    builtin = (v, p, e) => (e === undefined ? twoArguments.get(v, p) : threeArguments.get(v, p, e)) as 1 | 0 | null;
  }
  return builtin(value, pattern, escape);
};

const asText = (value: unknown): string =>
  Buffer.isBuffer(value) ? value.toString('utf8') : typeof value === 'string' ? value : String(value);

/** `value LIKE pattern [ESCAPE escape]`: 1, 0, or null when an operand is null, as SQLite answers. */
export const sqlLike = (pattern: unknown, value: unknown, escape?: unknown): 1 | 0 | null => {
  if (pattern === null || value === null || escape === null) return null;
  if (typeof value !== 'string' || typeof pattern !== 'string') return builtinLike(value, pattern, escape);
  let escapeCharacter: string | undefined;
  if (escape !== undefined) {
    const characters = Array.from(asText(escape));
    if (characters.length !== 1) throw new Error('ESCAPE expression must be a single character');
    escapeCharacter = characters[0];
  }
  const tokens = tokenize(pattern, escapeCharacter);
  if (!tokens) return 0;
  const runs = literalRuns(tokens);
  if (!runs) return builtinLike(value, pattern, escape);
  return matchRuns(runs, foldAscii(value)) ? 1 : 0;
};

interface SqliteConnection {
  function(name: string, options: { deterministic: boolean }, fn: (...args: unknown[]) => unknown): unknown;
}

const installOn = (connection: SqliteConnection) => {
  connection.function('like', { deterministic: true }, (pattern, value) => sqlLike(pattern, value));
  connection.function('like', { deterministic: true }, (pattern, value, escape) => sqlLike(pattern, value, escape));
};

/**
 * On SQLite, replaces LIKE on Strapi's connection (and on any connection opened later) by the linear one above. Other
 * databases are left alone: PostgreSQL runs reads beside each other, within their statement timeout.
 */
export const installLinearLike = async (strapi: Core.Strapi) => {
  const db = strapi.db as unknown as {
    dialect: { client: string; initialize(connection: unknown): Promise<void> };
    connection: {
      client: { acquireConnection(): Promise<SqliteConnection>; releaseConnection(c: unknown): Promise<void> };
    };
  };
  if (db.dialect.client !== 'sqlite') return;
  const initialize = db.dialect.initialize.bind(db.dialect);
  db.dialect.initialize = async (connection) => {
    await initialize(connection);
    installOn(connection as SqliteConnection);
  };
  const connection = await db.connection.client.acquireConnection();
  try {
    installOn(connection);
  } finally {
    await db.connection.client.releaseConnection(connection);
  }
};

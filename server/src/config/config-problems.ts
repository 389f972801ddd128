import type { z } from 'zod';

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** The edit distance between two keys (insertions, deletions, substitutions, swaps of neighbours), ignoring case. */
const editDistance = (a: string, b: string): number => {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  const rows = Array.from({ length: left.length + 1 }, (_, i) =>
    Array.from({ length: right.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= left.length; i += 1) {
    for (let j = 1; j <= right.length; j += 1) {
      const cost = left[i - 1] === right[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && left[i - 1] === right[j - 2] && left[i - 2] === right[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[left.length][right.length];
};

/** The known key a misspelt one most likely meant: within a third of its length (at least one edit), else none. */
export const closestKey = (key: string, known: readonly string[]): string | undefined => {
  const allowed = Math.max(1, Math.floor(key.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance <= allowed && (best === undefined || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
};

const joinPath = (path: readonly PropertyKey[]) => (path.length > 0 ? path.map(String).join('.') : '(root)');

/** One problem of a configuration: the key it is about, as a path, and what is wrong with it. */
export interface ConfigProblem {
  path: string[];
  message: string;
}

/**
 * A configuration refused, with every problem at its key: the boot prints the message (one line per problem), the
 * admin panel shows each problem beside its field.
 */
export class ConfigurationError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid mcp-server configuration: ${problems.map(({ path, message }) => `${joinPath(path)}: ${message}`).join(';\n  ')}`,
    );
    this.name = 'ConfigurationError';
  }
}

const isRootTypeMismatch = (issue: Issue) => issue.code === 'invalid_type' && issue.path.length === 0;

/**
 * Collects what zod reports about the plugin configuration and words it as one line per problem, each naming its
 * key. Unknown keys are named one by one with the closest key their object knows (read from the strict object's
 * shape, so sections added later get suggestions too); a union (a string or a list, a list or a map) reports the
 * problems of the one alternative the value's type matched, rather than "Invalid input".
 */
export const createConfigProblems = () => {
  const knownKeys = new WeakMap<readonly string[], readonly string[]>();

  /** A zod error map: it records the keys each strict object knows and leaves every message as zod words it. */
  const errorMap = (issue: RawIssue): undefined => {
    if (issue.code === 'unrecognized_keys' && issue.inst) {
      const shape = (issue.inst as { _zod: { def: { shape?: Record<string, unknown> } } })._zod.def.shape;
      knownKeys.set(issue.keys, Object.keys(shape ?? {}));
    }
    return undefined;
  };

  const unionBranch = (issue: Extract<Issue, { code: 'invalid_union' }>): Issue[] | undefined => {
    const matched = issue.errors.filter((branch) => !branch.every(isRootTypeMismatch));
    if (matched.length !== 1) return undefined;
    const [branch] = matched;
    const keyed = branch.every(
      (inner) => inner.path.length > 0 || inner.code === 'unrecognized_keys' || inner.code === 'invalid_union',
    );
    return keyed ? branch : undefined;
  };

  const describe = (issues: readonly Issue[], prefix: readonly PropertyKey[] = []): ConfigProblem[] =>
    issues.flatMap((issue) => {
      const path = [...prefix, ...issue.path];
      if (issue.code === 'unrecognized_keys') {
        const known = knownKeys.get(issue.keys) ?? [];
        return issue.keys.map((key) => {
          const suggestion = closestKey(key, known);
          const hint = suggestion === undefined ? '' : ` (did you mean ${joinPath([...path, suggestion])}?)`;
          return { path: [...path, key].map(String), message: `unknown key${hint}` };
        });
      }
      if (issue.code === 'invalid_union') {
        const branch = unionBranch(issue);
        if (branch) return describe(branch, path);
      }
      return [{ path: path.map(String), message: issue.message }];
    });

  return { errorMap, describe };
};

/** The boot error: one problem per line, all of them at once. */
export const configurationError = (problems: readonly ConfigProblem[]) => new ConfigurationError(problems);

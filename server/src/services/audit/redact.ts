/** Bounds of what one audit row keeps of caller input. */
export const MAX_STORED_STRING = 1000;
const MAX_KEY_LENGTH = 100;
const MAX_KEYS = 50;
const MAX_ITEMS = 100;
const MAX_DEPTH = 8;

/**
 * Text as the audit trail stores it, at most `max` characters, note of the cut included: control characters (which
 * would forge lines in a log viewer or an export) and lone surrogates (which PostgreSQL refuses in JSON) replaced, cut
 * on a character boundary with the original length noted.
 */
export const boundText = (value: string, max: number): string => {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  const printable = value.toWellFormed().replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
  if (printable.length <= max) return printable;
  const note = `… (${value.length} characters)`;
  return `${printable.slice(0, Math.max(0, max - note.length))}`.toWellFormed() + note;
};

/** A key matches a sensitive name whatever its case and separators: "api_key", "X-Api-Key" and "apiKey" alike. */
const normalizeKey = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * A copy of caller input safe to store: values under sensitive keys (matched as substrings ignoring case and
 * separators: "token" covers "accessToken", "apikey" covers "x-api-key") become "[redacted]"; strings, keys, key counts, list lengths and depth are bounded;
 * control characters are replaced.
 */
export const redactArguments = (
  value: unknown,
  sensitiveKeys: string[],
  depth = 0,
  maxString = MAX_STORED_STRING,
): unknown => {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (typeof value === 'string') return boundText(value, maxString);
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => redactArguments(item, sensitiveKeys, depth + 1, maxString));
    return value.length > MAX_ITEMS ? [...kept, `… (${value.length - MAX_ITEMS} more items)`] : kept;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const sensitive = sensitiveKeys.map(normalizeKey);
    const entries = Object.entries(value as Record<string, unknown>);
    const kept = entries
      .slice(0, MAX_KEYS)
      .map(([key, item]) => [
        boundText(key, MAX_KEY_LENGTH),
        sensitive.some((name) => normalizeKey(key).includes(name))
          ? '[redacted]'
          : redactArguments(item, sensitiveKeys, depth + 1, maxString),
      ]);
    if (entries.length > MAX_KEYS) kept.push(['…', `${entries.length - MAX_KEYS} more keys`]);
    return Object.fromEntries(kept);
  }
  return value;
};

/** Bounds of what one audit row keeps of caller input. */
export const MAX_STORED_STRING = 1000;
const MAX_KEY_LENGTH = 100;
const MAX_KEYS = 50;
const MAX_ITEMS = 100;
const MAX_DEPTH = 8;

/**
 * Text as the audit trail stores it: control characters (which would forge lines in a log viewer or an export)
 * replaced, cut at a bound with the original length noted.
 */
export const boundText = (value: string, max: number): string => {
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  const printable = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD');
  return printable.length > max ? `${printable.slice(0, max)}… (${value.length} characters)` : printable;
};

/**
 * A copy of caller input safe to store: values under sensitive keys (matched case-insensitively as substrings:
 * "token" covers "accessToken") become "[redacted]"; strings, keys, key counts, list lengths and depth are bounded;
 * control characters are replaced.
 */
export const redactArguments = (value: unknown, sensitiveKeys: string[], depth = 0): unknown => {
  if (depth > MAX_DEPTH) return '[too deep]';
  if (typeof value === 'string') return boundText(value, MAX_STORED_STRING);
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_ITEMS).map((item) => redactArguments(item, sensitiveKeys, depth + 1));
    return value.length > MAX_ITEMS ? [...kept, `… (${value.length - MAX_ITEMS} more items)`] : kept;
  }
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const lowered = sensitiveKeys.map((key) => key.toLowerCase());
    const entries = Object.entries(value as Record<string, unknown>);
    const kept = entries
      .slice(0, MAX_KEYS)
      .map(([key, item]) => [
        boundText(key, MAX_KEY_LENGTH),
        lowered.some((sensitive) => key.toLowerCase().includes(sensitive))
          ? '[redacted]'
          : redactArguments(item, sensitiveKeys, depth + 1),
      ]);
    if (entries.length > MAX_KEYS) kept.push(['…', `${entries.length - MAX_KEYS} more keys`]);
    return Object.fromEntries(kept);
  }
  return value;
};

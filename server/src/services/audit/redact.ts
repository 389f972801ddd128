const MAX_STRING_LENGTH = 1000;

/**
 * A copy of tool arguments safe to store: values under sensitive keys (matched case-insensitively as substrings:
 * "token" covers "accessToken") become "[redacted]", long strings are cut, depth is bounded.
 */
export const redactArguments = (value: unknown, sensitiveKeys: string[], depth = 0): unknown => {
  if (depth > 8) return '[too deep]';
  if (typeof value === 'string') {
    return value.length > MAX_STRING_LENGTH
      ? `${value.slice(0, MAX_STRING_LENGTH)}… (${value.length} characters)`
      : value;
  }
  if (Array.isArray(value)) return value.slice(0, 200).map((item) => redactArguments(item, sensitiveKeys, depth + 1));
  if (value && typeof value === 'object') {
    const lowered = sensitiveKeys.map((key) => key.toLowerCase());
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        lowered.some((sensitive) => key.toLowerCase().includes(sensitive))
          ? '[redacted]'
          : redactArguments(item, sensitiveKeys, depth + 1),
      ]),
    );
  }
  return value;
};

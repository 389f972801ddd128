/**
 * Values that are there to be replaced: the ones we ship (.env.example) and the usual ones. A secret that an
 * attacker can guess from our own documentation is no secret.
 */
const PLACEHOLDER_SECRETS = [
  'changeme',
  'change-me',
  'change_me',
  'secret',
  'your-secret',
  'your-secret-here',
  'replaceme',
  'password',
  'placeholder',
  'todo',
];
const PLACEHOLDER_PREFIXES = ['change-', 'change_', 'changeme', 'replace-', 'replace_', 'your-', 'your_'];

export const isPlaceholderSecret = (value: string): boolean => {
  const normalized = value.trim().toLowerCase();
  if (PLACEHOLDER_SECRETS.includes(normalized)) return true;
  if (normalized.startsWith('<') && normalized.endsWith('>')) return true;
  return PLACEHOLDER_PREFIXES.some((prefix) => normalized.startsWith(prefix));
};

export const PLACEHOLDER_MESSAGE =
  'is a placeholder, not a secret; set a random value (e.g. `openssl rand -base64 32`)';

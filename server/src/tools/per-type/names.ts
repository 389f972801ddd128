import { createHash } from 'node:crypto';

/** The verbs of the typed per-type tools, in the order `tools/list` shows them. */
export const PER_TYPE_VERBS = ['list', 'get', 'create', 'update', 'delete', 'publish'] as const;
export type PerTypeVerb = (typeof PER_TYPE_VERBS)[number];

/** What naming needs of a content type. */
export interface NamedType {
  uid: string;
  singularName: string;
}

const MAX_NAME_LENGTH = 64;
const LONGEST_VERB = Math.max(...PER_TYPE_VERBS.map((verb) => verb.length));
/** The longest stem every verb can take: `publish_<stem>` stays within 64 characters. */
const MAX_STEM_LENGTH = MAX_NAME_LENGTH - LONGEST_VERB - 1;
const HASH_LENGTH = 8;

/** Hyphens, dots and anything else outside A-Z a-z 0-9 become underscores. */
const sanitize = (value: string) => value.replace(/[^A-Za-z0-9_]/g, '_');

/** `api::blog.tag` → `blog`, `plugin::shop.tag` → `shop`: the API or plugin a type belongs to. */
const namespaceOf = (uid: string) => {
  const [, rest = uid] = uid.split('::');
  return rest.includes('.') ? rest.slice(0, rest.lastIndexOf('.')) : rest;
};

const hashOf = (uid: string) => createHash('sha256').update(uid).digest('hex').slice(0, HASH_LENGTH);

const namesOf = (stem: string): Record<PerTypeVerb, string> =>
  Object.fromEntries(PER_TYPE_VERBS.map((verb) => [verb, `${verb}_${stem}`])) as Record<PerTypeVerb, string>;

/**
 * The stems a type may be named by, from the plainest: its singular name (`article`), then qualified by its API or
 * plugin (`blog_tag`), then that cut to fit and suffixed with a hash of its uid (`blog_tag_1a2b3c4d`).
 */
const stemsOf = (type: NamedType): [string, string, string] => {
  const plain = sanitize(type.singularName);
  const qualified = sanitize(`${namespaceOf(type.uid)}_${type.singularName}`);
  const hashed = `${qualified.slice(0, MAX_STEM_LENGTH - HASH_LENGTH - 1)}_${hashOf(type.uid)}`;
  return [plain, qualified, hashed];
};

/**
 * The names of the typed tools of every exposed type: `<verb>_<stem>`, one stem per type for all six verbs. A type
 * keeps the plainest stem that is its own: a stem is given up when any `<verb>_<stem>` is taken by a registered tool
 * (`reserved`: the built-in and other plugins' tools; a type named `document` would give `get_document`), is longer
 * than 64 characters, or is shared with another type (two `tag` types of different APIs or plugins: both are
 * qualified; two types of the same name in APIs or plugins of the same name get the hash), and a qualified stem also
 * yields to a plain one it equals. Names depend only on the exposed types and
 * the registered tools, never on who asks; the uids are sorted first, so the order of the configuration does not
 * matter. A name still taken after all three steps (not expected: the hash is of the uid) is left out.
 */
export const perTypeToolNames = (
  types: readonly NamedType[],
  reserved: ReadonlySet<string>,
): Map<string, Record<PerTypeVerb, string>> => {
  const sorted = [...types].sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
  const fits = (stem: string) =>
    stem.length <= MAX_STEM_LENGTH && PER_TYPE_VERBS.every((verb) => !reserved.has(`${verb}_${stem}`));
  const plainCount = new Map<string, number>();
  for (const type of sorted) {
    const [plain] = stemsOf(type);
    plainCount.set(plain, (plainCount.get(plain) ?? 0) + 1);
  }
  const chosen = new Map<string, string>();
  const taken = new Set<string>();
  // Plain stems first, so that a qualified stem (`blog_tag`) never takes the plain one of another type (`blog-tag`).
  for (const type of sorted) {
    const [plain] = stemsOf(type);
    if (plainCount.get(plain) === 1 && fits(plain)) {
      chosen.set(type.uid, plain);
      taken.add(plain);
    }
  }
  const rest = sorted.filter((type) => !chosen.has(type.uid));
  const qualifiedCount = new Map<string, number>();
  for (const type of rest) {
    const [, qualified] = stemsOf(type);
    qualifiedCount.set(qualified, (qualifiedCount.get(qualified) ?? 0) + 1);
  }
  for (const type of rest) {
    const [, qualified, hashed] = stemsOf(type);
    const candidates = qualifiedCount.get(qualified) === 1 ? [qualified, hashed] : [hashed];
    const stem = candidates.find((candidate) => !taken.has(candidate) && fits(candidate));
    if (stem === undefined) continue;
    chosen.set(type.uid, stem);
    taken.add(stem);
  }
  return new Map(
    sorted.filter((type) => chosen.has(type.uid)).map((type) => [type.uid, namesOf(chosen.get(type.uid)!)]),
  );
};

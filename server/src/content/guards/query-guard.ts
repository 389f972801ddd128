import type { PluginConfig } from '../../config/schema';
import { echo, PolicyRefusal } from '../../errors';
import type { Attribute } from '../../services/policy';
import { isComponent, isMedia, isRelation, isScalar, isToMany } from '../../services/policy/fields';

/**
 * What a caller may see, as the query guard needs it: for each type it may read, its attributes and readable fields.
 * Built per call from the policy (role field rules ∩ Strapi field permissions); components expose their non-private
 * attributes.
 */
export interface ReadView {
  /** Readable fields of a type, or undefined when the caller may not read the type at all. */
  readable(uid: string): ReadonlySet<string> | undefined;
  attributes(uid: string): Record<string, Attribute>;
  /** The filters that scope reads of a type for this caller (tenant, ownership, Strapi conditions); none for components. */
  scope(uid: string): Array<Record<string, unknown>>;
}

/**
 * `LIKE '%…%'` scans: their cost grows with the operand times the text scanned, row by row, so they are bounded in
 * length and number, and never run over `blocks` or `json` values (whole documents of structured text).
 */
const PATTERN_OPERATORS = new Set([
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
]);
/** Case-insensitive comparisons run LOWER() over the whole stored value: they scan like a pattern, and count as one. */
const SCANNING_OPERATORS = new Set([...PATTERN_OPERATORS, '$eqi', '$nei']);
const LIST_OPERATORS = new Set(['$in', '$notIn', '$between']);
/** Where-operators a filter may use: Strapi's, minus anything experimental. No raw SQL exists among them. */
const VALUE_OPERATORS = new Set([
  '$eq',
  '$eqi',
  '$ne',
  '$nei',
  '$lt',
  '$lte',
  '$gt',
  '$gte',
  ...LIST_OPERATORS,
  ...PATTERN_OPERATORS,
  '$null',
  '$notNull',
]);
const UNSCANNABLE_TYPES = new Set(['blocks', 'json']);
/** Bounds that keep one call from turning into a huge SQL statement. */
const MAX_LIST_VALUES = 1000;
const MAX_BRANCHES = 100;
const MAX_STRING_LENGTH = 10_000;
const MAX_SORT_FIELDS = 10;
/**
 * Joins that multiply rows (to-many relations, repeatable components), per call. Strapi adds one join for every
 * relation a filter names, never reusing one: n of them over k links each make k^n rows, and one reached through
 * another relation (an article's category's articles) makes every document meet every other one of its group. One
 * such join, straight from the documents queried, keeps the rows to the links they have.
 */
const MAX_MULTIPLYING_JOINS = 1;
/** Values of every list ($in, $notIn, $between) of a call together: each is a bound SQL parameter. */
const MAX_LIST_VALUES_PER_CALL = 5000;
const ALWAYS_FILTERABLE = new Set(['id', 'documentId']);

export type QueryLimits = Pick<
  PluginConfig['limits'],
  'maxFilterDepth' | 'maxPatternLength' | 'maxPatternTerms' | 'maxFilterTerms' | 'maxFilterBytes'
>;

type Primitive = string | number | boolean | null;
// NUL is refused: PostgreSQL rejects it in text, which would turn a bad value into an internal error.
const isPrimitive = (value: unknown): value is Primitive =>
  value === null ||
  ['number', 'boolean'].includes(typeof value) ||
  (typeof value === 'string' && !value.includes('\u0000') && value.length <= MAX_STRING_LENGTH);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAX_MESSAGE_LENGTH = 600;

const refuse = (message: string, details?: Record<string, unknown>): never => {
  throw new PolicyRefusal(echo(message, MAX_MESSAGE_LENGTH), details);
};

const listReadable = (view: ReadView, uid: string) => [...(view.readable(uid) ?? [])].sort();

/**
 * Checks the query parts of one call. One guard serves one call: its budget (field conditions, pattern conditions,
 * bytes of string operands) spans the caller's filters and every populate filter of the call together.
 */
export class QueryGuard {
  private terms = 0;
  private patternTerms = 0;
  private stringBytes = 0;
  private multiplyingJoins = 0;
  /** Relations and components the filter being checked has gone through so far. */
  private hops = 0;
  private listValues = 0;
  private readonly maxDepth: number;

  constructor(
    private readonly view: ReadView,
    private readonly limits: QueryLimits,
  ) {
    this.maxDepth = limits.maxFilterDepth;
  }

  /** Counts a join that multiplies rows against the call's bound. */
  private joinThrough(at: string, field: string, attribute: Attribute) {
    const multiplies = isRelation(attribute) ? isToMany(attribute) : attribute.repeatable === true;
    if (!multiplies) return;
    if (this.hops > 0) {
      refuse(
        `${at}: ${field} holds several entries per document and is reached through another relation or component: filter through it only from the documents queried`,
      );
    }
    this.multiplyingJoins += 1;
    if (this.multiplyingJoins > MAX_MULTIPLYING_JOINS) {
      refuse(
        `${at}: a call may filter through at most ${MAX_MULTIPLYING_JOINS} to-many relation or repeatable component (${field} is one more): each one multiplies the rows the database joins`,
      );
    }
  }

  /** Counts one condition against the call's budget, refusing the call once a bound is passed. */
  private spend(at: string, operator: string | undefined, operand: unknown, attribute: Attribute | undefined) {
    this.terms += 1;
    if (this.terms > this.limits.maxFilterTerms) {
      refuse(`${at}: a call may hold at most ${this.limits.maxFilterTerms} filter conditions`);
    }
    if (Array.isArray(operand)) {
      this.listValues += operand.length;
      if (this.listValues > MAX_LIST_VALUES_PER_CALL) {
        refuse(`${at}: the lists of a call's filters may hold at most ${MAX_LIST_VALUES_PER_CALL} values together`);
      }
    }
    const strings = (Array.isArray(operand) ? operand : [operand]).filter((item) => typeof item === 'string');
    this.stringBytes += strings.reduce((sum, item) => sum + Buffer.byteLength(item), 0);
    if (this.stringBytes > this.limits.maxFilterBytes) {
      refuse(`${at}: the string values of a call's filters may total at most ${this.limits.maxFilterBytes} bytes`);
    }
    if (operator === undefined || !SCANNING_OPERATORS.has(operator)) return;
    if (attribute && UNSCANNABLE_TYPES.has(attribute.type)) {
      refuse(`${at}: ${operator} cannot search ${attribute.type} fields; filter on a text field instead`);
    }
    if (typeof operand === 'string' && operand.length > this.limits.maxPatternLength) {
      refuse(`${at}: a ${operator} value may be at most ${this.limits.maxPatternLength} characters`);
    }
    this.patternTerms += 1;
    if (this.patternTerms > this.limits.maxPatternTerms) {
      refuse(
        `${at}: a call may hold at most ${this.limits.maxPatternTerms} pattern conditions ($contains, $startsWith…)`,
      );
    }
  }

  /**
   * Checks the caller's filters and returns them ready to run: every key must be an allowed operator or a field the
   * caller may read, recursively, and every relation the filters go through carries its target's own read scope, so a
   * filter can never match, count or order by documents the caller could not read (another tenant's, say).
   */
  checkFilters(filters: unknown, uid: string, path = 'filters', depth = 1, negated = false): Record<string, unknown> {
    if (depth > this.maxDepth) refuse(`${path}: filters may nest at most ${this.maxDepth} levels`);
    if (!isPlainObject(filters)) refuse(`${path}: expected an object`);
    const checked: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(filters as Record<string, unknown>)) {
      const at = `${path}.${echo(key, 60)}`;
      if (key === '$and' || key === '$or') {
        if (!Array.isArray(value)) refuse(`${at}: expected an array of filters`);
        if ((value as unknown[]).length > MAX_BRANCHES) refuse(`${at}: at most ${MAX_BRANCHES} filters per ${key}`);
        checked[key] = (value as unknown[]).map((item, index) =>
          this.checkFilters(item, uid, `${at}[${index}]`, depth + 1, negated),
        );
      } else if (key === '$not') {
        checked[key] = this.checkFilters(value, uid, at, depth + 1, true);
      } else if (key.startsWith('$')) {
        refuse(`${at}: operator ${echo(key)} is not allowed here; use $and, $or, $not or a field name`);
      } else {
        checked[key] = this.checkField(key, value, uid, at, depth, negated);
      }
    }
    return checked;
  }

  private checkField(field: string, value: unknown, uid: string, at: string, depth: number, negated: boolean): unknown {
    if (ALWAYS_FILTERABLE.has(field)) return this.checkOperand(value, at, depth, undefined);
    const readable = this.view.readable(uid);
    const attribute = this.view.attributes(uid)[field];
    if (!readable?.has(field) || !attribute) {
      // Filtering on a hidden field would leak it one comparison at a time: refuse, do not drop.
      refuse(
        `${at}: cannot filter on ${echo(field)}; filterable fields: ${['id', 'documentId', ...listReadable(this.view, uid)].join(', ')}`,
      );
    }
    if (isRelation(attribute) || isComponent(attribute)) {
      // Every relation or component a filter goes through is a join: it counts as a condition, empty or not.
      this.spend(at, undefined, undefined, undefined);
      this.joinThrough(at, field, attribute);
      const target = (isRelation(attribute) ? attribute.target : attribute.component) as string;
      if (isRelation(attribute) && this.view.readable(target) === undefined) {
        refuse(`${at}: cannot filter through ${field}: its content type is not readable`);
      }
      const scope = isRelation(attribute) ? this.view.scope(target) : [];
      if (isPlainObject(value) && Object.keys(value).every((key) => key === '$null' || key === '$notNull')) {
        // "Has any link at all" would count links to documents outside the caller's scope.
        if (scope.length > 0) {
          refuse(
            `${at}: ${field} may link documents you cannot see; filter on their fields instead, e.g. { "${field}": { "id": { "$notNull": true } } }`,
          );
        }
        return this.checkOperand(value, at, depth, undefined);
      }
      // Under $not, Strapi negates the whole join condition, scope included: the scope would select foreign links.
      if (negated && scope.length > 0) {
        refuse(`${at}: cannot use $not through ${field}, which may link documents you cannot see; filter positively`);
      }
      this.hops += 1;
      let nested: Record<string, unknown>;
      try {
        nested = this.checkFilters(value, target, at, depth + 1, negated);
      } finally {
        this.hops -= 1;
      }
      return scope.length > 0 ? { $and: [...scope, nested] } : nested;
    }
    if (isMedia(attribute)) {
      if (isPlainObject(value) && Object.keys(value).every((key) => ['id', '$null', '$notNull'].includes(key))) {
        return this.checkOperand(value, at, depth, undefined);
      }
      refuse(`${at}: media fields can only be filtered by id, $null or $notNull`);
    }
    if (!isScalar(attribute)) refuse(`${at}: ${field} cannot be filtered`);
    return this.checkOperand(value, at, depth, attribute);
  }

  private checkOperand(value: unknown, at: string, depth: number, attribute: Attribute | undefined): unknown {
    if (depth > this.maxDepth) refuse(`${at}: filters may nest at most ${this.maxDepth} levels`);
    if (isPrimitive(value)) {
      this.spend(at, undefined, value, attribute);
      return value;
    }
    if (Array.isArray(value)) {
      if (!value.every(isPrimitive)) refuse(`${at}: a list may only hold strings, numbers, booleans or null`);
      if (value.length > MAX_LIST_VALUES) refuse(`${at}: a list may hold at most ${MAX_LIST_VALUES} values`);
      this.spend(at, undefined, value, attribute);
      return value;
    }
    if (!isPlainObject(value)) refuse(`${at}: unsupported value`);
    for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
      if (operator === 'id') {
        // `id` names the linked row of a media field or a relation ($null checks); on a value it means nothing.
        if (attribute) refuse(`${at}: id is not an operator; use $eq, $in…`);
        this.checkOperand(operand, `${at}.id`, depth + 1, undefined);
      } else if (operator === '$not') {
        this.checkOperand(operand, `${at}.$not`, depth + 1, attribute);
      } else if (!VALUE_OPERATORS.has(operator)) {
        refuse(`${at}: operator ${echo(operator)} is not allowed; allowed: ${[...VALUE_OPERATORS, '$not'].join(' ')}`);
      } else if (LIST_OPERATORS.has(operator)) {
        if (!Array.isArray(operand) || !operand.every(isPrimitive))
          refuse(`${at}.${operator}: expected a list of values`);
        if ((operand as unknown[]).length > MAX_LIST_VALUES) {
          refuse(`${at}.${operator}: a list may hold at most ${MAX_LIST_VALUES} values`);
        }
        this.spend(`${at}.${operator}`, operator, operand, attribute);
      } else if (!isPrimitive(operand)) {
        refuse(`${at}.${operator}: expected a string, number, boolean or null`);
      } else {
        this.spend(`${at}.${operator}`, operator, operand, attribute);
      }
    }
    return value;
  }

  /** Normalises `sort` to `['field:asc', ...]`, allowing readable scalar fields (dotted through readable relations). */
  checkSort(sort: unknown, uid: string): string[] {
    const entries: Array<[string, string]> = [];
    const add = (item: unknown) => {
      if (typeof item === 'string') {
        for (const part of item.split(',')) {
          const [field, direction = 'asc'] = part.trim().split(':');
          entries.push([field, direction]);
        }
      } else if (isPlainObject(item)) {
        for (const [field, direction] of Object.entries(item)) entries.push([field, String(direction)]);
      } else refuse('sort: expected "field:asc", a list of them, or { field: "asc" }');
    };
    if (Array.isArray(sort)) sort.forEach(add);
    else add(sort);
    if (entries.length > MAX_SORT_FIELDS) refuse(`sort: at most ${MAX_SORT_FIELDS} fields`);
    return entries.map(([path, direction]) => {
      if (!['asc', 'desc'].includes(direction.toLowerCase()))
        refuse(`sort.${echo(path)}: direction must be asc or desc`);
      this.checkScalarPath(path, uid, 'sort');
      return `${path}:${direction.toLowerCase()}`;
    });
  }

  private checkScalarPath(path: string, uid: string, what: string): void {
    const segments = path.split('.');
    let current = uid;
    segments.forEach((segment, index) => {
      const last = index === segments.length - 1;
      if (last && ALWAYS_FILTERABLE.has(segment)) return;
      const attribute = this.view.attributes(current)[segment];
      if (!attribute || !this.view.readable(current)?.has(segment)) {
        refuse(`${what}: cannot use ${echo(path)}; readable fields: ${listReadable(this.view, current).join(', ')}`);
      }
      if (last) {
        if (!isScalar(attribute)) refuse(`${what}: ${path} is not a scalar field`);
        return;
      }
      if (!isRelation(attribute) && !isComponent(attribute)) refuse(`${what}: ${path}: ${segment} has no fields`);
      current = (attribute.target ?? attribute.component) as string;
      if (this.view.readable(current) === undefined) refuse(`${what}: ${path}: ${segment} is not readable`);
      // A sort join cannot carry a scope: ordering by documents the caller cannot see would reveal them.
      if (isRelation(attribute) && this.view.scope(current).length > 0) {
        refuse(`${what}: ${path}: cannot sort through ${segment}, which may link documents you cannot see`);
      }
      // Ordering through a to-many relation or a repeatable component has no single value per document.
      if (isRelation(attribute) ? isToMany(attribute) : attribute.repeatable === true) {
        refuse(`${what}: ${path}: cannot sort through ${segment}, which holds several entries per document`);
      }
    });
  }

  /** `fields`: readable scalar fields of the type itself. */
  checkFields(fields: unknown, uid: string): string[] {
    const list = typeof fields === 'string' ? fields.split(',').map((field) => field.trim()) : fields;
    if (!Array.isArray(list) || !list.every((field) => typeof field === 'string'))
      refuse('fields: expected a list of field names');
    const readable = this.view.readable(uid) ?? new Set();
    for (const field of list as string[]) {
      if (ALWAYS_FILTERABLE.has(field)) continue;
      if (!readable.has(field) || !isScalar(this.view.attributes(uid)[field])) {
        const scalars = [...readable].filter((name) => isScalar(this.view.attributes(uid)[name]));
        refuse(`fields: cannot select ${echo(field)}; selectable fields: ${scalars.sort().join(', ')}`);
      }
    }
    return list as string[];
  }
}

export type Filter = Record<string, unknown>;

/** Joins filters with `$and`, skipping empty ones; undefined when nothing is left. */
export const and = (filters: Array<Filter | undefined | null>): Filter | undefined => {
  const present = filters.filter((filter): filter is Filter => !!filter && Object.keys(filter).length > 0);
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return { $and: present };
};

/** The filters of both lists, each once (operations of one call often share their tenant and ownership filters). */
export const mergeFilters = (known: Filter[], added: Filter[]): Filter[] => {
  const seen = new Set(known.map((filter) => JSON.stringify(filter)));
  return [...known, ...added.filter((filter) => !seen.has(JSON.stringify(filter)))];
};

/** Joins filters with `$and`, skipping empty ones; undefined when nothing is left. */
export const and = (
  filters: Array<Record<string, unknown> | undefined | null>,
): Record<string, unknown> | undefined => {
  const present = filters.filter(
    (filter): filter is Record<string, unknown> => !!filter && Object.keys(filter).length > 0,
  );
  if (present.length === 0) return undefined;
  if (present.length === 1) return present[0];
  return { $and: present };
};

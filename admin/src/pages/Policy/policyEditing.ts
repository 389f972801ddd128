import type { ContentTypePolicy, EditablePolicy } from '../../api';

/** Every policy editor receives the draft, a way to change it, and whether the admin may edit. */
export interface PolicyEditorProps {
  policy: EditablePolicy;
  onChange: (update: (policy: EditablePolicy) => EditablePolicy) => void;
  disabled: boolean;
}

/** `list` with `item` added (checked) or removed, keeping the order of first appearance. */
export const toggleItem = <T>(list: readonly T[], item: T, checked: boolean): T[] =>
  checked ? (list.includes(item) ? [...list] : [...list, item]) : list.filter((entry) => entry !== item);

export const updateContentType = (
  policy: EditablePolicy,
  uid: string,
  update: (type: ContentTypePolicy) => ContentTypePolicy,
): EditablePolicy => ({
  ...policy,
  contentTypes: { ...policy.contentTypes, [uid]: update(policy.contentTypes[uid]) },
});

/** An object without one key (for optional entries the schema wants absent rather than undefined). */
export const omitKey = <T extends object, K extends keyof T>(object: T, key: K): Omit<T, K> => {
  const { [key]: _removed, ...rest } = object;
  return rest;
};

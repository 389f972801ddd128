import { isFetchError } from '@strapi/strapi/admin';
import type { ContentTypeSchema, PolicyValidationIssue } from '../../api';
import type { Translate } from '../../translations';

/** The field-by-field issues of a 400 ValidationError answer, or null for any other failure. */
export const validationIssuesOf = (error: unknown): PolicyValidationIssue[] | null => {
  if (!isFetchError(error)) return null;
  const apiError = error.response?.data?.error;
  if (apiError?.name !== 'ValidationError') return null;
  const issues = (apiError.details as { errors?: PolicyValidationIssue[] } | undefined)?.errors;
  return Array.isArray(issues) && issues.length ? issues : null;
};

/** A readable place for a path of the submitted policy, e.g. "Article › field title › read". */
export const describePolicyPath = (
  path: PolicyValidationIssue['path'],
  schemas: ContentTypeSchema[],
  t: Translate,
): string => {
  const [section, key, ...rest] = path.map(String);
  const parts: string[] = [];
  switch (section) {
    case 'contentTypes': {
      parts.push(schemas.find((schema) => schema.uid === key)?.displayName ?? key);
      const [area, name, ...tail] = rest;
      if (area === 'fields' && name !== undefined)
        parts.push(t('policy.path.field', 'field {name}', { name }), ...tail);
      else if (area === 'conditions' && name !== undefined)
        parts.push(t('policy.path.condition', 'condition {number}', { number: Number(name) + 1 }), ...tail);
      else if (area === 'actions' && name !== undefined)
        parts.push(t('policy.path.actionsOf', 'actions of {role}', { role: name }), ...tail);
      else if (area !== undefined) parts.push(area, ...rest.slice(1));
      break;
    }
    case 'roles':
      parts.push(t('policy.path.role', 'role {role}', { role: key ?? '' }), ...rest);
      break;
    case 'limits':
      parts.push(t('policy.path.limit', 'limit {name}', { name: key ?? '' }));
      break;
    default:
      parts.push(...path.map(String));
  }
  return parts.filter((part) => part !== undefined && part !== '').join(' › ');
};
